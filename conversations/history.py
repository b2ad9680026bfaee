"""What the daily handlers read about a user: planner Profile, History and the raw log rows.

The row -> LogEntry conversion is `conversations.plans.history_of` (one converter for the
stored plan and the daily replies alike).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from conversations.plans import history_of
from conversations.profile import to_planner
from planner import History, Profile
from storage import LoggedSession, Tx, User

__all__ = ["history_of", "load", "logged_on", "profile_of"]


def profile_of(user: User) -> Profile:
    """The user's stored profile as a planner Profile."""
    return to_planner(user.profile or {})


async def load(tx: Tx, user: User) -> tuple[Profile, History, list[LoggedSession]]:
    """Profile, history (oldest first) and the raw log rows of a user."""
    rows = sorted(await tx.logs(user.id), key=lambda r: (r.day, r.id or 0))
    return profile_of(user), history_of(rows), rows


def logged_on(rows: Sequence[LoggedSession], day: date, kind: str) -> LoggedSession | None:
    """The first row of `kind` logged for `day`, if any."""
    return next((r for r in rows if r.day == day and r.kind == kind), None)
