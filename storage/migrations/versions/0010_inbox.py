"""inbox: every update saved before it is acknowledged; message ids kept only as keyed hashes

Revision ID: 0010_inbox
Revises: 0009_outbox

`processed_messages` held platform message ids in the clear (a WhatsApp id carries the
sender's number); from now on it holds HMAC-SHA256 hashes, so the clear rows are dropped.
An update redelivered across the upgrade may be handled once more.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0010_inbox"
down_revision: str | None = "0009_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = storage.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("chat_key", sa.String(64), nullable=False),
        sa.Column("order_ts", sa.BigInteger(), nullable=False),
        sa.Column("order_key", sa.String(128), nullable=False),
        sa.Column("message_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("lease_until", UTC(), nullable=True),
        sa.Column("owner", sa.String(32), nullable=True),
        sa.Column("received_at", UTC(), nullable=False),
        sa.Column("done_at", UTC(), nullable=True),
    )
    op.create_index("ix_inbox_chat_state", "inbox", ["channel", "chat_key", "state"])
    op.create_index("ix_inbox_state_done", "inbox", ["state", "done_at"])
    op.execute("DELETE FROM processed_messages")
    op.create_index("ix_processed_at", "processed_messages", ["processed_at"])


def downgrade() -> None:
    op.drop_index("ix_processed_at", "processed_messages")
    op.drop_index("ix_inbox_state_done", "inbox")
    op.drop_index("ix_inbox_chat_state", "inbox")
    op.drop_table("inbox")
