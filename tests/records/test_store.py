"""Does the records store keep what supervisors and evaluators save, whole and locked?"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
import sys
from collections.abc import Iterator
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
import sqlalchemy as sa
from latest import latest

from shegong.evaluation import (
    ScoringError,
    load_competency_rubric,
    load_station_rubric,
    station_agreement,
)
from shegong.records import (
    ActionDraft,
    ActionStatus,
    AssessmentDraft,
    CompetencyRatingDraft,
    Discussed,
    EvaluationDraft,
    HoursRequirement,
    IncompleteError,
    LockedError,
    NotFoundError,
    RatingDraft,
    RecordsStore,
    RecordStatus,
    RiskFlag,
    Role,
    SaveFailed,
    SessionDraft,
    SessionMode,
    StoreError,
    SupervisionFunction,
    ValidationError,
    carry_forward,
)
from shegong.records import supervision as supervision_module
from shegong.records.models import AuditEntry, Person, SupervisionSession
from shegong.settings import Settings

HAN = re.compile(r"[\u4e00-\u9fff]")
TODAY = dt.date(2025, 6, 15)
PEOPLE = [
    ("sup_wang", "王督导", "supervisor"),
    ("t_li", "李社工", "trainee"),
    ("t_zhao", "赵社工", "trainee"),
    ("ev_chen", "陈评估", "evaluator"),
    ("ev_liu", "刘评估", "evaluator"),
    ("ev_he", "何评估", "evaluator"),
]


def _open(path: Path) -> RecordsStore:
    return RecordsStore(path, today=lambda: TODAY)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    records = _open(tmp_path / "records.db")
    for person_id, name, role in PEOPLE:
        records.save_person("system", person_id, name, role)
    records.save_person("system", "ev_he", "何评估", "evaluator", lead=True)
    records.save_stations("system", {"S00001": None, "S00042": None})
    yield records
    records.close()


def _session(**changes: object) -> SessionDraft:
    values: dict[str, object] = {
        "supervisor_id": "sup_wang",
        "session_date": dt.date(2025, 6, 2),
        "mode": "individual",
        "duration_min": 90,
        "supervisee_ids": ("t_li",),
        "functions": ("educational", "supportive"),
        "discussed": (Discussed("case", "K000123"),),
        "issues": "留守老人拒绝服务",
        "guidance": "先建立信任，再谈服务计划",
    }
    values.update(changes)
    return SessionDraft(**values)  # type: ignore[arg-type]


def _count(store: RecordsStore, model: type) -> int:
    with store.reading() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


# --- opening ---------------------------------------------------------------------------


def test_workspace_store_is_sqlite_with_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    """Does the default store live at <home>/records.db with WAL, a busy timeout and FKs on?"""
    store = RecordsStore.for_settings(Settings(home=tmp_path / "ws"))
    assert Path(str(store.url.database)) == tmp_path / "ws" / "records.db"
    with store.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == 30_000
    store.close()


def test_postgresql_url_without_driver_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Is a PostgreSQL URL accepted, and a missing driver reported in both languages?"""
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as on a machine without psycopg
    with pytest.raises(StoreError) as caught:
        RecordsStore("postgresql+psycopg://shegong:secret@db.example/records")
    zh, en = str(caught.value).split("\n")
    assert "psycopg" in zh and HAN.search(zh)
    assert "pip install psycopg" in en and "secret" not in str(caught.value)


def test_unopenable_database_is_a_bilingual_error(tmp_path: Path) -> None:
    """Is a path that cannot hold a database (here: a folder) reported, not a traceback?"""
    with pytest.raises(StoreError) as caught:
        RecordsStore(tmp_path)
    zh, en = str(caught.value).split("\n")
    assert "无法打开记录数据库" in zh and en.startswith("Cannot open the records database")


def test_in_memory_store_for_widget_tests() -> None:
    """Does ``sqlite://`` give a working, migrated, audited store without a file?"""
    store = RecordsStore("sqlite://")
    store.save_person("system", "t_li", "李社工", "trainee")
    assert [p.person_id for p in store.people()] == ["t_li"]
    assert len(store.audit_trail()) == 5
    store.close()


