"""Does the store itself decide who may write and see what (``shegong.records.rules``)?

One test per threat of the rule book's threat model: whatever a page sends, the store
refuses writes by unknown or inactive people, in the wrong role, in someone else's name,
about another agency's trainee, moderation by a non-lead, and edits of submitted records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_conflicts import _evaluation
from test_store import TODAY, _ratings, _session

from shegong.evaluation import load_competency_rubric, load_station_rubric
from shegong.records import (
    AssessmentDraft,
    CompetencyRatingDraft,
    LockedError,
    PermissionDenied,
    RecordsStore,
    ValidationError,
)
from shegong.records.models import SupervisionSession
from shegong.records.rules import SYSTEM

HAN = re.compile(r"[\u4e00-\u9fff]")
PEOPLE = [
    # id, name, role, agency, lead
    ("sup_wang", "王督导", "supervisor", "A", False),
    ("sup_zhou", "周督导", "supervisor", "A", False),
    ("sup_other", "吴督导", "supervisor", "B", False),
    ("t_li", "李社工", "trainee", "A", False),
    ("t_zhao", "赵社工", "trainee", "A", False),
    ("t_far", "远社工", "trainee", "B", False),
    ("ev_chen", "陈评估", "evaluator", None, False),
    ("ev_liu", "刘评估", "evaluator", None, False),
    ("ev_he", "何评估", "evaluator", None, True),
    ("mgr_zhang", "张经理", "manager", None, False),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    records = RecordsStore(tmp_path / "records.db", today=lambda: TODAY)
    for person_id, name, role, agency, lead in PEOPLE:
        records.save_person(SYSTEM, person_id, name, role, agency_id=agency, lead=lead)
    records.save_stations(SYSTEM, {"S00001": "A"})
    yield records
    records.close()


def _count_sessions(store: RecordsStore) -> int:
    with store.reading() as session:
        return session.query(SupervisionSession).count()


def _bilingual(error: Exception) -> tuple[str, str]:
    zh, en = str(error).split("\n")
    assert HAN.search(zh) and not HAN.search(en)
    return zh, en


# --- who is acting ---------------------------------------------------------------------------


def test_an_unknown_actor_cannot_write(store: RecordsStore) -> None:
    """Is a person id that is not on the roster refused for every kind of write?"""
    with pytest.raises(PermissionDenied) as caught:
        store.save_session_draft("ghost", _session(supervisor_id="ghost"))
    assert "不在人员名单中" in _bilingual(caught.value)[0]
    with pytest.raises(PermissionDenied):
        store.save_evaluation_draft("ghost", _evaluation(), load_station_rubric())
    assert _count_sessions(store) == 0


def test_the_system_actor_may_write_the_roster_but_no_records(store: RecordsStore) -> None:
    """Can 'system' (the roster seeder) write people but not a supervision record?"""
    store.save_person(SYSTEM, "t_new", "新社工", "trainee", agency_id="A")
    with pytest.raises(PermissionDenied):
        store.save_session_draft(SYSTEM, _session())
    with pytest.raises(ValidationError):
        store.save_person(SYSTEM, SYSTEM, "系统", "manager")  # nobody may *be* system


def test_an_inactive_person_cannot_write(store: RecordsStore) -> None:
    """Once a supervisor is deactivated, are their saves refused?"""
    store.save_session_draft("sup_wang", _session())
    store.save_person(SYSTEM, "sup_wang", "王督导", "supervisor", agency_id="A", active=False)
    with pytest.raises(PermissionDenied) as caught:
        store.save_session_draft("sup_wang", _session())
    assert "已停用" in _bilingual(caught.value)[0]


def test_only_the_system_or_a_manager_changes_the_roster(store: RecordsStore) -> None:
    """Can a supervisor make themselves a manager, or move a trainee to their agency? No."""
    with pytest.raises(PermissionDenied):
        store.save_person("sup_other", "sup_other", "吴督导", "manager", agency_id="B")
    with pytest.raises(PermissionDenied):
        store.save_person("sup_other", "t_li", "李社工", "trainee", agency_id="B")
    with pytest.raises(PermissionDenied):
        store.save_stations("sup_other", {"S09999": "B"})
    store.save_person("mgr_zhang", "t_li", "李社工", "trainee", agency_id="A", started_on=TODAY)
    person = store.person("t_li")
    assert person is not None and person.started_on == TODAY
    assert store.person("sup_other").role == "supervisor"  # type: ignore[union-attr]


# --- roles -------------------------------------------------------------------------------------


def test_the_wrong_role_is_refused(store: RecordsStore) -> None:
    """Supervisor evaluating a station, evaluator logging supervision: both refused?"""
    rubric = load_station_rubric()
    with pytest.raises(PermissionDenied) as caught:
        store.save_evaluation_draft("sup_wang", _evaluation(evaluator_id="sup_wang"), rubric)
    zh, en = _bilingual(caught.value)
    assert "督导" in zh and "evaluator" in en
    with pytest.raises(PermissionDenied):
        store.save_session_draft("ev_chen", _session(supervisor_id="ev_chen"))
    with pytest.raises(PermissionDenied):
        store.acknowledge_session("sup_zhou", "any")


# --- in someone else's name --------------------------------------------------------------------


def test_a_supervisor_cannot_write_in_another_supervisors_name(store: RecordsStore) -> None:
    """The issue's case: a draft naming another supervisor is refused, nothing saved?"""
    with pytest.raises(PermissionDenied) as caught:
        store.save_session_draft("sup_wang", _session(supervisor_id="sup_zhou"))
    zh, en = _bilingual(caught.value)
    assert "sup_zhou" in zh and "in the name of sup_zhou" in en
    assert _count_sessions(store) == 0


