"""Versions, one evaluation per round, stations, lead evaluators, and a sealed audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

- ``version`` (starts at 1) and ``updated_by`` on the three edited records: saves carry the
  version their page saw, and a stale save is a conflict instead of an overwrite.
- One evaluation per evaluator, station, rubric version and period (round): a UNIQUE
  constraint. Databases written before it may hold duplicates (two tabs on a new station):
  the newest of each group keeps the round, the others are kept too (nothing is deleted) with
  the period marked ``<period>~dupN`` so that they no longer count in that round.
- ``stations``: the stations records may be about; ``people.lead``: lead evaluators 评估组长.
- ``audit_log.prev_hash``/``row_hash``: existing rows are chained in ``audit_id`` order, then
  the log is made append-only: SQLite triggers and PostgreSQL triggers refuse UPDATE and
  DELETE (and TRUNCATE on PostgreSQL) of audit rows. ``shegong.records.grants`` adds the
  PostgreSQL privileges for the apps' own role.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shegong.records import chain

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EDITED = ("supervision_sessions", "evaluations", "competency_assessments")
ROUND = ["station_id", "evaluator_id", "rubric_id", "rubric_version", "period"]
STATUS_ORDER = {"moderated": 0, "submitted": 1, "draft": 2}
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
PG_TRIGGERS = (
    "CREATE FUNCTION shegong_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION shegong_audit_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION shegong_audit_append_only()",
)


def _mark_duplicate_rounds() -> None:
    bind = op.get_bind()
    evaluations = sa.table(
        "evaluations",
        sa.column("evaluation_id", sa.String),
        sa.column("status", sa.String),
        sa.column("updated_at", sa.DateTime),
        *(sa.column(c, sa.String) for c in ROUND),
    )
    groups: dict[tuple[str, ...], list[sa.Row[tuple[object, ...]]]] = {}
    for row in bind.execute(sa.select(evaluations)):
        groups.setdefault(tuple(getattr(row, c) for c in ROUND), []).append(row)
    for rows in groups.values():
        rows.sort(key=lambda r: (STATUS_ORDER.get(r.status, 3), -r.updated_at.timestamp()))
        for number, row in enumerate(rows[1:], start=1):
            period = f"{row.period}~dup{number}"[-32:]
            bind.execute(
                sa.update(evaluations)
                .where(evaluations.c.evaluation_id == row.evaluation_id)
                .values(period=period)
            )


def _chain_existing_audit_rows() -> None:
    bind = op.get_bind()
    log = sa.table(
        "audit_log",
        sa.column("audit_id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        *(sa.column(f, sa.Text) for f in chain.FIELDS if f != "at"),
        sa.column("prev_hash", sa.String),
        sa.column("row_hash", sa.String),
    )
    prev = chain.GENESIS
    for row in bind.execute(sa.select(log).order_by(log.c.audit_id)).mappings().all():
        values = dict(row)
        sealed = chain.row_hash(prev, values)
        bind.execute(
            sa.update(log)
            .where(log.c.audit_id == row["audit_id"])
            .values(prev_hash=prev, row_hash=sealed)
        )
        prev = sealed


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("station_id", sa.String(32), nullable=False),
        sa.Column("agency_id", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_stations")),
    )
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("lead", sa.Boolean(), nullable=False, server_default=sa.false()))
    for table in EDITED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
            batch.add_column(sa.Column("updated_by", sa.String(64), nullable=True))
    _mark_duplicate_rounds()
    with op.batch_alter_table("evaluations") as batch:
        batch.create_unique_constraint("uq_evaluations_one_per_round", ROUND)

    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(64), nullable=True))
    _chain_existing_audit_rows()
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("row_hash", existing_type=sa.String(64), nullable=False)
    for statement in SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else PG_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS shegong_audit_append_only()")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
    with op.batch_alter_table("evaluations") as batch:
        batch.drop_constraint("uq_evaluations_one_per_round", type_="unique")
    for table in EDITED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("updated_by")
            batch.drop_column("version")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("lead")
    op.drop_table("stations")
