"""Does the audit trail record who changed which field, when, from what to what?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from latest import latest

from shegong.records import ActionDraft, RecordsStore, SessionDraft
from shegong.records.audit import as_text
from shegong.records.models import AuditEntry, Person

TODAY = dt.date(2025, 6, 15)
NOW = dt.datetime(2025, 6, 15, 2, 30, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    records = RecordsStore(tmp_path / "records.db", today=lambda: TODAY, clock=lambda: NOW)
    records.save_person("system", "sup_wang", "王督导", "supervisor")
    records.save_person("system", "t_li", "李社工", "trainee")
    yield records
    records.close()


def _draft(**changes: object) -> SessionDraft:
    values: dict[str, object] = {
        "session_id": "s1",
        "supervisor_id": "sup_wang",
        "session_date": dt.date(2025, 6, 2),
        "mode": "individual",
        "duration_min": 60,
        "supervisee_ids": ("t_li",),
        "functions": ("educational",),
        "guidance": "先建立信任",
    }
    values.update(changes)
    return SessionDraft(**values)  # type: ignore[arg-type]


def _changes(trail: pd.DataFrame) -> set[tuple[str, str, str | None, str | None]]:
    """(action, field, old, new) of each trail row, with missing values as None."""
    return {
        (r.action, r.field, None if pd.isna(r.old_value) else r.old_value,
         None if pd.isna(r.new_value) else r.new_value)
        for r in trail.itertuples()
    }  # fmt: skip


def test_create_writes_one_row_per_field_with_actor_and_utc_time(store: RecordsStore) -> None:
    """Does a new session leave a 'create' row for each filled field, by its author, in UTC?"""
    store.save_session_draft("sup_wang", latest(store, _draft()))
    trail = store.audit_trail("supervision_sessions", "s1")
    assert set(trail["actor"]) == {"sup_wang"} and set(trail["action"]) == {"create"}
    assert set(trail["at"]) == {NOW}
    assert {
        ("create", "mode", None, "individual"),
        ("create", "duration_min", None, "60"),
        ("create", "session_date", None, "2025-06-02"),
        ("create", "status", None, "draft"),
    } <= _changes(trail)
    assert "issues" not in set(trail["field"])  # empty fields are not listed
    children = store.audit_trail(row_id="s1")
    assert {"session_supervisees", "session_functions"} <= set(children["table_name"])
    assert "s1/t_li" in set(children["row_id"])


def test_update_records_old_and_new_values_of_changed_fields_only(store: RecordsStore) -> None:
    """Does changing the duration log 60 -> 45 and nothing for untouched fields?"""
    store.save_session_draft("sup_wang", latest(store, _draft()))
    first = len(store.audit_trail())
    store.save_session_draft(
        "sup_wang", latest(store, _draft(duration_min=45, guidance="先建立信任，再谈计划"))
    )
    updates = store.audit_trail().iloc[first:]
    assert _changes(updates) == {
        ("update", "duration_min", "60", "45"),
        ("update", "guidance", "先建立信任", "先建立信任，再谈计划"),
    }
    assert set(updates["row_id"]) == {"s1"}


def test_saving_the_same_form_again_writes_no_audit_rows(store: RecordsStore) -> None:
    """Does an autosave with nothing changed leave the trail as it was?"""
    draft = _draft(actions=(ActionDraft("读 MZ/T 094", "t_li", dt.date(2025, 7, 1)),))
    store.save_session_draft("sup_wang", latest(store, draft))
    before = len(store.audit_trail())
    store.save_session_draft("sup_wang", latest(store, draft))
    assert len(store.audit_trail()) == before


def test_child_rows_removed_and_added_are_logged(store: RecordsStore) -> None:
    """Does swapping a supervision function log a delete and a create of the child rows?"""
    store.save_session_draft("sup_wang", latest(store, _draft()))
    before = len(store.audit_trail())
    store.save_session_draft("sup_wang", latest(store, _draft(functions=("supportive",))))
    rows = store.audit_trail("session_functions").iloc[-4:]
    assert len(store.audit_trail()) == before + 4
    assert _changes(rows) == {
        ("delete", "session_id", "s1", None),
        ("delete", "function", "educational", None),
        ("create", "session_id", None, "s1"),
        ("create", "function", None, "supportive"),
    }


def test_deleting_a_draft_logs_the_old_values(store: RecordsStore) -> None:
    """Does discarding a draft keep, in the trail, what it said?"""
    store.save_session_draft("sup_wang", latest(store, _draft()))
    store.delete_session_draft("sup_wang", "s1")
    deleted = store.audit_trail("supervision_sessions", "s1")
    deleted = deleted[deleted["action"] == "delete"]
    assert ("delete", "duration_min", "60", None) in _changes(deleted)
    assert ("delete", "person_id", "t_li", None) in _changes(
        store.audit_trail("session_supervisees")
    )


def test_direct_orm_changes_are_audited_too(store: RecordsStore) -> None:
    """Is a change made through a store transaction, not an API method, still on the trail?"""
    with store.transaction("system") as session:
        person = session.get(Person, "t_li")
        assert person is not None
        person.station_id = "S00042"
        person.active = False
    assert _changes(store.audit_trail("people", "t_li").iloc[-2:]) == {
        ("update", "station_id", None, "S00042"),
        ("update", "active", "true", "false"),
    }


def test_flush_without_an_actor_is_refused(store: RecordsStore) -> None:
    """Can rows be written through the store's sessions without saying who did it? (No.)"""
    with pytest.raises(RuntimeError, match="actor"), store._sessions.begin() as session:
        session.add(Person(person_id="ghost", display_name="无名", role="trainee"))
    with store.reading() as session:
        assert session.get(Person, "ghost") is None


def test_rolled_back_save_leaves_no_audit_rows(store: RecordsStore) -> None:
    """Do the audit rows of a failed save vanish with it?"""
    before = len(store.audit_trail())
    with pytest.raises(ValueError, match="boom"), store.transaction("system") as session:
        session.add(Person(person_id="p9", display_name="临时", role="trainee"))
        session.flush()
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) > before
        raise ValueError("boom")
    assert len(store.audit_trail()) == before


def test_values_are_kept_as_readable_text() -> None:
    """Are dates, booleans and numbers stored in the trail as plain, sortable text?"""
    assert as_text(dt.date(2025, 6, 2)) == "2025-06-02"
    assert as_text(NOW) == "2025-06-15T02:30:00+00:00"
    assert (as_text(True), as_text(False), as_text(None)) == ("true", "false", None)
    assert as_text(72.5) == "72.5"
