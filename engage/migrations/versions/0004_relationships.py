"""relationships: people merged and last contacted, interactions both ways and stored once,
the draft that answers a colleague's reply, drafts that are a note to a person

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("last_contact_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_people_merged_into_id_people", "people", ["merged_into_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
        batch.create_index("ix_people_merged_into_id", ["merged_into_id"])
    with op.batch_alter_table("interactions") as batch:
        batch.add_column(sa.Column("direction", sa.String(length=3), nullable=False,
                                   server_default="in"))  # fmt: skip
        batch.add_column(sa.Column("platform", sa.String(length=20), nullable=False,
                                   server_default=""))  # fmt: skip
        batch.add_column(sa.Column("external_id", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("excerpt", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("answer_draft_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint(
            "uq_interactions_platform_external_id", ["platform", "external_id"]
        )
        batch.create_foreign_key(
            "fk_interactions_answer_draft_id_drafts", "drafts", ["answer_draft_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_drafts_person_id_people", "people", ["person_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_constraint("fk_drafts_person_id_people", type_="foreignkey")
        batch.drop_column("person_id")
    with op.batch_alter_table("interactions") as batch:
        batch.drop_constraint("fk_interactions_answer_draft_id_drafts", type_="foreignkey")
        batch.drop_constraint("uq_interactions_platform_external_id", type_="unique")
        for column in ("answer_draft_id", "excerpt", "external_id", "platform", "direction"):
            batch.drop_column(column)
    with op.batch_alter_table("people") as batch:
        batch.drop_index("ix_people_merged_into_id")
        batch.drop_constraint("fk_people_merged_into_id_people", type_="foreignkey")
        batch.drop_column("merged_into_id")
        batch.drop_column("last_contact_at")