def test_people_are_found_by_id_and_listed_by_role(store: RecordsStore) -> None:
    """Can an app look up the signed-in user's role and list the evaluators?"""
    chen = store.person("ev_chen")
    assert chen is not None and (chen.display_name, chen.role) == ("陈评估", "evaluator")
    assert store.person("nobody") is None
    assert [p.person_id for p in store.people("evaluator")] == ["ev_chen", "ev_he", "ev_liu"]
    store.save_person("system", "ev_he", "何评估", "evaluator", active=False)
    assert [p.person_id for p in store.people("evaluator")] == ["ev_chen", "ev_liu"]
    with pytest.raises(ValidationError, match="role"):
        store.save_person("system", "x1", "某人", "volunteer")


def test_every_choice_has_a_label_in_both_languages() -> None:
    """Can a widget label every role, mode, function, risk and status in zh and en?"""
    for kind in (Role, SessionMode, SupervisionFunction, RiskFlag, RecordStatus, ActionStatus):
        for member in kind:
            assert HAN.search(member.label("zh")) and not HAN.search(member.label("en"))
    assert SessionMode.ONLINE.label("zh") == "线上督导"
    assert SupervisionFunction.RESOURCE_LINKING.label("en") == "resource linking"


# --- transactions ----------------------------------------------------------------------


def test_exception_inside_a_transaction_leaves_nothing(store: RecordsStore) -> None:
    """If a save fails after its rows were flushed, is nothing (not even audit rows) kept?"""
    before = _count(store, AuditEntry)
    with pytest.raises(RuntimeError, match="power cut"), store.transaction("sup_wang") as session:
        actor = session.get(Person, "sup_wang")
        assert actor is not None
        supervision_module.save_draft(session, _session(), TODAY, actor)
        session.flush()
        assert session.scalar(sa.select(sa.func.count()).select_from(SupervisionSession)) == 1
        raise RuntimeError("power cut")
    assert _count(store, SupervisionSession) == 0
    assert _count(store, AuditEntry) == before


