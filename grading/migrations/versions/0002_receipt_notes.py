"""Receipt notes: what intake left out of an accepted zip, kept with its receipt.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04

A zip can be accepted while some of its members are not extracted (undeclared in the
manifest, or an unsafe name). Before this revision only refused zips carried that list into
the status table; now every receipt keeps its notes (a JSON list of ``Note`` fields) and the
status of an accepted submission shows them too. Existing receipts get an empty list.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("receipts") as batch:
        batch.add_column(sa.Column("notes", sa.Text, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("receipts") as batch:
        batch.drop_column("notes")
