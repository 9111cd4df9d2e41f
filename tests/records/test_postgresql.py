"""Does the records store work on a real PostgreSQL server, as it does on SQLite?

A throwaway cluster (``conftest.postgres_server``) gives each test a new database. The
scenarios mirror the SQLite tests in test_store.py, test_audit.py and test_migrations.py,
reusing their helpers, so both dialects are held to the same expectations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import threading
from collections.abc import Iterator
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
import sqlalchemy as sa
from latest import latest
from postgres_server import PostgresMissing, PostgresServer, find_bin_dir
from test_audit import NOW, _changes, _draft
from test_migrations import _differences, _tables

# The SQLite transaction tests, collected again here so they also run on PostgreSQL (pytest
# gives them this module's ``store`` fixture).
from test_store import (  # noqa: F401
    PEOPLE,
    TODAY,
    _count,
    _ratings,
    _session,
    test_database_error_mid_save_rolls_back_the_whole_save,
    test_exception_inside_a_transaction_leaves_nothing,
)

from shegong.evaluation import load_station_rubric
from shegong.records import (
    ActionDraft,
    ConflictError,
    DuplicateEvaluationError,
    EvaluationDraft,
    LockedError,
    RecordsStore,
    SaveFailed,
    StoreError,
    downgrade,
    upgrade,
)
from shegong.records import lifecycle as lifecycle_module
from shegong.records import supervision as supervision_module
from shegong.records.database import VERSION_TABLE
from shegong.records.grants import grant_app_role
from shegong.records.models import AuditEntry, Base, Person, SupervisionSession


def _open(url: str) -> RecordsStore:
    return RecordsStore(url, today=lambda: TODAY, clock=lambda: NOW)


@pytest.fixture
def store(postgres_url: str) -> Iterator[RecordsStore]:
    records = _open(postgres_url)
    for person_id, name, role in PEOPLE:
        records.save_person("system", person_id, name, role)
    records.save_person("system", "ev_he", "何评估", "evaluator", lead=True)
    records.save_stations("system", {"S00001": None, "S00042": None})
    yield records
    records.close()


# --- schema ------------------------------------------------------------------------------


def test_migrations_build_the_models_schema_and_take_it_down(postgres_url: str) -> None:
    """Does `upgrade head` give exactly the models' schema on PostgreSQL, and `base` none?"""
    engine = sa.create_engine(postgres_url)
    assert engine.dialect.name == "postgresql"
    upgrade(engine)
    assert _tables(engine) == set(Base.metadata.tables) | {VERSION_TABLE}
    assert _differences(engine) == []
    downgrade(engine, "base")
    assert _tables(engine) == {VERSION_TABLE}
    upgrade(engine)
    assert _differences(engine) == []
    engine.dispose()


def test_store_opens_migrated_and_reopens_harmlessly(postgres_url: str) -> None:
    """Does opening a store bring an empty database to head, and reopening leave it there?"""
    for _ in range(2):
        with _open(postgres_url) as store, store.engine.connect() as connection:
            version = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")
            assert version.scalars().all() == ["0002"]


def _open_and_save(url: str, person: str, start: Barrier) -> None:
    """One app process opening (and so migrating) the store, then saving a person."""
    start.wait()
    with _open(url) as records:
        records.save_person("system", person, "某人", "trainee")


def test_stores_opening_an_empty_database_at_once_both_work(postgres_url: str) -> None:
    """Do two app processes opening (migrating) a new database at the same moment both work?"""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    apps = [
        context.Process(target=_open_and_save, args=(postgres_url, p, start))
        for p in ("t_a", "t_b")
    ]
    for app in apps:
        app.start()
    for app in apps:
        app.join(timeout=300)
    assert [a.exitcode for a in apps] == [0, 0]
    with _open(postgres_url) as records:
        assert [p.person_id for p in records.people()] == ["t_a", "t_b"]


# --- a full round trip ---------------------------------------------------------------------


