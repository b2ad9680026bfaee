"""Persistence: SQLAlchemy 2 async models, the database, repositories and Alembic migrations."""

import storage.batch_models  # noqa: F401 - the batch tables join the metadata
from storage.db import PlanDay, Store, Tx
from storage.models import (
    LoggedSession,
    PlannedSession,
    ProcessedMessage,
    SentPrompt,
    User,
    UserStatus,
)

__all__ = [
    "LoggedSession",
    "PlanDay",
    "PlannedSession",
    "ProcessedMessage",
    "SentPrompt",
    "Store",
    "Tx",
    "User",
    "UserStatus",
]
