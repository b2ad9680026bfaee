"""outbox: messages to send, written with the step or claim that decided them

Revision ID: 0006_outbox
Revises: 0005_batches
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0006_outbox"
down_revision: str | None = "0005_batches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = storage.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("not_after", UTC(), nullable=False),
        sa.Column("next_attempt_at", UTC(), nullable=False),
        sa.Column("claimed_until", UTC(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("resends", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("sent_at", UTC(), nullable=True),
        sa.Column("error", sa.String(64), nullable=True),
        sa.Column("prompt_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_outbox_due", "outbox", ["channel", "status", "next_attempt_at"])
    op.create_index("ix_outbox_chat", "outbox", ["channel", "user_key", "status", "id"])
    op.create_index("ix_outbox_status_created", "outbox", ["status", "created_at"])


def downgrade() -> None:
    op.drop_table("outbox")
