"""Initial records schema: people, supervision, evaluations, competency, audit trail.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written out in full (no imports from ``shegong.records.models``) so that later model changes
cannot change what this revision creates; ``tests/records/test_migrations.py`` proves that
head equals the models.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROLES = ("trainee", "supervisor", "evaluator", "manager")
MODES = ("individual", "group", "peer", "onsite", "online")
FUNCTIONS = ("administrative", "educational", "supportive", "project_planning", "resource_linking")
FLAGS = ("suicide_risk", "abuse", "confidentiality_breach", "other")


def _choice(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _stamps() -> list[sa.Column[dt.datetime]]:
    return [
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
    ]


def _person_fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["people.person_id"], name=op.f(f"fk_{table}_{column}_people")
    )


def _parent_fk(table: str, column: str, parent: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{parent}.{column}"],
        name=op.f(f"fk_{table}_{column}_{parent}"),
        ondelete="CASCADE",
    )


def _session_child(table: str, *items: sa.schema.SchemaItem, primary: tuple[str, ...]) -> None:
    op.create_table(
        table,
        sa.Column("session_id", sa.String(36), nullable=False),
        *items,
        _parent_fk(table, "session_id", "supervision_sessions"),
        sa.PrimaryKeyConstraint("session_id", *primary, name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("role", _choice("role", *ROLES), nullable=False),
        sa.Column("station_id", sa.String(32), nullable=True),
        sa.Column("agency_id", sa.String(32), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_people")),
    )

    # supervision
    op.create_table(
        "supervision_sessions",
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("supervisor_id", sa.String(64), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=True),
        sa.Column("mode", _choice("mode", *MODES), nullable=True),
        sa.Column("duration_min", sa.Integer(), nullable=True),
        sa.Column("issues", sa.Text(), nullable=False),
        sa.Column("guidance", sa.Text(), nullable=False),
        sa.Column("status", _choice("status", "draft", "submitted"), nullable=False),
        sa.Column("submitted_at", _utc(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "duration_min BETWEEN 1 AND 480", name=op.f("ck_supervision_sessions_duration_range")
        ),
        _person_fk("supervisor_id", "supervision_sessions"),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_supervision_sessions")),
    )
    op.create_index(
        op.f("ix_supervision_sessions_session_date"), "supervision_sessions", ["session_date"]
    )
    op.create_index(
        op.f("ix_supervision_sessions_supervisor_id"), "supervision_sessions", ["supervisor_id"]
    )
    _session_child(
        "session_supervisees",
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("acknowledged_at", _utc(), nullable=True),
        _person_fk("person_id", "session_supervisees"),
        primary=("person_id",),
    )
    op.create_index(op.f("ix_session_supervisees_person_id"), "session_supervisees", ["person_id"])
    _session_child(
        "session_functions",
        sa.Column("function", _choice("function", *FUNCTIONS), nullable=False),
        primary=("function",),
    )
    _session_child(
        "session_discussed",
        sa.Column("kind", _choice("kind", "case", "group"), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        primary=("kind", "ref"),
    )
    _session_child(
        "session_risks",
        sa.Column("flag", _choice("flag", *FLAGS), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        primary=("flag",),
    )
    op.create_table(
        "action_items",
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", _choice("action_status", "open", "done", "dropped"), nullable=False),
        sa.Column("carried_from_id", sa.String(36), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["carried_from_id"],
            ["action_items.item_id"],
            name=op.f("fk_action_items_carried_from_id_action_items"),
        ),
        _person_fk("owner_id", "action_items"),
        _parent_fk("action_items", "session_id", "supervision_sessions"),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_action_items")),
    )
    op.create_index(op.f("ix_action_items_carried_from_id"), "action_items", ["carried_from_id"])
    op.create_index(op.f("ix_action_items_session_id"), "action_items", ["session_id"])

    # station evaluation
    op.create_table(
        "moderations",
        sa.Column("moderation_id", sa.String(36), nullable=False),
        sa.Column("station_id", sa.String(32), nullable=False),
        sa.Column("rubric_id", sa.String(64), nullable=False),
        sa.Column("rubric_version", sa.String(32), nullable=False),
        sa.Column("period", sa.String(32), nullable=False),
        sa.Column("lead_id", sa.String(64), nullable=False),
        sa.Column("final_total", sa.Float(), nullable=False),
        sa.Column("final_grade", sa.String(32), nullable=False),
        sa.Column("vetoed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "final_total BETWEEN 0 AND 100", name=op.f("ck_moderations_total_range")
        ),
        _person_fk("lead_id", "moderations"),
        sa.PrimaryKeyConstraint("moderation_id", name=op.f("pk_moderations")),
    )
    op.create_index(op.f("ix_moderations_station_id"), "moderations", ["station_id"])
    op.create_table(
        "evaluations",
        sa.Column("evaluation_id", sa.String(36), nullable=False),
        sa.Column("station_id", sa.String(32), nullable=False),
        sa.Column("evaluator_id", sa.String(64), nullable=False),
        sa.Column("rubric_id", sa.String(64), nullable=False),
        sa.Column("rubric_version", sa.String(32), nullable=False),
        sa.Column("period", sa.String(32), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("status", _choice("status", "draft", "submitted", "moderated"), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(32), nullable=True),
        sa.Column("vetoed", sa.Boolean(), nullable=True),
        sa.Column("moderation_id", sa.String(36), nullable=True),
        sa.Column("submitted_at", _utc(), nullable=True),
        *_stamps(),
        _person_fk("evaluator_id", "evaluations"),
        sa.ForeignKeyConstraint(
            ["moderation_id"],
            ["moderations.moderation_id"],
            name=op.f("fk_evaluations_moderation_id_moderations"),
        ),
        sa.PrimaryKeyConstraint("evaluation_id", name=op.f("pk_evaluations")),
    )
    op.create_index(op.f("ix_evaluations_evaluator_id"), "evaluations", ["evaluator_id"])
    op.create_index(op.f("ix_evaluations_moderation_id"), "evaluations", ["moderation_id"])
    op.create_index(op.f("ix_evaluations_station_id"), "evaluations", ["station_id"])
    op.create_table(
        "evaluation_ratings",
        sa.Column("evaluation_id", sa.String(36), nullable=False),
        sa.Column("indicator_id", sa.String(64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        _parent_fk("evaluation_ratings", "evaluation_id", "evaluations"),
        sa.PrimaryKeyConstraint(
            "evaluation_id", "indicator_id", name=op.f("pk_evaluation_ratings")
        ),
    )
    op.create_table(
        "evaluation_vetoes",
        sa.Column("evaluation_id", sa.String(36), nullable=False),
        sa.Column("veto_id", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _parent_fk("evaluation_vetoes", "evaluation_id", "evaluations"),
        sa.PrimaryKeyConstraint("evaluation_id", "veto_id", name=op.f("pk_evaluation_vetoes")),
    )

    # trainee competency
    op.create_table(
        "competency_assessments",
        sa.Column("assessment_id", sa.String(36), nullable=False),
        sa.Column("trainee_id", sa.String(64), nullable=False),
        sa.Column("assessor_id", sa.String(64), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("rubric_id", sa.String(64), nullable=False),
        sa.Column("rubric_version", sa.String(32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("status", _choice("status", "draft", "submitted"), nullable=False),
        sa.Column("submitted_at", _utc(), nullable=True),
        *_stamps(),
        _person_fk("assessor_id", "competency_assessments"),
        _person_fk("trainee_id", "competency_assessments"),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_competency_assessments")),
    )
    op.create_index(
        op.f("ix_competency_assessments_trainee_id"), "competency_assessments", ["trainee_id"]
    )
    op.create_table(
        "competency_ratings",
        sa.Column("assessment_id", sa.String(36), nullable=False),
        sa.Column("competency_id", sa.String(64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("self_level", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name=op.f("ck_competency_ratings_level_range")),
        sa.CheckConstraint(
            "self_level BETWEEN 1 AND 5", name=op.f("ck_competency_ratings_self_level_range")
        ),
        _parent_fk("competency_ratings", "assessment_id", "competency_assessments"),
        sa.PrimaryKeyConstraint(
            "assessment_id", "competency_id", name=op.f("pk_competency_ratings")
        ),
    )

    # audit trail
    op.create_table(
        "audit_log",
        sa.Column("audit_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", _choice("action", "create", "update", "delete"), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(200), nullable=False),
        sa.Column("field", sa.String(64), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("audit_id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index("ix_audit_log_table_row", "audit_log", ["table_name", "row_id"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "competency_ratings",
        "competency_assessments",
        "evaluation_vetoes",
        "evaluation_ratings",
        "evaluations",
        "moderations",
        "action_items",
        "session_risks",
        "session_discussed",
        "session_functions",
        "session_supervisees",
        "supervision_sessions",
        "people",
    ):
        op.drop_table(table)
