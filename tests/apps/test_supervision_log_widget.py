"""Does the supervision log keep the session record of brief §3.4, and the trainee confirm it?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from records_fixtures import MEMBERS, STATIONS, TODAY, open_store

from shegong.records import RecordsStore
from shegong.widgets.apps.supervision_log import SupervisionLog, month_start


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    with open_store(tmp_path / "records.db") as records:
        yield records


def log(store: RecordsStore, user: str, lang: str = "zh", **query: str) -> SupervisionLog:
    app = SupervisionLog(store, STATIONS, MEMBERS, lang)  # type: ignore[arg-type]
    return app.start(query={"user": user, **query}, environ={})  # type: ignore[return-value]


def complete(app: SupervisionLog) -> None:
    app.session.session_date.value = dt.date(2025, 6, 3)
    app.session.duration.value = "90"
    app.session.functions["educational"].value = True
    app.session.functions["resource_linking"].value = True
    app.session.cases.value = "K000123，小花"
    app.session.guidance.value = "先完成需求评估，再定服务计划"
    action = app.session.actions.add()
    action.description.value = "补齐 5 月家访记录"
    action.owner.value = "W01"
    action.due.value = dt.date(2025, 6, 30)


def sessions(store: RecordsStore, trainee: str = "W01") -> list[str]:
    return list(store.supervision_history(trainee)["status"])


def test_a_supervisor_picks_a_trainee_then_sees_a_new_record_for_today(
    store: RecordsStore,
) -> None:
    """Does choosing a trainee open a record dated today, and nothing before that?"""
    app = log(store, "U01")
    assert not app.form_built  # nothing of the form exists, so none of it is sent
    assert app.details.layout.display == "none"
    app.trainee.value = "W01"
    assert app.details.layout.display is None
    assert app.session.session_date.value == TODAY
    assert sessions(store) == []  # nothing is saved until something is entered


def test_bad_values_show_under_their_fields_and_save_nothing(store: RecordsStore) -> None:
    """Are a word for the minutes, too many minutes and a date tomorrow each refused?"""
    app = log(store, "U01", trainee="W01")
    app.session.duration.value = "一个半小时"
    assert "应为整数" in app.form.fields["duration_min"].error
    app.session.duration.value = "600"
    assert "1 到 480" in app.form.fields["duration_min"].error
    assert sessions(store) == []
    app.session.duration.value = "90"
    assert app.form.errors == {} and sessions(store) == ["draft"]
    app.session.session_date.value = TODAY + dt.timedelta(days=1)
    assert "不能晚于今天" in app.form.fields["session_date"].error
    record = store.load_session(str(store.supervision_history("W01")["session_id"][0]))
    assert record.draft.session_date == TODAY and record.draft.duration_min == 90


def test_submitting_needs_functions_guidance_and_complete_actions(store: RecordsStore) -> None:
    """Does submit name each missing part, including an action without owner and date?"""
    app = log(store, "U01", trainee="W01")
    app.session.duration.value = "60"
    action = app.session.actions.add()
    action.description.value = "联系村委会"
    assert app.submit() is None
    errors = app.form.errors
    assert errors["functions"] == "请至少选择一项。"
    assert errors["guidance"] == "这一项必须填写。"
    assert "负责人" in errors[action.field.field_id] and "完成日期" in errors[action.field.field_id]
    assert sessions(store) == ["draft"]


def test_a_risk_flag_needs_a_note(store: RecordsStore) -> None:
    """Is a ticked risk flag without a note stopped at submit?"""
    app = log(store, "U01", trainee="W01")
    complete(app)
    app.session.risk_boxes["suicide_risk"].value = True
    assert app.submit() is None
    assert "写明情况和处理安排" in app.form.fields["risk_suicide_risk"].error


def test_submit_locks_then_open_actions_are_carried_into_the_next_session(
    store: RecordsStore,
) -> None:
    """Is the open action of the last session carried forward, with its status to update?"""
    app = log(store, "U01", trainee="W01")
    complete(app)
    assert app.submit() is not None
    assert sessions(store) == ["submitted"]
    assert app.session.guidance.disabled and app.new_button.layout.display is None
    record = store.load_session(store.supervision_history("W01")["session_id"][0])
    assert record.draft.discussed[0].ref in {"K000123", "小花"}
    assert record.draft.functions == ("educational", "resource_linking")

    app.new_session()
    assert [r.description.value for r in app.session.actions.rows] == ["补齐 5 月家访记录"]
    carried = app.session.actions.rows[0]
    assert carried.carried_from_id is not None and "2025-06-03" in carried.field.label.value
    carried.status.value = "done"
    app.session.duration.value = "45"
    assert sessions(store) == ["draft", "submitted"]
    assert store.open_action_items("W01").empty  # carried once, not offered again


def test_the_trainee_confirms_the_record_and_hours_count_it(store: RecordsStore) -> None:
    """Does the trainee see the submitted record, confirm it, and the hours table count it?"""
    app = log(store, "U01", trainee="W01")
    complete(app)
    app.submit()
    trainee = log(store, "W01")
    assert trainee.supervisor_view.layout.display == "none"
    card = trainee.sessions.confirmations.children[1]
    assert "2025-06-03" in card.children[0].value and "王督导" in card.children[0].value
    card.children[1].click()
    assert "已确认" in trainee.notice.value
    history = store.supervision_history("W01")
    assert history["acknowledged_at"].notna().all()
    assert "2025-06" in trainee.sessions.hours.value and "1.5" in trainee.sessions.hours.value
    assert "已确认" in trainee.sessions.history.value


def test_group_sessions_take_other_trainees_and_owners_follow(store: RecordsStore) -> None:
    """Can a group session include other trainees, who then can own actions?"""
    app = log(store, "U01", lang="en", trainee="W01")
    assert app.session.others_field.layout.display == "none"
    app.session.mode.value = "group"
    assert app.session.others_field.layout.display is None
    app.session.others.value = ("W02",)
    row = app.session.actions.add()
    assert "W02" in [value for _label, value in row.owner.options]
    complete(app)
    assert app.submit() is not None
    record = store.load_session(store.supervision_history("W02")["session_id"][0])
    assert record.draft.supervisee_ids == ("W01", "W02")


def test_month_start_goes_back_whole_months() -> None:
    """Is the hours window counted in calendar months?"""
    assert month_start(dt.date(2025, 6, 15), 5) == dt.date(2025, 1, 1)
    assert month_start(dt.date(2025, 2, 28), 2) == dt.date(2024, 12, 1)
