"""Stand-in (daily branch) for onboarding's plan materialiser.

The onboarding branch owns this module; at merge its version replaces this one.
"""

from __future__ import annotations

from datetime import date

from conversations.history import history_of, profile_of
from conversations.plan_texts import session_text
from planner import build_plan
from storage import PlannedSession, Tx, User


async def rebuild_plan(tx: Tx, user: User, today: date) -> None:
    profile = profile_of(user)
    history = history_of(await tx.logs(user.id))
    plan = build_plan(profile, history, today)
    rows = [
        PlannedSession(day=s.day, session_type=s.type.value, minutes=s.minutes, hard=s.hard,
                       details={"phase": s.phase.value, "note": s.note}, text=session_text(s))
        for w in plan.weeks for s in w.sessions if s.day >= today
    ]
    await tx.replace_plan(user.id, rows)
