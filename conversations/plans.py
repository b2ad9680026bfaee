"""The user's materialised plan: `rebuild_plan` rewrites `planned_sessions` from the profile.

STAND-IN: the planner (branch `planner`) is not merged yet, so `_stand_in_sessions` makes
a minimal plan (easy cardio, strength and a backpack walk on the training days) until
`planner.build_plan` replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storage import PlannedSession, Tx, User

# Training weekdays (0 = Monday) by days a week, spread so that rest days fall between.
_WEEKDAYS = {3: (1, 3, 5), 4: (0, 2, 4, 5), 5: (0, 1, 3, 4, 5), 6: (0, 1, 2, 3, 4, 5)}


@dataclass(frozen=True)
class DaySession:
    """One planned day, as stored and shown."""

    day: date
    session_type: str
    minutes: int
    hard: bool
    text: str


def _stand_in_sessions(profile: dict[str, Any], start: date, end: date) -> list[DaySession]:
    """STAND-IN for planner.build_plan: a plain rotation, no progression."""
    runner = profile["running"] != "no" and not profile.get("joints")
    run_minutes = min(40, max(20, int(profile.get("easy_run_minutes") or 20)))
    days = _WEEKDAYS[int(profile["days_per_week"])]
    rotation = [
        ("zone2_run", run_minutes, False, f"Easy run, {run_minutes} min: you can still talk "
         "in full sentences.") if runner else
        ("cycling", 30, False, "Cycling or brisk walking, 30 min, easy enough to chat."),
        ("strength", 25, False, "Strength, 25 min: squats, lunges, step-ups, calf raises, "
         "2-3 sets each."),
        ("backpack_walk", 45, True, "Backpack walk, 45 min with about 4 kg, brisk but "
         "comfortable."),
        ("stairs", 15, True, "Stairs, 15 min or about 10 floors, steady; walk down gently."),
    ]
    out = []
    index = 0
    day = start
    while day < end:
        if day.weekday() in days:
            kind, minutes, hard, text = rotation[index % len(rotation)]
            index += 1
        else:
            kind, minutes, hard, text = ("recovery", 0, False,
                                         "Rest day: an easy walk and some stretching if you "
                                         "like.")
        out.append(DaySession(day, kind, minutes, hard, text))
        day += timedelta(days=1)
    return out


def plan_days(profile: dict[str, Any], today: date, days: int | None = None) -> list[DaySession]:
    """The planned days from today up to the trek (or only the first `days` of them)."""
    start = max(today, date.fromisoformat(profile.get("start_date") or today.isoformat()))
    end = date.fromisoformat(profile["trek_date"])
    if days is not None:
        end = min(end, start + timedelta(days=days))
    return _stand_in_sessions(profile, start, end)


async def rebuild_plan(tx: Tx, user: User, today: date) -> None:
    """Rewrite the user's planned_sessions rows from today to the trek."""
    if not user.profile:
        return
    rows = [
        PlannedSession(day=d.day, session_type=d.session_type, minutes=d.minutes, hard=d.hard,
                       details={}, text=d.text)
        for d in plan_days(dict(user.profile), today)
    ]
    await tx.replace_plan(user.id, rows)
