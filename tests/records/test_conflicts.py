"""Two tabs, one record: is a stale save refused as a conflict, and is nothing ever lost?

Also: one evaluation per evaluator, station and round, and what a save says when the
database itself refuses the write (locked, full, read-only, damaged).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from test_store import PEOPLE, TODAY, _ratings, _session

from shegong.evaluation import load_competency_rubric, load_station_rubric
from shegong.records import (
    AssessmentDraft,
    CompetencyRatingDraft,
    ConflictError,
    DatabaseDamaged,
    DuplicateEvaluationError,
    EvaluationDraft,
    RecordsStore,
    Saved,
    SaveFailed,
    evaluations,
)
from shegong.records.database import CHINA_TIME

HAN = re.compile(r"[\u4e00-\u9fff]")
NOW = dt.datetime(2025, 6, 15, 2, 30, tzinfo=dt.UTC)


def _open(path: Path, **options: object) -> RecordsStore:
    return RecordsStore(path, today=lambda: TODAY, clock=lambda: NOW, **options)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    records = _open(tmp_path / "records.db")
    for person_id, name, role in PEOPLE:
        records.save_person("system", person_id, name, role)
    records.save_stations("system", {"S00001": None})
    yield records
    records.close()


def _evaluation(**changes: object) -> EvaluationDraft:
    values: dict[str, object] = {
        "station_id": "S00001",
        "evaluator_id": "ev_chen",
        "period": "2025-mid",
        "visited_on": dt.date(2025, 6, 10),
        "ratings": dict(list(_ratings(3).items())[:2]),
    }
    values.update(changes)
    return EvaluationDraft(**values)  # type: ignore[arg-type]


# --- versions ------------------------------------------------------------------------------


def test_each_real_change_bumps_the_version_and_an_unchanged_save_does_not(
    store: RecordsStore,
) -> None:
    """Does a save return the id and the version to send next, 1 for a new record?"""
    draft = _session()
    first = store.save_session_draft("sup_wang", draft)
    assert first == Saved(draft.session_id, 1)
    again = store.save_session_draft("sup_wang", dataclasses.replace(draft, version=1))
    assert again.version == 1  # nothing changed: no new version
    changed = dataclasses.replace(draft, version=1, guidance="先谈服务计划")
    assert store.save_session_draft("sup_wang", changed).version == 2
    assert store.load_session(draft.session_id).version == 2


def test_a_stale_tab_gets_a_conflict_naming_who_saved_and_when(store: RecordsStore) -> None:
    """Tab B saves over tab A's later edit: is B refused, bilingually, and A's text kept?"""
    draft = _session()
    store.save_session_draft("sup_wang", draft)  # both tabs opened version 1
    tab_a = dataclasses.replace(draft, version=1, issues="甲页：老人拒绝服务")
    tab_b = dataclasses.replace(draft, version=1, issues="乙页：家属不配合")
    store.save_session_draft("sup_wang", tab_a)
    with pytest.raises(ConflictError) as caught:
        store.save_session_draft("sup_wang", tab_b)
    error = caught.value
    assert error.values["stored"] == 2 and error.values["seen"] == 1
    assert error.values["saved_by_id"] == "sup_wang"
    saved_at = store.load_session(draft.session_id).updated_at
    assert error.values["saved_at"] == saved_at.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S")
    assert "北京时间" in error.message("zh") and "China time" in error.message("en")
    zh, en = error.message("zh"), error.message("en")
    assert HAN.search(zh) and "王督导" in zh and "第 2 版" in zh
    assert "version 2" in en and "you saw version 1" in en
    assert store.load_session(draft.session_id).draft.issues == "甲页：老人拒绝服务"


def test_a_page_that_thinks_the_record_is_new_cannot_overwrite_it(store: RecordsStore) -> None:
    """Is version None (a new record) for an id that exists a conflict, not an overwrite?"""
    draft = _session()
    store.save_session_draft("sup_wang", draft)
    with pytest.raises(ConflictError) as caught:
        store.save_session_draft("sup_wang", dataclasses.replace(draft, guidance="覆盖"))
    assert caught.value.values["seen"] == 0
    assert store.load_session(draft.session_id).draft.guidance == draft.guidance


def test_submit_with_a_stale_version_is_refused(store: RecordsStore) -> None:
    """Can a tab submit a record another tab changed after it loaded? (It must not.)"""
    draft = _session()
    store.save_session_draft("sup_wang", draft)
    store.save_session_draft("sup_wang", dataclasses.replace(draft, version=1, duration_min=60))
    with pytest.raises(ConflictError):
        store.submit_session("sup_wang", draft.session_id, version=1)
    assert store.load_session(draft.session_id).status == "draft"
    store.submit_session("sup_wang", draft.session_id, version=2)
    assert store.load_session(draft.session_id).status == "submitted"


def test_evaluation_and_assessment_drafts_are_versioned_too(store: RecordsStore) -> None:
    """Do evaluations and competency assessments refuse stale saves the same way?"""
    rubric = load_station_rubric()
    draft = _evaluation()
    assert store.save_evaluation_draft("ev_chen", draft, rubric).version == 1
    store.save_evaluation_draft(
        "ev_chen", dataclasses.replace(draft, version=1, comment="甲"), rubric
    )
    with pytest.raises(ConflictError):
        store.save_evaluation_draft(
            "ev_chen", dataclasses.replace(draft, version=1, comment="乙"), rubric
        )
    assert store.load_evaluation(draft.evaluation_id).draft.comment == "甲"
    competency = load_competency_rubric()
    first = competency.competencies[0].id
    assessment = AssessmentDraft(
        "t_li", "sup_wang", TODAY, {first: CompetencyRatingDraft(3, "个案记录")}
    )
    store.save_assessment_draft("sup_wang", assessment, competency)
    store.save_assessment_draft(
        "sup_wang", dataclasses.replace(assessment, version=1, comment="甲"), competency
    )
    with pytest.raises(ConflictError):
        store.save_assessment_draft(
            "sup_wang", dataclasses.replace(assessment, version=1, comment="乙"), competency
        )
    assert store.load_assessment(assessment.assessment_id).version == 2


# --- one evaluation per evaluator, station and round ----------------------------------------


def test_two_tabs_on_a_new_station_make_one_evaluation_not_two(store: RecordsStore) -> None:
    """Second 'new' evaluation of the same station and round: refused, naming the first?"""
    rubric = load_station_rubric()
    tab_a, tab_b = _evaluation(comment="甲"), _evaluation(comment="乙")
    store.save_evaluation_draft("ev_chen", tab_a, rubric)
    with pytest.raises(DuplicateEvaluationError) as caught:
        store.save_evaluation_draft("ev_chen", tab_b, rubric)
    assert isinstance(caught.value, ConflictError)
    assert caught.value.values["existing"] == tab_a.evaluation_id
    assert "每轮只能有一份" in caught.value.message("zh")
    assert "one evaluation per station and round" in caught.value.message("en")
    assert list(store.station_evaluations("S00001")["evaluation_id"]) == [tab_a.evaluation_id]
    # Another round, or another evaluator, is a separate evaluation.
    store.save_evaluation_draft("ev_chen", _evaluation(period="2025-end"), rubric)
    store.save_evaluation_draft("ev_liu", _evaluation(evaluator_id="ev_liu"), rubric)
    assert len(store.station_evaluations("S00001")) == 3


def test_the_database_itself_refuses_a_second_evaluation_of_a_round(
    store: RecordsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If two saves race past the store's check, does the UNIQUE constraint still hold?"""
    rubric = load_station_rubric()
    first = _evaluation()
    store.save_evaluation_draft("ev_chen", first, rubric)
    real = evaluations.existing_in_round
    calls: list[int] = []

    def blind_first_check(*args: object, **kwargs: object) -> object:
        """The save's own check sees nothing (as when two saves race), later lookups work."""
        calls.append(1)
        return None if len(calls) == 1 else real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(evaluations, "existing_in_round", blind_first_check)
    with pytest.raises(DuplicateEvaluationError) as caught:
        store.save_evaluation_draft("ev_chen", _evaluation(comment="乙"), rubric)
    assert caught.value.values["existing"] == first.evaluation_id
    assert len(store.station_evaluations("S00001")) == 1