def test_database_error_mid_save_rolls_back_the_whole_save(
    store: RecordsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the database refuses the last row of a save, are the earlier rows gone too?"""
    # Skip the carry-forward check so the bad link reaches the database: the session,
    # supervisee and function rows are inserted first, then the action's foreign key fails.
    monkeypatch.setattr(supervision_module, "_check_carry", lambda *args: None)
    draft = _session(actions=(ActionDraft("跟进", "t_li", TODAY, carried_from_id="missing"),))
    with pytest.raises(SaveFailed):
        store.save_session_draft("sup_wang", latest(store, draft))
    assert _count(store, SupervisionSession) == 0
    with store.reading() as session:
        tables = session.scalars(sa.select(AuditEntry.table_name).distinct()).all()
    assert sorted(tables) == ["people", "stations"]


# --- drafts, submit, lock ------------------------------------------------------------


def test_draft_autosave_upserts_the_same_record(store: RecordsStore) -> None:
    """Do repeated autosaves of one form update one record, children included?"""
    draft = _session(supervisee_ids=(), mode=None, duration_min=None, guidance="")
    session_id = store.save_session_draft("sup_wang", latest(store, draft)).record_id
    assert session_id == draft.session_id
    changed = _session(
        session_id=session_id,
        mode="group",
        supervisee_ids=("t_li", "t_zhao"),
        functions=("project_planning",),
        risks={"abuse": "邻居反映孩子常被打，已报告村委会"},
    )
    store.save_session_draft("sup_wang", latest(store, changed))
    store.save_session_draft("sup_wang", latest(store, changed))
    record = store.load_session(session_id)
    assert _count(store, SupervisionSession) == 1
    assert record.status == "draft"
    assert record.draft.mode == "group" and record.draft.duration_min == 90
    assert record.draft.supervisee_ids == ("t_li", "t_zhao")
    assert record.draft.functions == ("project_planning",)
    assert record.draft.risks == {"abuse": "邻居反映孩子常被打，已报告村委会"}


def test_submit_names_every_missing_field_in_both_languages(store: RecordsStore) -> None:
    """Does submitting an incomplete session list what is missing, in Chinese and English?"""
    session_id = store.save_session_draft(
        "sup_wang", latest(store, _session(mode=None, duration_min=None, guidance=""))
    ).record_id
    with pytest.raises(IncompleteError) as caught:
        store.submit_session("sup_wang", session_id)
    assert caught.value.values["fields"] == ("mode", "duration_min", "guidance")
    zh, en = str(caught.value).split("\n")
    assert "督导形式、时长（分钟）、督导意见" in zh
    assert "mode, duration (minutes), guidance given" in en
    assert store.load_session(session_id).status == "draft"


def test_submit_locks_the_record_against_every_kind_of_edit(store: RecordsStore) -> None:
    """After submit, do draft saves, deletes and direct ORM edits all raise LockedError?"""
    session_id = store.save_session_draft("sup_wang", latest(store, _session())).record_id
    store.submit_session("sup_wang", session_id)
    with pytest.raises(LockedError) as caught:
        store.save_session_draft(
            "sup_wang", latest(store, _session(session_id=session_id, duration_min=30))
        )
    assert "已提交" in caught.value.message("zh") and "submitted" in caught.value.message("en")
    with pytest.raises(LockedError):
        store.delete_session_draft("sup_wang", session_id)
    with pytest.raises(LockedError), store.transaction("sup_wang") as session:
        row = session.get(SupervisionSession, session_id)
        assert row is not None
        row.guidance = "改写历史"
    with pytest.raises(LockedError), store.transaction("sup_wang") as session:
        row = session.get(SupervisionSession, session_id)
        assert row is not None
        session.delete(row.functions[0])
    assert store.load_session(session_id).draft.duration_min == 90


def test_individual_supervision_has_one_supervisee(store: RecordsStore) -> None:
    """Is an 'individual' session with two supervisees refused at submit?"""
    session_id = store.save_session_draft(
        "sup_wang", latest(store, _session(supervisee_ids=("t_li", "t_zhao")))
    ).record_id
    with pytest.raises(ValidationError, match="1 supervisee"):
        store.submit_session("sup_wang", session_id)


def test_flagged_risk_needs_a_note_before_submit(store: RecordsStore) -> None:
    """Can a session with a suicide-risk flag but no note be submitted? (It must not.)"""
    session_id = store.save_session_draft(
        "sup_wang", latest(store, _session(risks={"suicide_risk": " "}))
    ).record_id
    with pytest.raises(IncompleteError) as caught:
        store.submit_session("sup_wang", session_id)
    assert "自杀风险" in caught.value.message("zh") and "suicide risk" in caught.value.message("en")


@pytest.mark.parametrize(
    ("field", "label_zh", "label_en"),
    [
        ("session_date", "督导日期", "session date"),
        ("visited_on", "实地评估日期", "visit date"),
        ("assessed_on", "评估日期", "assessment date"),
    ],
)
def test_future_dates_are_refused_naming_the_field(
    store: RecordsStore, field: str, label_zh: str, label_en: str
) -> None:
    """Is tomorrow refused as a session, visit or assessment date, naming the field?"""
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        if field == "session_date":
            store.save_session_draft("sup_wang", latest(store, _session(session_date=tomorrow)))
        elif field == "visited_on":
            draft = EvaluationDraft("S00001", "ev_chen", visited_on=tomorrow)
            store.save_evaluation_draft("ev_chen", latest(store, draft), load_station_rubric())
        else:
            assessment = AssessmentDraft("t_li", "sup_wang", assessed_on=tomorrow)
            store.save_assessment_draft(
                "sup_wang", latest(store, assessment), load_competency_rubric()
            )
    error = caught.value
    assert error.values["field"] == field
    zh, en = str(error).split("\n")
    assert f"“{label_zh}”（{field}）" in zh and "2025-06-16" in zh and "未来" in zh
    assert f"{label_en} ({field}) cannot be in the future" in en
    assert _count(store, SupervisionSession) == 0


def test_today_is_allowed(store: RecordsStore) -> None:
    """Is a session held today accepted (only later dates are in the future)?"""
    session_id = store.save_session_draft(
        "sup_wang", latest(store, _session(session_date=TODAY))
    ).record_id
    assert store.load_session(session_id).draft.session_date == TODAY


def test_unknown_person_and_wrong_role_are_named(store: RecordsStore) -> None:
    """Are an unknown supervisee and an evaluator listed as supervisor refused clearly?"""
    with pytest.raises(NotFoundError, match="nobody"):
        store.save_session_draft("sup_wang", latest(store, _session(supervisee_ids=("nobody",))))
    with pytest.raises(ValidationError) as caught:
        store.save_session_draft("sup_wang", latest(store, _session(supervisor_id="ev_chen")))
    assert "评估员" in caught.value.message("zh") and "supervisor" in caught.value.message("en")


# --- acknowledgement and actions ---------------------------------------------------------


def test_only_the_supervisee_acknowledges_a_submitted_record(store: RecordsStore) -> None:
    """Can the trainee confirm only after submit, and nobody else confirm for them?"""
    session_id = store.save_session_draft("sup_wang", latest(store, _session())).record_id
    with pytest.raises(ValidationError, match="not submitted"):
        store.acknowledge_session("t_li", session_id)
    store.submit_session("sup_wang", session_id)
    with pytest.raises(ValidationError, match="not a supervisee"):
        store.acknowledge_session("t_zhao", session_id)
    store.acknowledge_session("t_li", session_id)
    first = store.load_session(session_id).acknowledged["t_li"]
    store.acknowledge_session("t_li", session_id)
    assert first is not None and first.tzinfo == dt.UTC
    assert store.load_session(session_id).acknowledged["t_li"] == first


def test_open_actions_carry_forward_to_the_next_session(store: RecordsStore) -> None:
    """Are open actions offered to the next session once, and their follow-up recorded there?"""
    actions = (
        ActionDraft("完成预估报告", "t_li", dt.date(2025, 6, 10)),
        ActionDraft("联系民政办核实低保", "t_li", dt.date(2025, 6, 30)),
        ActionDraft("阅读 MZ/T 095", "t_li", dt.date(2025, 6, 20), status="done"),
    )
    first = store.save_session_draft("sup_wang", latest(store, _session(actions=actions))).record_id
    store.submit_session("sup_wang", first)
    open_items = store.open_action_items("t_li")
    assert list(open_items["description"]) == ["完成预估报告", "联系民政办核实低保"]
    assert list(open_items["overdue"]) == [True, False]

    carried = carry_forward(open_items.iloc[:1])
    done = ActionDraft(
        carried[0].description, "t_li", carried[0].due_date, "done", carried[0].carried_from_id
    )
    second = store.save_session_draft(
        "sup_wang", latest(store, _session(session_date=dt.date(2025, 6, 12), actions=(done,)))
    ).record_id
    store.submit_session("sup_wang", second)
    assert list(store.open_action_items("t_li")["description"]) == ["联系民政办核实低保"]
    with pytest.raises(ValidationError, match="already been carried"):
        store.save_session_draft(
            "sup_wang", latest(store, _session(actions=carry_forward(open_items.iloc[:1])))
        )


def test_submitted_action_needs_owner_and_due_date(store: RecordsStore) -> None:
    """Is an agreed action without owner or due date refused at submit, naming both?"""
    session_id = store.save_session_draft(
        "sup_wang", latest(store, _session(actions=(ActionDraft("跟进"),)))
    ).record_id
    with pytest.raises(IncompleteError) as caught:
        store.submit_session("sup_wang", session_id)
    assert caught.value.values["fields"] == ("owner_id", "due_date")
    assert "负责人、完成期限" in caught.value.message("zh")


# --- queries: supervision hours ---------------------------------------------------------


def test_monthly_hours_against_the_requirement(store: RecordsStore) -> None:
    """Are submitted minutes summed per month, peer sessions and drafts left out?"""
    store.save_person("system", "t_li", "李社工", "trainee", started_on=dt.date(2024, 5, 1))
    sessions = [
        (dt.date(2025, 4, 3), "individual", 60, True),
        (dt.date(2025, 4, 20), "online", 60, True),
        (dt.date(2025, 5, 8), "peer", 120, True),  # peer supervision does not count
        (dt.date(2025, 5, 9), "group", 90, True),
        (dt.date(2025, 6, 1), "individual", 60, False),  # a draft does not count
    ]
    for day, mode, minutes, submit in sessions:
        supervisor = "t_zhao" if mode == "peer" else "sup_wang"
        draft = _session(
            session_date=day, mode=mode, duration_min=minutes, supervisor_id=supervisor
        )
        session_id = store.save_session_draft(supervisor, latest(store, draft)).record_id
        if submit:
            store.submit_session(supervisor, session_id)
    hours = store.supervision_hours("t_li", start=dt.date(2025, 4, 1))
    assert list(hours["month"]) == ["2025-04", "2025-05", "2025-06"]
    assert list(hours["minutes"]) == [120, 90, 0]
    assert list(hours["sessions"]) == [2, 1, 0]
    # Started 2024-05: a new worker (120 min) through 2025-04, experienced (60 min) from 2025-05.
    assert list(hours["required_minutes"]) == [120, 60, 60]
    assert list(hours["met"]) == [True, True, False]
    strict = store.supervision_hours(
        "t_li", HoursRequirement(new_worker_months=24, modes=("individual",)), dt.date(2025, 4, 1)
    )
    assert list(strict["minutes"]) == [60, 0, 0] and list(strict["required_minutes"]) == [120] * 3
    history = store.supervision_history("t_li")
    assert len(history) == 5 and history["status"].iloc[0] == "draft"  # peer too


# --- station evaluation -----------------------------------------------------------------


def _ratings(level: int, **overrides: int) -> dict[str, RatingDraft]:
    rubric = load_station_rubric()
    levels = {i.id: level for i in rubric.indicators} | overrides
    return {k: RatingDraft(v, "查阅台账") for k, v in levels.items()}


def test_evaluation_submit_stores_the_score_and_moderation_sets_the_final(
    store: RecordsStore,
) -> None:
    """Is the total stored only on submit, and does the lead's moderation settle the result?"""
    rubric = load_station_rubric()
    partial = dict(list(_ratings(4).items())[:3])
    draft = EvaluationDraft("S00001", "ev_chen", "2025-mid", dt.date(2025, 6, 10), partial)
    evaluation_id = store.save_evaluation_draft("ev_chen", latest(store, draft), rubric).record_id
    assert store.load_evaluation(evaluation_id).total is None
    running = store.evaluation_score(evaluation_id, rubric)
    assert running.total == 10.0 and len(running.missing) == len(rubric.indicators) - 3
    with pytest.raises(ScoringError) as caught:
        store.submit_evaluation("ev_chen", evaluation_id, rubric)
    message = str(caught.value)
    assert "还有 23 项指标没有评分：in_supervision, in_funding" in message
    assert "in_certified" not in message and "23 indicator(s) not rated yet" in message

    full = EvaluationDraft(
        "S00001",
        "ev_chen",
        "2025-mid",
        dt.date(2025, 6, 10),
        _ratings(4),
        evaluation_id=evaluation_id,
    )
    store.save_evaluation_draft("ev_chen", latest(store, full), rubric)
    score = store.submit_evaluation("ev_chen", evaluation_id, rubric)
    stored = store.load_evaluation(evaluation_id)
    assert (stored.total, stored.grade, stored.vetoed, stored.status) == (
        100.0,
        "excellent",
        False,
        "submitted",
    )
    assert score.total == 100.0

    second = EvaluationDraft(
        "S00001", "ev_liu", "2025-mid", dt.date(2025, 6, 11), _ratings(3),
        vetoes={"falsified_records": "签到表笔迹一致，回访 5 人中 3 人称未参加"},
    )  # fmt: skip
    store.save_evaluation_draft("ev_liu", latest(store, second), rubric)
    assert store.submit_evaluation("ev_liu", second.evaluation_id, rubric).grade.id == "fail"
    results = store.station_results()
    assert results.loc[0, "needs_moderation"] and results.loc[0, "any_veto"]
    ratings = store.submitted_ratings("S00001", rubric, "2025-mid")
    assert set(ratings) == {"ev_chen", "ev_liu"}
    assert station_agreement(rubric, ratings).evaluators == ("ev_chen", "ev_liu")

    with pytest.raises(IncompleteError):
        store.moderate("ev_he", "S00001", rubric, 55, " ", period="2025-mid", vetoed=True)
    store.moderate(
        "ev_he", "S00001", rubric, 55, "核实台账造假属实", period="2025-mid", vetoed=True
    )
    results = store.station_results()
    assert results.loc[0, "final_total"] == 55 and results.loc[0, "final_grade"] == "fail"
    assert not results.loc[0, "needs_moderation"]
    assert set(store.station_evaluations("S00001")["status"]) == {"moderated"}
    store.moderate("ev_he", "S00001", rubric, 58.5, "复核后调整", period="2025-mid", vetoed=True)
    assert store.station_results().loc[0, "final_total"] == 58.5  # the later moderation wins
    with pytest.raises(LockedError):
        store.save_evaluation_draft("ev_chen", latest(store, full), rubric)


def test_evaluation_rejects_levels_the_rubric_lacks(store: RecordsStore) -> None:
    """Is a level 7 or an unknown indicator refused at the first autosave?"""
    rubric = load_station_rubric()
    with pytest.raises(ScoringError, match="in_venue"):
        bad = EvaluationDraft("S00001", "ev_chen", ratings={"in_venue": RatingDraft(7)})
        store.save_evaluation_draft("ev_chen", latest(store, bad), rubric)
    with pytest.raises(ScoringError, match="no_such"):
        bad = EvaluationDraft("S00001", "ev_chen", ratings={"no_such": RatingDraft(1)})
        store.save_evaluation_draft("ev_chen", latest(store, bad), rubric)


# --- competency ---------------------------------------------------------------------------


def test_competency_assessment_needs_every_competency_with_evidence(store: RecordsStore) -> None:
    """Does submit refuse missing competencies and missing evidence, then keep the ratings?"""
    rubric = load_competency_rubric()
    ratings = {c.id: CompetencyRatingDraft(3, "督导观察") for c in rubric.competencies}
    draft = AssessmentDraft(
        "t_li", "sup_wang", dt.date(2025, 6, 1), dict(list(ratings.items())[:5])
    )
    store.save_assessment_draft("sup_wang", latest(store, draft), rubric)
    with pytest.raises(ScoringError, match="9 competency"):
        store.submit_assessment("sup_wang", draft.assessment_id, rubric)
    ratings["m_ethics"] = CompetencyRatingDraft(4, "", self_level=3)
    draft = AssessmentDraft(
        "t_li", "sup_wang", dt.date(2025, 6, 1), ratings, assessment_id=draft.assessment_id
    )
    store.save_assessment_draft("sup_wang", latest(store, draft), rubric)
    with pytest.raises(ScoringError, match="m_ethics"):
        store.submit_assessment("sup_wang", draft.assessment_id, rubric)
    ratings["m_ethics"] = CompetencyRatingDraft(4, "处理了一次双重关系", self_level=3)
    draft = AssessmentDraft(
        "t_li", "sup_wang", dt.date(2025, 6, 1), ratings, assessment_id=draft.assessment_id
    )
    store.save_assessment_draft("sup_wang", latest(store, draft), rubric)
    store.submit_assessment("sup_wang", draft.assessment_id, rubric)
    history = store.competency_history(["t_li"])
    assert len(history) == len(rubric.competencies)
    ethics = history.set_index("competency_id").loc["m_ethics"]
    assert (ethics["level"], ethics["self_level"]) == (4, 3)
    with pytest.raises(LockedError):
        store.save_assessment_draft("sup_wang", latest(store, draft), rubric)


# --- two writers ------------------------------------------------------------------------


def _hammer(path: str, worker: int, saves: int, start: Barrier) -> None:
    """One process saving ``saves`` supervision drafts as fast as it can."""
    store = _open(Path(path))
    start.wait()
    for i in range(saves):
        draft = _session(session_id=f"w{worker}-{i:03d}", duration_min=30 + i)
        store.save_session_draft("sup_wang", latest(store, draft))
    store.close()


def test_two_processes_writing_at_once_both_land(store: RecordsStore) -> None:
    """Do 2 x 50 saves from two processes at the same moment all land, none 'locked'?"""
    path = str(store.url.database)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [context.Process(target=_hammer, args=(path, n, 50, start)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0, 0]
    assert _count(store, SupervisionSession) == 100
    with store.reading() as session:
        created = session.scalar(
            sa.select(sa.func.count()).where(
                AuditEntry.table_name == "supervision_sessions", AuditEntry.field == "session_id"
            )
        )
    assert created == 100