def test_nobody_changes_submits_or_deletes_another_persons_draft(store: RecordsStore) -> None:
    """Sup_zhou takes over sup_wang's draft id (same agency): refused at every step?"""
    draft = _session()
    store.save_session_draft("sup_wang", draft)
    hijack = dataclasses.replace(draft, supervisor_id="sup_zhou", version=1)
    with pytest.raises(PermissionDenied):
        store.save_session_draft("sup_zhou", hijack)
    with pytest.raises(PermissionDenied):
        store.submit_session("sup_zhou", draft.session_id)
    with pytest.raises(PermissionDenied):
        store.delete_session_draft("sup_zhou", draft.session_id)
    assert store.load_session(draft.session_id).draft.supervisor_id == "sup_wang"


def test_an_evaluator_cannot_fill_or_submit_another_evaluators_form(store: RecordsStore) -> None:
    """Is ev_liu refused on ev_chen's evaluation, and on an evaluation in ev_chen's name?"""
    rubric = load_station_rubric()
    draft = _evaluation(ratings=_ratings(3))
    store.save_evaluation_draft("ev_chen", draft, rubric)
    with pytest.raises(PermissionDenied):
        store.save_evaluation_draft("ev_liu", dataclasses.replace(draft, version=1), rubric)
    with pytest.raises(PermissionDenied):
        store.submit_evaluation("ev_liu", draft.evaluation_id, rubric)
    with pytest.raises(PermissionDenied):
        store.save_evaluation_draft("ev_liu", _evaluation(period="2025-end"), rubric)


def test_an_assessment_is_written_in_the_assessors_own_name(store: RecordsStore) -> None:
    """Can sup_wang file a competency assessment signed by sup_zhou? No."""
    rubric = load_competency_rubric()
    draft = AssessmentDraft("t_li", "sup_zhou", TODAY, {})
    with pytest.raises(PermissionDenied):
        store.save_assessment_draft("sup_wang", draft, rubric)


# --- agencies ----------------------------------------------------------------------------------


def test_a_supervisor_cannot_write_about_another_agencys_trainee(store: RecordsStore) -> None:
    """Agency B's supervisor, agency A's trainee: session and assessment refused?"""
    with pytest.raises(PermissionDenied) as caught:
        store.save_session_draft("sup_other", _session(supervisor_id="sup_other"))
    zh, en = _bilingual(caught.value)
    assert "不属于其所在机构" in zh and "not in sup_other's agency" in en
    rubric = load_competency_rubric()
    first = rubric.competencies[0].id
    assessment = AssessmentDraft(
        "t_li", "sup_other", TODAY, {first: CompetencyRatingDraft(3, "个案记录")}
    )
    with pytest.raises(PermissionDenied):
        store.save_assessment_draft("sup_other", assessment, rubric)
    # A group session with one trainee from elsewhere is refused whole.
    mixed = _session(mode="group", supervisee_ids=("t_li", "t_far"))
    with pytest.raises(PermissionDenied):
        store.save_session_draft("sup_wang", mixed)
    assert _count_sessions(store) == 0


def test_a_supervisor_sees_only_their_agencys_trainees(store: RecordsStore) -> None:
    """Lists, hours, history and competency profiles: only agency A's for sup_wang?"""
    assert [p.person_id for p in store.trainees_for("sup_wang")] == ["t_li", "t_zhao"]
    assert [p.person_id for p in store.trainees_for("sup_other")] == ["t_far"]
    assert [p.person_id for p in store.trainees_for("t_li")] == ["t_li"]
    assert len(store.trainees_for("ev_chen")) == 3 == len(store.trainees_for("mgr_zhang"))
    assert store.trainees_for("ghost") == []
    assert store.may_see("sup_wang", "t_li") and not store.may_see("sup_wang", "t_far")
    for read in (store.supervision_history, store.supervision_hours, store.open_action_items):
        with pytest.raises(PermissionDenied):
            read("t_li", actor="sup_other")  # type: ignore[operator]
        read("t_li", actor="sup_wang")  # type: ignore[operator]
    with pytest.raises(PermissionDenied):
        store.supervision_history("t_zhao", actor="t_li")  # a trainee sees only themselves


