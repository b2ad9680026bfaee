"""The bridge from stored rows to the planner: profile JSON -> Profile, logged rows -> History."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from planner import History, LogEntry, LogKind, Profile, SessionType
from storage import LoggedSession, Tx, User


def entry_of(row: LoggedSession) -> LogEntry:
    """One stored log row as a planner `LogEntry` (unknown session types are dropped)."""
    try:
        stype = SessionType(row.session_type) if row.session_type else None
    except ValueError:
        stype = None
    return LogEntry(day=row.day, kind=LogKind(row.kind), session_type=stype,
                    minutes=row.minutes, effort=row.effort, feeling=row.feeling,
                    pain=row.pain, pain_area=row.pain_area, sickness=row.sickness)


def history_of(rows: Sequence[LoggedSession]) -> History:
    """Stored rows, oldest first, as the planner's History."""
    return tuple(entry_of(r) for r in sorted(rows, key=lambda r: (r.day, r.id or 0)))


def profile_of(user: User) -> Profile:
    """The user's stored profile as a planner Profile (onboarding's converter)."""
    from conversations.profile import to_planner

    return to_planner(user.profile or {})


async def load(tx: Tx, user: User) -> tuple[Profile, History, list[LoggedSession]]:
    """Profile, history and the raw log rows of a user."""
    rows = list(await tx.logs(user.id))
    return profile_of(user), history_of(rows), rows


def logged_on(rows: Sequence[LoggedSession], day: date, kind: str) -> LoggedSession | None:
    """The first row of `kind` logged for `day`, if any."""
    return next((r for r in rows if r.day == day and r.kind == kind), None)
