"""test reps: squats in a row logged on a test day (logged_sessions.reps)

Revision ID: 0007_test_reps
Revises: 0006_pacing
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_test_reps"
down_revision: str | None = "0006_pacing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("logged_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reps", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("logged_sessions", schema=None) as batch_op:
        batch_op.drop_column("reps")
