"""Do the apps send a person only the people they may see (no browser needed)?

Everything in a widget's state reaches the browser, hidden or not. A supervisor's page must
hold only their own agency's trainees; a trainee's page no other trainee at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest
from records_fixtures import MEMBERS, STATIONS, TODAY

from shegong.evaluation import load_competency_rubric
from shegong.records import PermissionDenied, RecordsStore
from shegong.records.roster import Member, seed_people, seed_stations
from shegong.widgets.apps.competency_form import CompetencyForm
from shegong.widgets.apps.supervision_log import SupervisionLog
from shegong.widgets.forms.readers import FieldError, read_int, read_number

# Agency A2 runs station S3: its supervisor and trainee join the shared fixture's roster.
FAR_SUPERVISOR = Member("U09", "吴督导", "supervisor", agency_id="A2")
FAR_TRAINEE = Member(
    "W09", "远方社工", "trainee", station_id="S3", agency_id="A2", started_on=dt.date(2024, 1, 1)
)
ROSTER = [*MEMBERS, FAR_SUPERVISOR, FAR_TRAINEE]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    with RecordsStore(tmp_path / "records.db", today=lambda: TODAY) as records:
        seed_people(records, ROSTER)
        seed_stations(records, STATIONS)
        yield records


def _state_text(root: w.Widget) -> str:
    """The JSON of every widget state reachable from ``root`` (what the browser receives)."""
    seen: set[str] = set()
    parts: list[str] = []

    def walk(widget: Any) -> None:
        if not isinstance(widget, w.Widget) or widget.model_id in seen:
            return
        seen.add(widget.model_id)
        parts.append(json.dumps(widget.get_state(), ensure_ascii=False, default=str))
        for value in vars(widget).values():
            for item in value if isinstance(value, list | tuple) else (value,):
                walk(item)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(root)
    return "\n".join(parts)


def _log(store: RecordsStore, environ: dict[str, str], **query: str) -> SupervisionLog:
    app = SupervisionLog(store, STATIONS, ROSTER)  # type: ignore[arg-type]
    return app.start(query=query, environ=environ)  # type: ignore[return-value]


def test_a_supervisor_is_offered_only_their_agencys_trainees(store: RecordsStore) -> None:
    """Is agency A2's trainee missing from agency A1's supervisor's page, options included?"""
    app = _log(store, {"JUPYTERHUB_USER": "U01"})
    offered = [value for _label, value in app.trainee.options if value]
    assert offered == ["W01", "W02", "W03"]
    assert [value for _label, value in app.session.others.options] == ["W01", "W02", "W03"]
    assert FAR_TRAINEE.display_name not in _state_text(app)
    far = _log(store, {"JUPYTERHUB_USER": "U09"})
    assert [value for _label, value in far.trainee.options if value] == ["W09"]
    assert "李红" not in _state_text(far)


def test_a_link_naming_another_agencys_trainee_opens_nothing(store: RecordsStore) -> None:
    """Does `?trainee=W09` on agency A1's supervisor's page leave the form closed?"""
    app = _log(store, {"JUPYTERHUB_USER": "U01"}, trainee="W09")
    assert app.trainee.value == "" and not app.form_built


def test_a_trainees_page_holds_no_other_trainee(store: RecordsStore) -> None:
    """The issue's 58 labels: does W01's own page hold any other trainee's name? (No.)"""
    app = _log(store, {"JUPYTERHUB_USER": "W01"})
    state = _state_text(app)
    for other in ROSTER:
        if other.role == "trainee" and other.person_id != "W01":
            assert other.display_name not in state, other.person_id
    assert app.trainee.options == ((app.trainee.options[0][0], ""),)


def test_the_competency_form_is_scoped_the_same_way(store: RecordsStore) -> None:
    """Does the competency form offer agency A2's supervisor only agency A2's trainee?"""
    app = CompetencyForm(store, load_competency_rubric(), STATIONS, ROSTER)  # type: ignore[arg-type]
    app.start(query={}, environ={"JUPYTERHUB_USER": "U09"})
    assert [value for _label, value in app.trainee.options if value] == ["W09"]
    assert "李红" not in _state_text(app)
    evaluator = CompetencyForm(store, load_competency_rubric(), STATIONS, ROSTER)  # type: ignore[arg-type]
    evaluator.start(query={}, environ={"JUPYTERHUB_USER": "e01"})
    assert len([v for _label, v in evaluator.trainee.options if v]) == 4  # evaluators: all


def test_a_page_built_for_one_agency_still_cannot_write_about_another(
    store: RecordsStore,
) -> None:
    """If a page were tricked into a draft about W09, would the store refuse it? (Yes.)"""
    app = _log(store, {"JUPYTERHUB_USER": "U01"}, trainee="W01")
    app.session.duration.value = "60"
    draft, problems = app.read()
    assert draft is not None and not problems
    forged = dataclasses.replace(draft, supervisee_ids=("W09",), version=None, session_id="x1")
    with pytest.raises(PermissionDenied):
        store.save_session_draft("U01", forged)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("90", 90), ("９０", 90), (" ４５ ", 45)],
)
def test_ascii_and_full_width_digits_are_read(typed: str, number: int) -> None:
    """Are ASCII digits, and full-width ones from a Chinese input method, read as numbers?"""
    assert read_int(typed, "duration_min", 1, 480) == number


@pytest.mark.parametrize("typed", ["4_0", "४०", "٤٠", "1e2", "0x10", "９_０"])
def test_underscores_and_other_scripts_digits_are_refused(typed: str) -> None:
    """`4_0` (Python reads 40) and Devanagari or Arabic-Indic digits: refused, field named?"""
    with pytest.raises(FieldError) as caught:
        read_int(typed, "duration_min", 1, 480)
    assert caught.value.values["field"] == "duration_min"


def test_decimal_numbers_are_read_strictly_too() -> None:
    """Is '１２．５' read as 12.5, and 'nan', 'inf', '1_0' refused?"""
    assert read_number("１２．５", "final_total", 0, 100) == 12.5
    assert read_number("12，5", "final_total", 0, 100) == 12.5
    for typed in ("nan", "inf", "1_0", "५"):
        with pytest.raises(FieldError):
            read_number(typed, "final_total", 0, 100)
