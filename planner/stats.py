"""Statistics of a plan and its log: the day's session, streak, this week's counts, next session.

Pure: profile, history and `today` in, numbers or sessions out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from planner.api import build_plan, session_for, week_of
from planner.history import History, LogKind
from planner.profile import Profile
from planner.sessions import Session


def session_on(profile: Profile, history: History, day: date, today: date) -> Session | None:
    """The plan's session for `day`; None outside the plan."""
    if day < profile.start_date or day >= profile.trek_date:
        return None
    return session_for(profile, history, day, today)


def training_days(profile: Profile, history: History, today: date, until: date) -> list[Session]:
    """Planned training sessions from the start up to and including `until`."""
    plan = build_plan(profile, history, today)
    return [s for w in plan.weeks for s in w.sessions if s.training and s.day <= until]


def done_days(history: History, planned: Collection[date] = ()) -> set[date]:
    """The days with a session logged as done. On a `planned` training day only a done of
    a known session type counts: an untyped one there is an activity of another kind (a
    ride file on a walk day), an extra that leaves the day's session open."""
    return {e.day for e in history if e.kind is LogKind.DONE
            and (e.session_type is not None or e.day not in planned)}


def streak(profile: Profile, history: History, today: date) -> int:
    """Planned training sessions done in a row, counting back from the latest one due.

    Rest days and extra sessions neither count nor break it; a planned session that was
    skipped or never logged ends it; today's session, while still open, is passed over."""
    days = training_days(profile, history, today, today)
    done = done_days(history, {s.day for s in days})
    count = 0
    for s in reversed(days):
        if s.day in done:
            count += 1
        elif s.day == today:
            continue  # today's session is still open
        else:
            break
    return count


@dataclass
class WeekCounts:
    """This plan week: planned sessions done (by day), extras on other days, minutes."""

    done: int = 0
    planned: int = 0
    extra: int = 0
    minutes_done: int = 0
    minutes_planned: int = 0


def week_counts(profile: Profile, history: History, today: date) -> WeekCounts:
    """The counts of the plan week holding `today` (zeros outside the plan)."""
    if not profile.start_date <= today < profile.trek_date:
        return WeekCounts()
    week = week_of(profile, history, today, today)
    planned = [s for s in week.sessions if s.training]
    planned_days = {s.day for s in planned}
    done = [e for e in history
            if e.kind is LogKind.DONE and week.start <= e.day <= week.end]
    days = {e.day for e in done}
    sessions = done_days(tuple(done), planned_days) & planned_days
    return WeekCounts(len(sessions), len(planned), len(days - sessions),
                      sum(e.minutes or 0 for e in done), sum(s.minutes for s in planned))


def next_session(profile: Profile, history: History, today: date, after: date) -> Session | None:
    """The first training session after `after`, before the trek."""
    day = after + timedelta(days=1)
    while day < profile.trek_date:
        s = session_on(profile, history, day, today)
        if s is not None and s.training:
            return s
        day += timedelta(days=1)
    return None
