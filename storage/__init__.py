"""Persistence: SQLAlchemy 2 async models, the database, repositories and Alembic migrations."""

import storage.batch_models  # noqa: F401 - the batch tables join the metadata
import storage.inbox  # noqa: F401 - and the inbox
from storage.db import PlanDay, Store, StoredDay, Tx
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
    "StoredDay",
    "PlannedSession",
    "ProcessedMessage",
    "SentPrompt",
    "Store",
    "Tx",
    "User",
    "UserStatus",
]
