"""publishing: drafts held back (publish_after) and how they went out (published_via); the
engagement log's move, community, route and external id

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("published_via", sa.String(length=10), nullable=True))
    op.add_column("drafts", sa.Column("publish_after", sa.DateTime(), nullable=True))
    op.add_column("engagements", sa.Column("move", sa.String(length=40), nullable=True))
    op.add_column(
        "engagements",
        sa.Column("community", sa.String(length=300), nullable=False, server_default=""),
    )
    op.add_column(
        "engagements",
        sa.Column("via", sa.String(length=10), nullable=False, server_default="api"),
    )
    op.add_column("engagements", sa.Column("external_id", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        for column in ("external_id", "via", "community", "move"):
            batch.drop_column(column)
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("publish_after")
        batch.drop_column("published_via")
