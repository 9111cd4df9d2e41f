"""Is the audit trail append-only, and does its hash chain show any row changed behind it?"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from latest import latest
from test_audit import NOW, TODAY, _draft

from shegong.cli import main
from shegong.records import ActionDraft, RecordsStore, SaveFailed, chain, supervision, upgrade
from shegong.records.database import VERSION_TABLE


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    records = RecordsStore(tmp_path / "records.db", today=lambda: TODAY, clock=lambda: NOW)
    records.save_person("system", "sup_wang", "王督导", "supervisor")
    records.save_person("system", "t_li", "李社工", "trainee")
    records.save_session_draft("sup_wang", latest(records, _draft()))
    records.save_session_draft("sup_wang", latest(records, _draft(duration_min=45)))
    yield records
    records.close()


def _sqlite(store: RecordsStore) -> sqlite3.Connection:
    """A plain sqlite3 connection to the store's file, as an intruder would open it."""
    return sqlite3.connect(str(store.url.database), isolation_level=None)


def _drop_triggers(connection: sqlite3.Connection) -> None:
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("DROP TRIGGER audit_log_no_delete")


def test_every_row_is_chained_to_the_one_before(store: RecordsStore) -> None:
    """Does each audit row carry the previous row's hash and a hash of its own content?"""
    check = store.verify_audit()
    assert check.ok and check.first_bad is None and check.rows == len(store.audit_trail())
    with store.reading() as session:
        rows = session.execute(
            sa.text("SELECT prev_hash, row_hash FROM audit_log ORDER BY audit_id")
        )
        pairs = rows.all()
    assert pairs[0][0] == chain.GENESIS
    assert all(later[0] == earlier[1] for earlier, later in itertools.pairwise(pairs))
    assert check.last_hash == pairs[-1][1]


def test_plain_sqlite_cannot_update_or_delete_audit_rows(store: RecordsStore) -> None:
    """Does `UPDATE audit_log SET actor=...` (the issue's 7 rewritten rows) now fail?"""
    connection = _sqlite(store)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("UPDATE audit_log SET actor = 'someone_else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("DELETE FROM audit_log")
    connection.close()
    assert set(store.audit_trail()["actor"]) == {"system", "sup_wang"}
    assert store.verify_audit().ok


def test_a_rewritten_actor_is_found_and_named(store: RecordsStore) -> None:
    """With the triggers dropped, is a rewritten row found, naming the first bad one?"""
    connection = _sqlite(store)
    _drop_triggers(connection)
    target = connection.execute(
        "SELECT min(audit_id) FROM audit_log WHERE actor = 'sup_wang'"
    ).fetchone()[0]
    connection.execute("UPDATE audit_log SET actor = 'system' WHERE actor = 'sup_wang'")
    connection.close()
    check = store.verify_audit()
    assert not check.ok and check.first_bad == target


def test_a_deleted_row_breaks_the_link_of_the_next(store: RecordsStore) -> None:
    """Is a row removed from the middle found at the row after it?"""
    connection = _sqlite(store)
    _drop_triggers(connection)
    ids = [r[0] for r in connection.execute("SELECT audit_id FROM audit_log ORDER BY audit_id")]
    connection.execute("DELETE FROM audit_log WHERE audit_id = ?", (ids[3],))
    connection.close()
    assert store.verify_audit().first_bad == ids[4]


def test_an_inserted_row_is_found(store: RecordsStore) -> None:
    """Is a forged row appended with a made-up hash found?"""
    connection = _sqlite(store)
    last = connection.execute("SELECT max(audit_id), row_hash FROM audit_log").fetchone()
    connection.execute(
        "INSERT INTO audit_log (at, actor, action, table_name, row_id, field, old_value,"
        " new_value, prev_hash, row_hash) VALUES ('2025-06-15 02:30:00.000000', 'sup_wang',"
        " 'delete', 'people', 't_li', 'role', 'trainee', NULL, ?, ?)",
        (last[1], "f" * 64),
    )
    connection.close()
    assert store.verify_audit().first_bad == last[0] + 1


def test_a_refused_save_leaves_the_chain_whole(
    store: RecordsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a save the database refuses, do later saves still chain on correctly?"""
    monkeypatch.setattr(supervision, "_check_carry", lambda *args: None)
    bad = _draft(actions=(ActionDraft("跟进", "t_li", TODAY, carried_from_id="missing"),))
    with pytest.raises(SaveFailed):
        store.save_session_draft("sup_wang", latest(store, bad))
    store.save_session_draft("sup_wang", latest(store, _draft(duration_min=50)))
    assert store.verify_audit().ok


def test_verify_command_exits_2_naming_the_first_bad_row(
    store: RecordsStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """Does `shegong records verify` say ok (exit 0), then name the tampered row (exit 2)?"""
    url = store.url.render_as_string(hide_password=False)
    assert main(["records", "verify", "--url", url]) == 0
    ok = capsys.readouterr().out
    assert "审计日志完整" in ok and "The audit trail is whole" in ok
    connection = _sqlite(store)
    _drop_triggers(connection)
    connection.execute("UPDATE audit_log SET new_value = '30' WHERE field = 'duration_min'")
    first = connection.execute(
        "SELECT min(audit_id) FROM audit_log WHERE field = 'duration_min'"
    ).fetchone()[0]
    connection.close()
    assert main(["records", "verify", "--url", url]) == 2
    broken = capsys.readouterr().out
    assert f"第 {first} 行" in broken and f"from row {first} " in broken


def test_upgrading_an_old_database_chains_its_existing_rows(tmp_path: Path) -> None:
    """Are audit rows written before the chain existed sealed by migration 0002?"""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    with engine.begin() as connection:
        for number in range(3):
            connection.execute(
                sa.text(
                    "INSERT INTO audit_log (at, actor, action, table_name, row_id, field,"
                    " old_value, new_value) VALUES (:at, 'admin', 'create', 'people', :row,"
                    " 'role', NULL, 'trainee')"
                ),
                {"at": dt.datetime(2025, 1, 1, 8, number), "row": f"p{number}"},
            )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar() == (
            "0002"
        )
    engine.dispose()
    with RecordsStore(tmp_path / "old.db") as store:
        check = store.verify_audit()
        assert check.ok and check.rows == 3
        store.save_person("system", "p9", "新人", "trainee")
        assert store.verify_audit().ok
