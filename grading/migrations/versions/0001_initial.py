"""Initial grading records: statuses, rubric choices and comments, comment bank, receipts.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

The tables ``grading.store`` made with ``create_all`` before migrations existed, written out
in full (no imports from ``shegong.grading.store``), so later changes to the store cannot
change what this revision creates. A database made by ``create_all`` is stamped at this
revision (``store.upgrade``) and migrated on from here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submission_status",
        sa.Column("assignment", sa.String(64), primary_key=True),
        sa.Column("student", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("auto_score", sa.Float, nullable=False),
        sa.Column("auto_max", sa.Float, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "rubric_choices",
        sa.Column("assignment", sa.String(64), primary_key=True),
        sa.Column("student", sa.String(64), primary_key=True),
        sa.Column("criterion", sa.String(64), primary_key=True),
        sa.Column("cell", sa.String(64), nullable=False),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("grader", sa.String(64), nullable=False),
        sa.Column("graded_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "rubric_comments",
        sa.Column("assignment", sa.String(64), primary_key=True),
        sa.Column("student", sa.String(64), primary_key=True),
        sa.Column("cell", sa.String(64), primary_key=True),
        sa.Column("bank_ids", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("grader", sa.String(64), nullable=False),
        sa.Column("graded_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "comment_bank",
        sa.Column("assignment", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("zh", sa.Text, nullable=False),
        sa.Column("en", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file", sa.String(255), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("receipt", sa.String(16), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("trainee", sa.String(64), nullable=False),
        sa.Column("assignment", sa.String(64), nullable=False),
        sa.Column("accepted", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("receipts", "comment_bank", "rubric_comments", "rubric_choices"):
        op.drop_table(table)
    op.drop_table("submission_status")
