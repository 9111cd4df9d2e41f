"""Database plumbing of the records store: URLs, SQLite tuning, record locks, migrations.

- ``database_url``: a SQLAlchemy URL from a URL string or a SQLite file path.
- ``tune_sqlite``: WAL, ``synchronous=FULL``, busy timeout, foreign keys and ``BEGIN
  IMMEDIATE`` for writes, set by connection events (other dialects need none of it).
- ``check_sqlite_file``: an existing file that is empty or not SQLite is never migrated over.
- ``save_failure``: the reason id (disk full, locked, ...) of a driver error on a write.
- ``guard_locks``: a ``before_flush`` hook that refuses changes to submitted records.
- ``upgrade``/``downgrade``: Alembic, run programmatically on the migrations in this package
  (on PostgreSQL one process at a time, under an advisory lock).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.orm import InstanceState, Session

from .models import Evaluation, RecordStatus, SessionSupervisee, lock_owner
from .validation import DatabaseDamaged, LockedError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "shegong_records_version"
BUSY_TIMEOUT_MS = 30_000
CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
WRITE = "shegong_write"
# FULL: every commit waits for the WAL to reach the disk, so a save the page reports as saved
# survives a power cut (NORMAL survives a crashed process only). Cost: see ``RecordsStore``.
SYNCHRONOUS = "FULL"
# PostgreSQL advisory lock key held while migrating (any constant unique to this schema).
MIGRATION_LOCK = 0x5347_5245_4344  # "SGRECD"
# Fields of a locked record that may still change: moderation, and the trainee's signature.
CHANGEABLE_WHEN_LOCKED = {
    Evaluation: {"status", "moderation_id", "version", "updated_by"},
    SessionSupervisee: {"acknowledged_at"},
}
KINDS = {
    "supervision_sessions": "session",
    "evaluations": "evaluation",
    "competency_assessments": "assessment",
}


def china_today() -> dt.date:
    """Today in China (UTC+8): the date a station worker sees on the wall."""
    return dt.datetime.now(CHINA_TIME).date()


def database_url(target: str | Path) -> sa.URL:
    """A URL from a URL string or a SQLite file path (whose folder is created)."""
    if isinstance(target, str) and "://" in target:
        return sa.make_url(target)
    path = Path(target).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return sa.URL.create("sqlite+pysqlite", database=str(path))


SQLITE_HEADER = b"SQLite format 3\x00"


def check_sqlite_file(url: sa.URL) -> None:
    """DatabaseDamaged when the SQLite file exists but is empty or not a SQLite database.

    SQLite itself treats a 0-byte file as a new empty database, and the migrations would then
    create empty tables over what was a truncated records file: every record gone, silently.
    """
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    if url.query.get("uri") == "true" or str(url.database).startswith("file:"):
        return  # an SQLite URI (e.g. ``?mode=ro``): SQLite opens it as given
    path = Path(str(url.database))
    if not path.exists():
        with contextlib.suppress(OSError, sqlite3.Error):  # e.g. a read-only folder: the
            _create_sqlite_file(path)  # driver's own error then says so (records_open)
        return
    if not path.is_file():
        return  # a folder or device: the driver's own error says so (``error.records_open``)
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseDamaged("error.records_damaged", path=path, detail=str(error)) from None
    if header != SQLITE_HEADER:
        detail = "0 bytes" if not header else "no SQLite header"
        raise DatabaseDamaged("error.records_damaged", path=path, detail=detail)


def _create_sqlite_file(path: Path) -> None:
    """A new, valid (non-empty) SQLite file at ``path``, put in place atomically.

    Then a 0-byte file can only be a truncated one, never one another process is just
    creating; if someone else creates the file first, theirs is kept.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        connection = sqlite3.connect(tmp)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
        finally:
            connection.close()
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


_FAILURES = (
    ("disk_full", ("disk is full", "no space left", "could not extend file")),
    ("locked", ("database is locked", "database table is locked", "busy", "lock timeout")),
    ("read_only", ("readonly database", "read-only", "permission denied")),
    ("damaged", ("malformed", "not a database", "disk i/o error", "file is not a database")),
    ("unreachable", ("connection", "server closed", "could not connect", "terminating")),
)


def save_failure(error: BaseException) -> str:
    """The reason id of a database error on a write (``SaveFailed``'s ``reason``)."""
    message = str(getattr(error, "orig", error)).lower()
    for reason, needles in _FAILURES:
        if any(n in message for n in needles):
            return reason
    return "other"


def tune_sqlite(engine: sa.Engine, busy_timeout_ms: int) -> None:
    """WAL, busy timeout and foreign keys per connection; BEGIN IMMEDIATE for write transactions.

    The driver's own transaction handling is switched off so that SQLAlchemy emits BEGIN: a
    write transaction then takes the write lock up front and waits (busy timeout) for another
    writer, instead of failing when it later upgrades a read lock.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _committed(obj: Any, name: str) -> Any:
    """The value ``name`` had when ``obj`` was loaded (None for a new object)."""
    state = sa.inspect(obj)
    if state.pending or state.transient:
        return None
    history = state.attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(obj, name)


def guard_locks(session: Session, _context: Any, _instances: Any) -> None:
    """LockedError when a flush would change a submitted or moderated record or its rows."""
    new, dirty, deleted = list(session.new), list(session.dirty), list(session.deleted)
    edited = {id(obj) for obj in dirty} - {id(obj) for obj in deleted}
    for obj in itertools.chain(new, dirty, deleted):
        owner = lock_owner(obj)
        if owner is None:
            continue
        status = _committed(owner, "status")
        if status in (None, RecordStatus.DRAFT):
            continue
        if id(obj) in edited:
            state = sa.inspect(obj)
            changed = {
                a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()
            }
            if changed <= CHANGEABLE_WHEN_LOCKED.get(type(obj), set()):
                continue
        owner_state: InstanceState[Any] = sa.inspect(owner)
        key = owner_state.mapper.primary_key_from_instance(owner)[0]
        raise LockedError(
            "error.records_locked", kind=KINDS[owner.__tablename__], record=key, status=status
        )


def _alembic(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    config.attributes["version_table"] = VERSION_TABLE
    return config


def _one_migrator_at_a_time(connection: sa.Connection) -> None:
    """On PostgreSQL, wait for any other process migrating the same database.

    SQLite's ``BEGIN IMMEDIATE`` already queues writers. PostgreSQL would let two apps opening
    a new database at once both create the version table, and one fail; a transaction-scoped
    advisory lock makes the second wait, then find the schema at head.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK)))


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Migrate the schema up to ``revision`` in one write transaction."""
    with engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
        _one_migrator_at_a_time(connection)
        command.upgrade(_alembic(connection), revision)


def downgrade(engine: sa.Engine, revision: str = "base") -> None:
    """Migrate the schema down to ``revision`` (``base``: no tables)."""
    with engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
        _one_migrator_at_a_time(connection)
        command.downgrade(_alembic(connection), revision)