def test_supervision_round_trip_with_audit_trail(store: RecordsStore) -> None:
    """Draft, autosave, submit, lock, acknowledge: kept whole, in UTC, every change audited?"""
    session_id = store.save_session_draft("sup_wang", latest(store, _draft())).record_id
    store.save_session_draft(
        "sup_wang", latest(store, _draft(duration_min=45, guidance="先建立信任，再谈计划"))
    )
    store.save_session_draft(
        "sup_wang", latest(store, _draft(duration_min=45, guidance="先建立信任，再谈计划"))
    )
    assert session_id == "s1" and _count(store, SupervisionSession) == 1
    trail = store.audit_trail("supervision_sessions", "s1")
    assert set(trail["at"]) == {NOW} and set(trail["actor"]) == {"sup_wang"}
    assert {
        ("create", "duration_min", None, "60"),
        ("create", "session_date", None, "2025-06-02"),
        ("update", "duration_min", "60", "45"),
        ("update", "guidance", "先建立信任", "先建立信任，再谈计划"),
    } <= _changes(trail)
    assert len(trail[trail["action"] == "update"]) == 2  # the unchanged autosave wrote none

    store.submit_session("sup_wang", session_id)
    with pytest.raises(LockedError):
        store.save_session_draft("sup_wang", latest(store, _draft(duration_min=30)))
    store.acknowledge_session("t_li", session_id)
    record = store.load_session(session_id)
    assert record.status == "submitted" and record.draft.duration_min == 45
    assert record.draft.guidance == "先建立信任，再谈计划"
    acknowledged = record.acknowledged["t_li"]
    assert acknowledged == NOW and acknowledged is not None and acknowledged.tzinfo == dt.UTC
    assert ("update", "status", "draft", "submitted") in _changes(
        store.audit_trail("supervision_sessions", "s1")
    )
    history = store.supervision_history("t_li")
    assert list(history["status"]) == ["submitted"]


def test_child_rows_and_direct_orm_edits_are_audited(store: RecordsStore) -> None:
    """Are swapped child rows and a change made through a transaction on the trail?"""
    store.save_session_draft("sup_wang", latest(store, _draft()))
    store.save_session_draft("sup_wang", latest(store, _draft(functions=("supportive",))))
    assert _changes(store.audit_trail("session_functions").iloc[-4:]) == {
        ("delete", "session_id", "s1", None),
        ("delete", "function", "educational", None),
        ("create", "session_id", None, "s1"),
        ("create", "function", None, "supportive"),
    }
    with store.transaction("system") as session:
        person = session.get(Person, "t_li")
        assert person is not None
        person.station_id = "S00042"
        person.active = False
    assert _changes(store.audit_trail("people", "t_li").iloc[-2:]) == {
        ("update", "station_id", None, "S00042"),
        ("update", "active", "true", "false"),
    }


def test_evaluation_round_trip(store: RecordsStore) -> None:
    """Are an evaluation's draft, submitted score and moderation kept as on SQLite?"""
    rubric = load_station_rubric()
    draft = EvaluationDraft("S00001", "ev_chen", "2025-mid", dt.date(2025, 6, 10), _ratings(4))
    evaluation_id = store.save_evaluation_draft("ev_chen", latest(store, draft), rubric).record_id
    assert store.submit_evaluation("ev_chen", evaluation_id, rubric).total == 100.0
    stored = store.load_evaluation(evaluation_id)
    assert (stored.total, stored.grade, stored.status) == (100.0, "excellent", "submitted")
    second = EvaluationDraft("S00001", "ev_liu", "2025-mid", dt.date(2025, 6, 11), _ratings(3))
    store.save_evaluation_draft("ev_liu", latest(store, second), rubric)
    store.submit_evaluation("ev_liu", second.evaluation_id, rubric)
    assert set(store.submitted_ratings("S00001", rubric, "2025-mid")) == {"ev_chen", "ev_liu"}
    store.moderate("ev_he", "S00001", rubric, 58.5, "复核后调整", period="2025-mid")
    results = store.station_results()
    assert results.loc[0, "final_total"] == 58.5 and not results.loc[0, "needs_moderation"]
    with pytest.raises(LockedError):
        store.save_evaluation_draft("ev_chen", latest(store, draft), rubric)
    trail = store.audit_trail("evaluations", evaluation_id)
    assert ("update", "status", "draft", "submitted") in _changes(trail)


