"""batches: trek batches and members, leaders, invites, alerts, broadcasts, web secrets

Revision ID: 0005_batches
Revises: 0004_activity_logs
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0005_batches"
down_revision: str | None = "0004_activity_logs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = storage.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("trek_date", sa.Date(), nullable=False),
        sa.Column("grade", sa.String(16), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
    )
    op.create_table(
        "batch_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("batch_id", sa.Integer(),
                  sa.ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
        sa.Column("joined_at", UTC(), nullable=False),
    )
    op.create_index("ix_batch_members_batch_id", "batch_members", ["batch_id"])
    op.create_table(
        "leaders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("chat_code", sa.String(32), nullable=False, unique=True),
        sa.Column("chat_channel", sa.String(16), nullable=True),
        sa.Column("chat_key", sa.String(128), nullable=True),
        sa.Column("linked_at", UTC(), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
    )
    op.create_table(
        "leader_batches",
        sa.Column("leader_id", sa.Integer(),
                  sa.ForeignKey("leaders.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("batch_id", sa.Integer(),
                  sa.ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "leader_invites",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("leader_id", sa.Integer(),
                  sa.ForeignKey("leaders.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", UTC(), nullable=False),
        sa.Column("used_at", UTC(), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
    )
    op.create_table(
        "leader_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("leader_id", sa.Integer(),
                  sa.ForeignKey("leaders.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.UniqueConstraint("leader_id", "user_id", "kind", "key", name="uq_leader_alert"),
    )
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("batch_id", sa.Integer(),
                  sa.ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
        sa.Column("leader_id", sa.Integer(),
                  sa.ForeignKey("leaders.id", ondelete="SET NULL"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("nonce", sa.String(64), nullable=True, unique=True),
        sa.Column("created_at", UTC(), nullable=False),
    )
    op.create_table(
        "broadcast_sends",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("broadcast_id", sa.Integer(),
                  sa.ForeignKey("broadcasts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_at", UTC(), nullable=True),
        sa.Column("sent_at", UTC(), nullable=True),
        sa.UniqueConstraint("broadcast_id", "user_id", name="uq_broadcast_user"),
    )
    op.create_index("ix_broadcast_sends_status", "broadcast_sends", ["status"])
    op.create_table(
        "web_secrets",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    for table in ("web_secrets", "broadcast_sends", "broadcasts", "leader_alerts",
                  "leader_invites", "leader_batches", "leaders", "batch_members", "batches"):
        op.drop_table(table)
