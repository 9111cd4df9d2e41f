"""Alembic environment of ``grading.db``, run programmatically (no alembic.ini).

``shegong.grading.store.upgrade`` passes an open connection, inside one transaction, in
``config.attributes["connection"]``; the migrations run on it, so a failed migration rolls
back whole. SQLite gets batch mode, so later migrations can alter tables in place.
"""

from __future__ import annotations

from alembic import context

from shegong.grading.store import META

config = context.config
connection = config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("grading migrations run through shegong.grading.store.upgrade()")

context.configure(
    connection=connection,
    target_metadata=META,
    version_table=config.attributes.get("version_table", "alembic_version"),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
