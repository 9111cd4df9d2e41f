"""Is ``grading.db`` under Alembic: migrations equal the store's tables, and a file made by
the old ``create_all`` is adopted with every row kept?"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from shegong.grading import status, store
from shegong.grading.config import CoursePaths
from shegong.grading.model import Note, Status
from shegong.paths import Workspace


def _differences(engine: sa.Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": store.VERSION_TABLE, "compare_type": True}
        )
        return list(compare_metadata(context, store.META))


def _version(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        found = connection.exec_driver_sql(f"SELECT version_num FROM {store.VERSION_TABLE}")
        return [row[0] for row in found]


def test_the_migrations_ship_with_the_package_and_head_is_known() -> None:
    """env.py, the template and one linear history whose head is ``store.HEAD``?"""
    assert (store.MIGRATIONS / "env.py").is_file()
    assert (store.MIGRATIONS / "script.py.mako").is_file()
    script = ScriptDirectory(str(store.MIGRATIONS))
    assert script.get_heads() == [store.HEAD]
    assert [r.revision for r in script.walk_revisions()] == ["0002", "0001"]


def test_a_new_file_gets_exactly_the_stores_tables(tmp_path: Path) -> None:
    """Does opening a new grading.db create the store's schema, with no difference?"""
    engine = store.engine_for(tmp_path / "grading.db")
    tables = set(sa.inspect(engine).get_table_names())
    assert tables == set(store.META.tables) | {store.VERSION_TABLE}
    assert _differences(engine) == []
    assert _version(engine) == [store.HEAD]
    engine.dispose()


def test_the_comparison_would_notice_a_drift(tmp_path: Path) -> None:
    """Would the equality test catch a table changed without a migration? (A control.)"""
    engine = store.engine_for(tmp_path / "grading.db")
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE receipts ADD COLUMN stray TEXT")
    assert _differences(engine) != []
    engine.dispose()


def test_a_file_made_by_create_all_is_adopted_with_its_rows(tmp_path: Path) -> None:
    """A grading.db from before migrations (tables, no version table) with rows in it: is it
    stamped and migrated on, every row still there and readable?"""
    path = tmp_path / "grading.db"
    old = sa.create_engine(f"sqlite:///{path}")
    store.upgrade(old, "0001")  # what create_all made before migrations: 0001's tables...
    with old.begin() as db:
        db.exec_driver_sql(f"DROP TABLE {store.VERSION_TABLE}")  # ...and no version table
    tables = sa.MetaData()
    tables.reflect(old)
    with old.begin() as db:
        db.execute(
            sa.insert(tables.tables["submission_status"]).values(
                assignment="casework", student="W01", status="timed_out",
                notes=json.dumps([{"code": "timeout", "cell": "q1", "detail": ""}]),
                auto_score=1.0, auto_max=4.0, seconds=2.5, content_hash="abc",
                updated_at="2025-03-01T08:00:00+00:00",
            )
        )  # fmt: skip
        db.execute(
            sa.insert(tables.tables["receipts"]).values(
                file="casework+W01+ABCD.zip", received_at="2025-03-01T08:00:00+00:00",
                receipt="ABCD", content_sha256="f" * 64, trainee="W01",
                assignment="casework", accepted=True, reason="accepted",
            )
        )  # fmt: skip
    assert not sa.inspect(old).has_table(store.VERSION_TABLE)
    old.dispose()

    paths = CoursePaths(Workspace(tmp_path))
    assert paths.grading_db == path
    (row,) = status.rows(paths)  # opens through engine_for
    assert (row.assignment, row.student, row.status) == ("casework", "W01", Status.TIMED_OUT)
    assert row.notes == (Note("timeout", cell="q1"),)
    assert (row.auto_score, row.auto_max, row.content_hash) == (1.0, 4.0, "abc")
    with store.connect(path) as db:
        receipts = db.execute(sa.select(store.receipts)).mappings().all()
    assert [(r["receipt"], r["trainee"], r["accepted"], r["notes"]) for r in receipts] == [
        ("ABCD", "W01", True, "[]")
    ]  # 0002 gave the old receipt an empty list of notes
    engine = store.engine_for(path)
    assert _version(engine) == [store.HEAD]
    assert _differences(engine) == []
    engine.dispose()


def test_opening_again_keeps_the_rows_and_the_version(tmp_path: Path) -> None:
    """Recording, then opening the file again (as every step does): one version row, rows
    kept?"""
    paths = CoursePaths(Workspace(tmp_path))
    status.record(paths, "casework", "W02", Status.GRADED, auto_score=3.0, auto_max=4.0)
    status.record(paths, "casework", "W03", Status.REJECTED)
    assert [r.student for r in status.rows(paths)] == ["W02", "W03"]
    engine = store.engine_for(paths.grading_db)
    assert _version(engine) == [store.HEAD]
    engine.dispose()
