"""PostgreSQL privileges for the apps' own database role: audit rows may be added, never changed.

Threat model: the apps (Voila kernels, notebooks) connect as a role of their own; a bug, a
notebook cell or someone with the apps' credentials must not be able to rewrite the audit
trail. ``grant_app_role`` gives that role what the apps need on every records table (SELECT,
INSERT, UPDATE, DELETE) and on ``audit_log`` only SELECT and INSERT (no UPDATE, DELETE or
TRUNCATE). The owner of the schema (who runs migrations) keeps full rights; the append-only
triggers of migration 0002 stop even the owner's ordinary UPDATE/DELETE, and the hash chain
(``shegong records verify``) shows what a superuser may still do by force.

Run once after ``upgrade`` as the schema owner (``GRANT_SQL`` is the same as a script for a
database administrator); the apps then connect with ``postgresql+psycopg://<role>@...``.
"""

from __future__ import annotations

import sqlalchemy as sa

from .database import VERSION_TABLE

GRANT_SQL = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    "REVOKE INSERT, UPDATE, DELETE ON " + VERSION_TABLE + " FROM {role}",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role}",
)


def grant_app_role(engine: sa.Engine, role: str) -> None:
    """Give ``role`` the apps' privileges (audit rows: insert and read only)."""
    if engine.dialect.name != "postgresql":
        raise ValueError("grants apply to PostgreSQL only; SQLite uses triggers (migration 0002)")
    quoted = engine.dialect.identifier_preparer.quote(role)
    with engine.begin() as connection:
        for statement in GRANT_SQL:
            connection.exec_driver_sql(statement.format(role=quoted))
