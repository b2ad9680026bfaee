"""pacing: per-key next-free send times shared by every instance (bot/pacing_shared.py)

Revision ID: 0006_pacing
Revises: 0005_batches
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_pacing"
down_revision: str | None = "0005_batches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pace_slots",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("due", sa.Float(precision=53), nullable=False),  # seconds since the epoch
    )
    if op.get_bind().dialect.name == "postgresql":
        # Pacing state is worth nothing after a crash: skip the write-ahead log for it.
        op.execute("ALTER TABLE pace_slots SET UNLOGGED")


def downgrade() -> None:
    op.drop_table("pace_slots")
