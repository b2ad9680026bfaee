"""planned_sessions.given: the day's session was sent or shown, so its row stays as it was

Revision ID: 0008_given_days
Revises: 0007_test_reps
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_given_days"
down_revision: str | None = "0007_test_reps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("planned_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("given", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("planned_sessions", schema=None) as batch_op:
        batch_op.drop_column("given")
