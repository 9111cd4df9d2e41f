"""Who is using an app, and do form fields read values strictly with clear messages?"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as w
import pytest
from records_fixtures import MEMBERS, open_store

from shegong.records import ValidationError, validation
from shegong.records.roster import IdentityError, demo_roster, read_roster, seed_people
from shegong.widgets.forms.fields import Field, Form, is_hidden
from shegong.widgets.forms.readers import (
    FieldError,
    read_int,
    read_number,
    read_past_date,
    read_reference,
    read_text,
    split_refs,
)
from shegong.widgets.forms.shell import request_query, resolve

EVALUATORS = ("evaluator",)


def test_the_hub_user_decides_and_the_link_cannot_override_it() -> None:
    """On JupyterHub, is the signed-in user used whatever ``?user=`` says?"""
    who = resolve(MEMBERS, EVALUATORS, environ={"JUPYTERHUB_USER": "e03"}, query={"user": "e01"})
    assert (who.person_id, who.source, who.fixed) == ("e03", "hub", True)


def test_a_configured_user_is_fixed_too() -> None:
    """Does ``SHEGONG_USER`` fix the person on a one-person machine?"""
    who = resolve(MEMBERS, ("supervisor",), environ={"SHEGONG_USER": "U02"})
    assert (who.person_id, who.source) == ("U02", "configured")


def test_the_demo_takes_the_link_or_the_first_allowed_person() -> None:
    """Without a hub, does ``?user=`` pick the person, falling back to the first allowed?"""
    assert resolve(MEMBERS, EVALUATORS, environ={}, query={"user": "e02"}).person_id == "e02"
    assert resolve(MEMBERS, EVALUATORS, environ={}, query={"user": "W01"}).person_id == "e01"
    assert resolve(MEMBERS, EVALUATORS, environ={}).source == "demo"


def test_unknown_or_wrong_role_users_get_a_bilingual_message() -> None:
    """Are an unknown hub account and a trainee on the evaluator page both explained?"""
    with pytest.raises(IdentityError) as unknown:
        resolve(MEMBERS, EVALUATORS, environ={"JUPYTERHUB_USER": "stranger"})
    assert "stranger" in unknown.value.message("zh") and "people.yml" in unknown.value.message("en")
    with pytest.raises(IdentityError) as wrong:
        resolve(MEMBERS, EVALUATORS, environ={"JUPYTERHUB_USER": "W01"})
    assert "学员" in wrong.value.message("zh") and "评估员" in wrong.value.message("zh")


def test_a_roster_file_is_read_and_checked(tmp_path: Path) -> None:
    """Does people.yml give hub users roles, and does a bad entry say which and why?"""
    path = tmp_path / "people.yml"
    path.write_text(
        "- {person_id: chenxm, display_name: 陈晓梅, role: evaluator, lead: true}\n"
        "- {person_id: li.hong, display_name: 李红, role: trainee, station_id: S1,"
        " started_on: 2024-03-01}\n",
        encoding="utf-8",
    )
    members = read_roster(path)
    assert members[0].lead and members[1].started_on == dt.date(2024, 3, 1)
    path.write_text("- {person_id: x, display_name: X, role: boss}\n", encoding="utf-8")
    with pytest.raises(IdentityError) as error:
        read_roster(path)
    assert "boss" in error.value.message("en") and "evaluator" in error.value.message("en")
    path.write_text("- {person_id: 'a b', role: trainee}\n", encoding="utf-8")
    with pytest.raises(IdentityError, match="person_id"):
        read_roster(path)


def test_seeding_people_is_idempotent(tmp_path: Path) -> None:
    """Does writing the roster twice change nothing the second time?"""
    with open_store(tmp_path / "records.db") as store:
        assert seed_people(store, MEMBERS) == 0
        assert {p.person_id for p in store.people()} == {m.person_id for m in MEMBERS}


def test_the_demo_roster_comes_from_the_simulated_world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Are supervisors and township station workers in the demo roster, with a lead evaluator?"""
    monkeypatch.setenv("SHEGONG_HOME", str(tmp_path))
    members = demo_roster(tmp_path)
    roles = {m.role for m in members}
    assert roles == {"evaluator", "supervisor", "trainee", "manager"}
    assert sum(m.lead for m in members) == 1
    trainees = [m for m in members if m.role == "trainee"]
    assert trainees and all(m.station_id and m.started_on for m in trainees)


def test_the_query_string_is_read_outside_voila() -> None:
    """Is ``QUERY_STRING`` parsed when no preheated kernel waits for a request?"""
    assert request_query({"QUERY_STRING": "user=e02&station=S1"}) == {
        "user": "e02",
        "station": "S1",
    }
    assert request_query({}) == {}


def test_readers_refuse_what_they_cannot_read() -> None:
    """Are words, out-of-range numbers and future dates errors that name the field?"""
    assert read_int(" 90 ", "duration_min", 1, 480) == 90
    assert read_int("", "duration_min", 1, 480) is None
    for raw, fragment in (("九十", "应为整数"), ("0", "1 到 480"), ("", "请填写")):
        with pytest.raises(FieldError) as error:
            read_int(raw, "duration_min", 1, 480, required=True)
        assert fragment in error.value.message("zh") and "时长" in error.value.message("zh")
    assert read_number("88，5", "final_total", 0, 100) == 88.5
    with pytest.raises(FieldError):
        read_number("nan", "final_total", 0, 100)
    today = dt.date(2025, 6, 15)
    assert read_past_date(today, "visited_on", today) == today
    with pytest.raises(FieldError) as future:
        read_past_date(dt.date(2025, 6, 16), "visited_on", today)
    assert "after today (2025-06-15)" in future.value.message("en")
    assert split_refs("K1，K2、K3\nK1") == ("K1", "K2", "K3")


def test_a_form_shows_each_problem_under_its_field_and_the_rest_above() -> None:
    """Does a problem go under its field, an unknown one into the banner, and clear() reset?"""
    field = Field("duration_min", "时长", w.Text(), required=True)
    form = Form("zh", [field])
    form.show({"duration_min": "太长了", "other": "别的问题"})
    assert field.error == "太长了" and not is_hidden(field.message)
    assert "sg-invalid" in field._dom_classes
    assert "2 处需要改正（见标红的项）：时长" in form.banner.value
    assert "别的问题" in form.banner.value
    form.clear()
    assert field.error == "" and form.banner.value == "" and "sg-invalid" not in field._dom_classes
    assert is_hidden(field.message)


def test_forms_apply_the_records_own_rules_with_the_same_message() -> None:
    """Do a form and the store refuse a future date or a too long text with one message?"""
    today = dt.date(2025, 6, 15)
    cases = (
        (
            lambda: read_past_date(dt.date(2025, 6, 16), "visited_on", today),
            lambda: validation.not_future(dt.date(2025, 6, 16), "visited_on", today),
        ),
        (
            lambda: read_text("字" * (validation.TEXT_LIMIT + 1), "comment"),
            lambda: validation.short_text("字" * (validation.TEXT_LIMIT + 1), "comment"),
        ),
        (
            lambda: read_reference("K" * (validation.REF_LIMIT + 1), "discussed"),
            lambda: validation.reference("K" * (validation.REF_LIMIT + 1), "discussed"),
        ),
    )
    for form_check, store_check in cases:
        with pytest.raises(FieldError) as form:
            form_check()
        with pytest.raises(ValidationError) as store:
            store_check()
        assert form.value.msg_id == store.value.msg_id
        assert form.value.values == store.value.values
    assert read_text("  说明  ", "comment") == "说明"
