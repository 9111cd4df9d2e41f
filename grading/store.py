"""shegong's own grading records, beside nbgrader's gradebook (``<workspace>/grading.db``).

nbgrader's gradebook holds scores and comments; it has no place for who graded a written
answer, which rubric levels they chose, a comment bank, an intake log of received zips, or
a status per submission. Those live here, in four tables (SQLAlchemy Core, so a PostgreSQL
URL works like the gradebook's):

- ``submission_status``: one row per (assignment, student): status, notes, scores, the
  content hash of the submitted files (resuming skips unchanged, already graded ones);
- ``rubric_choices``: one row per (assignment, student, criterion): points, grader, time;
- ``rubric_comments``: the comment on one written answer: bank ids, free text, grader, time;
- ``comment_bank``: comments supervisors added to an assignment's bank (the rubric file
  seeds it);
- ``receipts``: every zip intake saw, accepted or not, with its receipt code and reason.

The schema is under Alembic, like the records store: the migrations ship with the package
(``grading/migrations/``, configured in code, no ``alembic.ini``) and ``engine_for`` brings
the file to the newest revision (``HEAD``) when it opens it. A ``grading.db`` made before
migrations existed (by ``create_all``: the tables, no version table) is adopted: stamped at
``0001``, whose tables are exactly those, and migrated on, every row kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    inspect,
    select,
)
from sqlalchemy.engine import Engine

META = MetaData()
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "shegong_grading_version"
HEAD = "0002"  # the newest migration (a test checks it is the scripts' head)

submission_status = Table(
    "submission_status",
    META,
    Column("assignment", String(64), primary_key=True),
    Column("student", String(64), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("notes", Text, nullable=False, default="[]"),
    Column("auto_score", Float, nullable=False, default=0.0),
    Column("auto_max", Float, nullable=False, default=0.0),
    Column("seconds", Float, nullable=False, default=0.0),
    Column("content_hash", String(64), nullable=False, default=""),
    Column("updated_at", String(40), nullable=False),
)

rubric_choices = Table(
    "rubric_choices",
    META,
    Column("assignment", String(64), primary_key=True),
    Column("student", String(64), primary_key=True),
    Column("criterion", String(64), primary_key=True),
    Column("cell", String(64), nullable=False),
    Column("points", Float, nullable=False),
    Column("grader", String(64), nullable=False),
    Column("graded_at", String(40), nullable=False),
)

rubric_comments = Table(
    "rubric_comments",
    META,
    Column("assignment", String(64), primary_key=True),
    Column("student", String(64), primary_key=True),
    Column("cell", String(64), primary_key=True),
    Column("bank_ids", Text, nullable=False, default="[]"),
    Column("text", Text, nullable=False, default=""),
    Column("grader", String(64), nullable=False),
    Column("graded_at", String(40), nullable=False),
)

comment_bank = Table(
    "comment_bank",
    META,
    Column("assignment", String(64), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("zh", Text, nullable=False),
    Column("en", Text, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
)

receipts = Table(
    "receipts",
    META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file", String(255), nullable=False),
    Column("received_at", String(40), nullable=False),
    Column("receipt", String(16), nullable=False, default=""),
    Column("content_sha256", String(64), nullable=False, default=""),
    Column("trainee", String(64), nullable=False, default=""),
    Column("assignment", String(64), nullable=False, default=""),
    Column("accepted", Boolean, nullable=False),
    Column("reason", String(64), nullable=False),
    Column("notes", Text, nullable=False, default="[]"),  # JSON list of Note (0002)
)


def now() -> str:
    """The current time, ISO 8601 with the UTC offset (what every table stores)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _alembic(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    config.attributes["version_table"] = VERSION_TABLE
    return config


def _revision(connection: Connection) -> str | None:
    """The revision the database is at (None: no version table)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    table = Table(VERSION_TABLE, MetaData(), Column("version_num", String(32)))
    return connection.execute(select(table.c.version_num)).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction, adopting a ``create_all`` file."""
    with engine.begin() as connection:
        if revision == "head" and _revision(connection) == HEAD:
            return  # the common case: no migration scripts read
        config = _alembic(connection)
        if _revision(connection) is None and inspect(connection).has_table("submission_status"):
            command.stamp(config, "0001")  # made by create_all: 0001's tables, no version
        command.upgrade(config, revision)


def engine_for(path: Path) -> Engine:
    """An engine on the grading records at ``path`` (schema migrated to ``HEAD``)."""
    engine = create_engine(f"sqlite:///{path}", future=True)
    upgrade(engine)
    return engine


@contextmanager
def connect(path: Path) -> Iterator[Connection]:
    """A transaction on the grading records: committed on success, rolled back on error.

    The engine is disposed afterwards, so no connection outlives the block.
    """
    engine = engine_for(path)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()
