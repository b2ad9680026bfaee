"""activity logs: distance, climb, floors, pack, activity, source and file hash on logged
sessions (one file logged once per user); the calendar feed secret on users

Revision ID: 0004_activity_logs
Revises: 0003_plan_for_prompt
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_activity_logs"
down_revision: str | None = "0003_plan_for_prompt"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("logged_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("distance_km", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("climb_m", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("floors", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pack_kg", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("activity", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=8), nullable=False,
                                      server_default="chat"))
        batch_op.add_column(sa.Column("file_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_logged_user_file", ["user_id", "file_hash"])
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_secret", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("feed_secret")
    with op.batch_alter_table("logged_sessions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_logged_user_file", type_="unique")
        for name in ("file_hash", "source", "activity", "pack_kg", "floors", "climb_m",
                     "distance_km"):
            batch_op.drop_column(name)
