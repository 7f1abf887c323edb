"""threads.triage: the crisis detector's answer, read once per text and version

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("threads", sa.Column("triage", sa.JSON(), nullable=True))
    op.add_column("threads", sa.Column("triage_version", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("threads") as batch:
        batch.drop_column("triage_version")
        batch.drop_column("triage")
