"""feedback: rejections with a reason that rank their kind of thread lower until undone

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("intent", sa.String(length=40), nullable=False),
        sa.Column("specialty", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_feedback_draft_id_drafts",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"],
                                name="fk_feedback_thread_id_threads", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
    )  # fmt: skip
    op.create_index("ix_feedback_draft_id", "feedback", ["draft_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_draft_id", table_name="feedback")
    op.drop_table("feedback")
