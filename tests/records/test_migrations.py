"""Do the Alembic migrations build exactly the models' schema, and take it down again?"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from shegong.records import RecordsStore, downgrade, upgrade
from shegong.records.database import MIGRATIONS, VERSION_TABLE
from shegong.records.models import Base


def _engine(tmp_path: Path) -> sa.Engine:
    return sa.create_engine(f"sqlite:///{tmp_path / 'records.db'}")


def _differences(engine: sa.Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": VERSION_TABLE, "compare_type": True}
        )
        return list(compare_metadata(context, Base.metadata))


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_migration_files_are_found_next_to_the_package() -> None:
    """Are env.py, the template and one linear history (head 0002) shipped in the package?"""
    assert (MIGRATIONS / "env.py").is_file() and (MIGRATIONS / "script.py.mako").is_file()
    script = ScriptDirectory(str(MIGRATIONS))
    assert script.get_heads() == ["0002"]
    assert [r.revision for r in script.walk_revisions()] == ["0002", "0001"]


def test_upgrade_head_on_an_empty_file_equals_the_models(tmp_path: Path) -> None:
    """Does `upgrade head` create the models' schema with no difference at all?"""
    engine = _engine(tmp_path)
    upgrade(engine)
    assert _tables(engine) == set(Base.metadata.tables) | {VERSION_TABLE}
    assert _differences(engine) == []
    engine.dispose()


def test_comparison_would_notice_a_drift(tmp_path: Path) -> None:
    """Would the equality test catch a model change without a migration? (A control.)"""
    engine = _engine(tmp_path)
    upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_evaluations_station_id")
    assert _differences(engine) != []
    engine.dispose()


def test_downgrade_base_removes_everything_and_upgrade_rebuilds(tmp_path: Path) -> None:
    """Does `downgrade base` drop every table, and does upgrading again work?"""
    engine = _engine(tmp_path)
    upgrade(engine)
    downgrade(engine, "base")
    assert _tables(engine) == {VERSION_TABLE}
    upgrade(engine)
    assert _differences(engine) == []
    engine.dispose()


def test_store_migrates_when_it_opens_and_again_is_harmless(tmp_path: Path) -> None:
    """Does opening a store bring a new file to head, and reopening leave it there?"""
    for _ in range(2):
        store = RecordsStore(tmp_path / "records.db")
        with store.engine.connect() as connection:
            version = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")
            assert version.scalars().all() == ["0002"]
        store.close()


def test_open_without_migrating_leaves_the_file_alone(tmp_path: Path) -> None:
    """With migrate=False, is the schema left for an administrator to upgrade?"""
    store = RecordsStore(tmp_path / "records.db", migrate=False)
    assert _tables(store.engine) == set()
    store.close()


def test_every_primary_key_has_a_conventional_name() -> None:
    """Are constraints named by convention, so later migrations can address them by name?"""
    for name, table in Base.metadata.tables.items():
        assert table.primary_key.name == f"pk_{name}"


def test_duplicate_evaluations_of_a_round_survive_the_upgrade_without_counting_twice(
    tmp_path: Path,
) -> None:
    """Two evaluations of one round from before 0002 (two tabs): both kept, one counts?"""
    engine = _engine(tmp_path)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO people (person_id, display_name, role, active, created_at, updated_at)"
            " VALUES ('ev1', '陈评估', 'evaluator', 1, '2025-01-01', '2025-01-01')"
        )
        for number, (status, updated) in enumerate(
            [("draft", "2025-06-02 08:00:00"), ("submitted", "2025-06-01 08:00:00")]
        ):
            connection.exec_driver_sql(
                "INSERT INTO evaluations (evaluation_id, station_id, evaluator_id, rubric_id,"
                " rubric_version, period, comment, status, created_at, updated_at)"
                f" VALUES ('e{number}', 'S1', 'ev1', 'r', '1', '2025-mid', '', '{status}',"
                f" '{updated}', '{updated}')"
            )
    upgrade(engine)
    with engine.connect() as connection:
        rows = dict(
            connection.exec_driver_sql("SELECT evaluation_id, period FROM evaluations").all()
        )
    assert rows == {"e1": "2025-mid", "e0": "2025-mid~dup1"}  # the submitted one keeps the round
    assert _differences(engine) == []
    engine.dispose()
