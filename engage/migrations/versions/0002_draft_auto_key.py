"""drafts.auto_key: what a draft queued by the drafting step answers, unique

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("auto_key", sa.String(length=100), nullable=True))
    op.create_index("ix_drafts_auto_key", "drafts", ["auto_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_drafts_auto_key", table_name="drafts")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("auto_key")
