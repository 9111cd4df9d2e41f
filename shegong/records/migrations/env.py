"""Alembic environment of the records store, run programmatically (no alembic.ini).

``shegong.records.store.upgrade``/``downgrade`` pass an open connection, already inside a
write transaction, in ``config.attributes["connection"]``; the migrations run on it, so a
failed migration rolls back whole (SQLite and PostgreSQL both have transactional DDL).
SQLite gets batch mode, so later migrations can alter tables SQLite cannot ALTER in place.
"""

from __future__ import annotations

from alembic import context

from shegong.records.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("records migrations run through shegong.records.store.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=config.attributes.get("version_table", "alembic_version"),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