def test_competency_history_is_filtered_to_what_the_actor_may_see(store: RecordsStore) -> None:
    """Does sup_other get no rows of agency A's trainees, even when asking for them?"""
    rubric = load_competency_rubric()
    ratings = {c.id: CompetencyRatingDraft(3, "个案记录") for c in rubric.competencies}
    draft = AssessmentDraft("t_li", "sup_wang", TODAY, ratings)
    store.save_assessment_draft("sup_wang", draft, rubric)
    store.submit_assessment("sup_wang", draft.assessment_id, rubric)
    assert set(store.competency_history(["t_li"], actor="sup_wang")["trainee_id"]) == {"t_li"}
    assert store.competency_history(["t_li"], actor="sup_other").empty
    assert store.competency_history(actor="sup_other").empty
    assert len(store.competency_history(actor="mgr_zhang")) == len(rubric.competencies)


def test_peer_supervision_stays_within_the_agency(store: RecordsStore) -> None:
    """A trainee leading peer supervision: own agency's peers yes, another agency's no?"""
    peer = _session(supervisor_id="t_zhao", mode="peer", supervisee_ids=("t_li",))
    assert store.save_session_draft("t_zhao", peer).version == 1
    far = _session(supervisor_id="t_far", mode="peer", supervisee_ids=("t_li",))
    with pytest.raises(PermissionDenied):
        store.save_session_draft("t_far", far)


# --- moderation, acknowledgement, locks --------------------------------------------------------


def test_only_a_lead_evaluator_moderates(store: RecordsStore) -> None:
    """Is a non-lead evaluator's moderation refused, and the lead's accepted?"""
    rubric = load_station_rubric()
    for evaluator in ("ev_chen", "ev_liu"):
        draft = _evaluation(evaluator_id=evaluator, ratings=_ratings(3))
        store.save_evaluation_draft(evaluator, draft, rubric)
        store.submit_evaluation(evaluator, draft.evaluation_id, rubric)
    with pytest.raises(PermissionDenied) as caught:
        store.moderate("ev_chen", "S00001", rubric, 70, "我说了算", period="2025-mid")
    assert "不是评估组长" in _bilingual(caught.value)[0]
    assert set(store.station_evaluations("S00001")["status"]) == {"submitted"}
    store.moderate("ev_he", "S00001", rubric, 70, "复核后确定", period="2025-mid")
    assert set(store.station_evaluations("S00001")["status"]) == {"moderated"}


def test_a_trainee_acknowledges_only_their_own_session(store: RecordsStore) -> None:
    """Can t_zhao sign t_li's session record? (Only t_li can.)"""
    draft = _session()
    store.save_session_draft("sup_wang", draft)
    store.submit_session("sup_wang", draft.session_id)
    with pytest.raises(ValidationError, match="not a supervisee"):
        store.acknowledge_session("t_zhao", draft.session_id)
    store.acknowledge_session("t_li", draft.session_id)
    assert store.load_session(draft.session_id).acknowledged["t_li"] is not None


def test_a_submitted_record_cannot_be_edited_even_by_its_author(store: RecordsStore) -> None:
    """After submit, is every further save or delete refused as locked?"""
    draft = _session()
    store.save_session_draft("sup_wang", draft)
    store.submit_session("sup_wang", draft.session_id)
    version = store.load_session(draft.session_id).version
    with pytest.raises(LockedError):
        store.save_session_draft("sup_wang", dataclasses.replace(draft, version=version))
    with pytest.raises(LockedError):
        store.delete_session_draft("sup_wang", draft.session_id)


# --- values the store refuses ------------------------------------------------------------------


def test_an_unknown_station_is_refused_naming_the_field(store: RecordsStore) -> None:
    """Is an evaluation of a station id the programme does not know refused, bilingually?"""
    with pytest.raises(ValidationError) as caught:
        store.save_evaluation_draft(
            "ev_chen", _evaluation(station_id="S99999"), load_station_rubric()
        )
    assert caught.value.values["field"] == "station_id"
    zh, en = _bilingual(caught.value)
    assert "S99999" in zh and "no station with the id 'S99999'" in en


@pytest.mark.parametrize("day", [dt.date(1900, 1, 1), dt.date(1999, 12, 31)])
def test_dates_before_2000_are_refused(store: RecordsStore, day: dt.date) -> None:
    """Is a session dated 1900 (a typo'd year) refused, naming the field and the limit?"""
    with pytest.raises(ValidationError) as caught:
        store.save_session_draft("sup_wang", _session(session_date=day))
    assert caught.value.values["field"] == "session_date"
    zh, en = _bilingual(caught.value)
    assert "2000-01-01" in zh and "too early" in en
    assert store.save_session_draft("sup_wang", _session(session_date=dt.date(2000, 1, 1)))
