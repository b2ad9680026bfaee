"""scheduler: evening nudge due time, prompt attempts and due time, claimed-prompt index

Revision ID: 0002_scheduler
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0002_scheduler"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_nudge_at", storage.models.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            "ix_users_status_next_nudge", ["status", "next_nudge_at"], unique=False
        )
    with op.batch_alter_table("sent_prompts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_at", storage.models.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.create_index(
            "ix_sent_prompts_status_claimed", ["status", "claimed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sent_prompts", schema=None) as batch_op:
        batch_op.drop_index("ix_sent_prompts_status_claimed")
        batch_op.drop_column("attempts")
        batch_op.drop_column("due_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_status_next_nudge")
        batch_op.drop_column("next_nudge_at")