# --- the database refuses the write ----------------------------------------------------------


def test_a_lock_held_past_the_busy_timeout_is_a_retryable_save_failure(tmp_path: Path) -> None:
    """Another writer holds the lock too long: a clear 'wait and save again', nothing half-saved?"""
    path = tmp_path / "records.db"
    store = _open(path, busy_timeout_ms=50)
    for person_id, name, role in PEOPLE:
        store.save_person("system", person_id, name, role)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    draft = _session()
    with pytest.raises(SaveFailed) as caught:
        store.save_session_draft("sup_wang", draft)
    assert caught.value.values["reason"] == "locked"
    assert caught.value.retryable
    assert "稍等片刻后再保存" in caught.value.message("zh")
    assert "Wait a moment, then save again" in caught.value.message("en")
    blocker.execute("ROLLBACK")
    blocker.close()
    assert store.save_session_draft("sup_wang", draft).version == 1  # saving again works
    store.close()


def test_a_full_disk_is_a_save_failure_that_says_so(store: RecordsStore) -> None:
    """When SQLite cannot grow the file (disk full), is the save refused clearly, whole?"""
    store.engine.dispose()

    @event.listens_for(store.engine, "connect")
    def _tiny(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    with pytest.raises(SaveFailed) as caught:
        store.save_session_draft("sup_wang", _session(issues="很长的记录" * 800))
    assert caught.value.values["reason"] == "disk_full" and not caught.value.retryable
    assert "磁盘已满" in caught.value.message("zh") and "disk is full" in caught.value.message("en")
    with store.reading() as session:
        assert session.scalar(sa.text("SELECT count(*) FROM supervision_sessions")) == 0


def test_a_read_only_database_is_a_save_failure_that_says_so(
    store: RecordsStore, tmp_path: Path
) -> None:
    """Opened read-only, does a save say the file is read-only and whom to ask?"""
    url = f"sqlite:///file:{tmp_path / 'records.db'}?mode=ro&uri=true"
    read_only = RecordsStore(url, migrate=False, today=lambda: TODAY)
    with pytest.raises(SaveFailed) as caught:
        read_only.save_session_draft("sup_wang", _session())
    assert caught.value.values["reason"] == "read_only"
    assert "只读" in caught.value.message("zh") and "read-only" in caught.value.message("en")
    read_only.close()


def test_an_emptied_database_file_is_never_recreated(tmp_path: Path) -> None:
    """A records.db truncated to 0 bytes: refused, and left as it is (not an empty new one)?"""
    path = tmp_path / "records.db"
    _open(path).close()
    path.write_bytes(b"")
    with pytest.raises(DatabaseDamaged) as caught:
        _open(path)
    assert path.stat().st_size == 0
    assert "备份恢复" in caught.value.message("zh") and "backup" in caught.value.message("en")


def test_a_damaged_database_file_is_refused_and_kept(tmp_path: Path) -> None:
    """A file that is not SQLite (or half overwritten) is refused and kept byte for byte?"""
    path = tmp_path / "records.db"
    store = _open(path)
    store.save_person("system", "t_li", "李社工", "trainee")
    store.close()
    data = path.read_bytes()
    damaged = b"\x00" * 100 + data[100:]
    path.write_bytes(damaged)
    with pytest.raises(DatabaseDamaged):
        _open(path)
    assert path.read_bytes() == damaged


def test_a_new_workspace_still_gets_a_new_database(tmp_path: Path) -> None:
    """Is a missing file (a new workspace) created, valid, at once?"""
    path = tmp_path / "new" / "records.db"
    with _open(path) as store:
        assert store.verify_audit().ok
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
