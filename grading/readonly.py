"""Reading the grading databases without ever writing to them (what the apps' pages do).

nbgrader's ``Gradebook`` and SQLite both create a database when asked to open a missing file,
and ``grading.store.connect`` migrates the schema first; a page that only shows results must
do neither. ``read_only_url`` opens an existing SQLite file in SQLite's read-only mode, and
``submission_statuses`` reads the grading status of every submission that way.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, select

from shegong.grading.store import submission_status


def read_only_url(path: Path) -> str:
    """A SQLAlchemy URL that opens the SQLite file at ``path`` read-only (never creating it)."""
    return f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true"


def has_database(path: Path) -> bool:
    """True for a non-empty file (SQLite would make an empty file into a new database)."""
    return path.is_file() and path.stat().st_size > 0


def submission_statuses(grading_db: Path) -> dict[tuple[str, str], str]:
    """``(assignment, student) -> status`` from ``grading.db`` (none when it does not exist).

    SQLAlchemy's errors reach the caller (a file that is not this version's database).
    """
    if not has_database(grading_db):
        return {}
    table = submission_status
    engine = create_engine(read_only_url(grading_db))
    try:
        with engine.connect() as db:
            found = db.execute(select(table.c.assignment, table.c.student, table.c.status))
            return {(str(a), str(s)): str(status) for a, s, status in found}
    finally:
        engine.dispose()