# --- transactions ------------------------------------------------------------------------


def test_the_store_still_works_after_a_refused_save(
    store: RecordsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After PostgreSQL refused a save (the transaction tests above), can the next one land?"""
    monkeypatch.setattr(supervision_module, "_check_carry", lambda *args: None)
    draft = _session(actions=(ActionDraft("跟进", "t_li", TODAY, carried_from_id="missing"),))
    with pytest.raises(SaveFailed):
        store.save_session_draft("sup_wang", latest(store, draft))
    store.save_session_draft("sup_wang", latest(store, _session()))
    assert _count(store, SupervisionSession) == 1


def test_two_writers_at_once_both_land(store: RecordsStore) -> None:
    """Do 2 x 25 saves from two stores (two threads) at the same moment all land?"""
    url = store.url.render_as_string(hide_password=False)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def hammer(worker: int, records: RecordsStore) -> None:
        try:
            start.wait()
            for i in range(25):
                draft = _session(session_id=f"w{worker}-{i:03d}", duration_min=30 + i)
                records.save_session_draft("sup_wang", latest(records, draft))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            records.close()

    # Opened one after the other: Alembic's migration context is process-global, not
    # thread-safe (apps are separate processes; see the test above for opening at once).
    writers = [_open(url) for _ in (1, 2)]
    threads = [threading.Thread(target=hammer, args=(n, w)) for n, w in enumerate(writers, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(store, SupervisionSession) == 50
    with store.reading() as session:
        created = session.scalar(
            sa.select(sa.func.count()).where(
                AuditEntry.table_name == "supervision_sessions", AuditEntry.field == "session_id"
            )
        )
    assert created == 50
    assert store.verify_audit().ok  # writers took turns at the end of the chain


# --- credentials ---------------------------------------------------------------------------


def test_password_never_appears_in_urls_or_errors(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    """Is the password hidden in ``safe_url`` and absent from a failed login's message?"""
    with _open(postgres_url) as records:
        assert postgres_server.password not in records.safe_url
        assert records.safe_url.startswith("postgresql+psycopg://shegong:***@127.0.0.1:")
    wrong = "Wr0ng-secret-42"
    with pytest.raises(StoreError) as caught:
        _open(postgres_server.url("records_missing_login", password=wrong))
    message = str(caught.value)
    zh, en = message.split("\n")
    assert "无法打开记录数据库" in zh and en.startswith("Cannot open the records database")
    assert "***" in message and wrong not in message
    assert postgres_server.password not in message


def test_missing_server_binaries_name_the_install_step(tmp_path: Path) -> None:
    """Without initdb/pg_ctl, does the fixture's error say to run `make system-deps`?"""
    (tmp_path / "15" / "bin").mkdir(parents=True)
    with pytest.raises(PostgresMissing, match=r"make system-deps.*tools/system-deps\.sh"):
        find_bin_dir(tmp_path)


# --- issue 10 on PostgreSQL: append-only audit rows, grants, versions, one evaluation a round ----


def test_audit_rows_cannot_be_changed_even_by_the_schema_owner(store: RecordsStore) -> None:
    """Do the triggers refuse UPDATE, DELETE and TRUNCATE of audit rows on PostgreSQL?"""
    store.save_session_draft("sup_wang", _session())
    for statement in (
        "UPDATE audit_log SET actor = 'someone_else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as c:
            c.exec_driver_sql(statement)
    assert set(store.audit_trail()["actor"]) == {"system", "sup_wang"}
    check = store.verify_audit()
    assert check.ok and check.rows == len(store.audit_trail())


def test_the_apps_role_may_add_audit_rows_but_never_change_them(
    store: RecordsStore, postgres_url: str
) -> None:
    """As the apps' own role (grant_app_role): saving works, rewriting the log is denied?"""
    url = sa.make_url(postgres_url)
    role, secret = f"app_{url.database}", "app-Secret-7"
    with store.engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{secret}'")
    grant_app_role(store.engine, role)
    app_url = url.set(username=role, password=secret).render_as_string(hide_password=False)
    try:
        with _open(app_url) as app:
            saved = app.save_session_draft("sup_wang", _session())
            assert saved.version == 1 and app.verify_audit().ok
            for statement, refusal in (
                ("UPDATE audit_log SET actor = 'x'", "permission denied"),
                ("DELETE FROM audit_log", "permission denied"),
                ("TRUNCATE audit_log", "permission denied"),
                ("DROP TRIGGER audit_log_no_change ON audit_log", "must be owner"),
                ("UPDATE shegong_records_version SET version_num = '0001'", "permission denied"),
            ):
                refused = pytest.raises(sa.exc.ProgrammingError, match=refusal)
                with refused, app.engine.begin() as connection:
                    connection.exec_driver_sql(statement)
        assert store.verify_audit().ok
    finally:
        with store.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP OWNED BY {role}")
            connection.exec_driver_sql(f"DROP ROLE {role}")


def test_stale_saves_and_second_evaluations_are_refused_on_postgresql(
    store: RecordsStore,
) -> None:
    """Versions and the one-evaluation-per-round constraint hold on PostgreSQL too?"""
    draft = _session()
    store.save_session_draft("sup_wang", draft)
    store.save_session_draft("sup_wang", dataclasses.replace(draft, version=1, duration_min=30))
    with pytest.raises(ConflictError):
        store.save_session_draft("sup_wang", dataclasses.replace(draft, version=1, issues="乙"))
    rubric = load_station_rubric()
    first = EvaluationDraft("S00001", "ev_chen", "2025-mid", TODAY, _ratings(3))
    store.save_evaluation_draft("ev_chen", first, rubric)
    with pytest.raises(DuplicateEvaluationError):
        store.save_evaluation_draft(
            "ev_chen", EvaluationDraft("S00001", "ev_chen", "2025-mid", TODAY), rubric
        )
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO evaluations (evaluation_id, station_id, evaluator_id, rubric_id,"
            " rubric_version, period, comment, status, version, created_at, updated_at)"
            " SELECT 'dup', station_id, evaluator_id, rubric_id, rubric_version, period, '',"
            " 'draft', 1, now(), now() FROM evaluations"
        )


def test_a_writer_slipping_in_between_check_and_update_is_a_conflict(
    store: RecordsStore, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tab B commits after tab A's version check but before A's UPDATE: is A refused?"""
    draft = _session()
    store.save_session_draft("sup_wang", draft)
    real_check = lifecycle_module.check_version
    raced: list[int] = []

    def check_then_let_tab_b_save(*args: object) -> None:
        real_check(*args)  # type: ignore[arg-type]
        if not raced:
            raced.append(1)
            with _open(postgres_url) as tab_b:  # another connection, committed at once
                tab_b.save_session_draft(
                    "sup_wang", dataclasses.replace(draft, version=1, issues="乙页")
                )

    monkeypatch.setattr(lifecycle_module, "check_version", check_then_let_tab_b_save)
    with pytest.raises(ConflictError) as caught:
        store.save_session_draft("sup_wang", dataclasses.replace(draft, version=1, issues="甲页"))
    assert caught.value.values["stored"] == 2 and caught.value.values["saved_by_id"] == "sup_wang"
    assert store.load_session(draft.session_id).draft.issues == "乙页"
