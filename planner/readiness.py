"""Readiness 0-100: adherence over the last 4 weeks plus progress toward the targets."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from planner.api import session_for
from planner.history import History, LogKind
from planner.profile import Profile
from planner.sessions import SessionType
from planner.targets import targets

WINDOW_DAYS = 28
# Weights of the components (our judgement; PLANNER.md "A readiness figure"): adherence
# (done days / sessions the adapted plan asked for, last 28 days) 40%, the longest loaded
# walk against the grade's peak walk (75% of a trek day) 30%, average weekly minutes done
# over the window against the grade's peak week 30%.
WEIGHTS: dict[str, float] = {"adherence": 0.4, "long_walk": 0.3, "volume": 0.3}


@dataclass(frozen=True)
class Readiness:
    """Score and what it is made of (each component 0..1)."""

    score: int
    adherence: float
    long_walk: float
    volume: float
    sessions_done: int
    sessions_planned: int
    longest_walk_minutes: int
    weekly_minutes: int
    target_walk_minutes: int
    target_weekly_minutes: int


# Per person (profile): day -> (the history up to that day, whether the plan trained then).
# A past day's answer only changes with a log entry dated on or before it, so a "progress"
# recomputes only the days a message changed. ~28 small entries per person, 4,096 people.
_PAST: OrderedDict[Profile, dict[date, tuple[History, bool]]] = OrderedDict()
PAST_PROFILES = 4096


def _past(profile: Profile) -> dict[date, tuple[History, bool]]:
    memo = _PAST.get(profile)
    if memo is None:
        memo = _PAST[profile] = {}
        if len(_PAST) > PAST_PROFILES:
            _PAST.popitem(last=False)
    _PAST.move_to_end(profile)
    return memo


def clear_memo() -> None:
    _PAST.clear()


def planned_days(profile: Profile, history: History, since: date, until: date) -> set[date]:
    """Days in ``since`` .. ``until - 1`` with a training session in the adapted plan: each
    day as the plan stood at the end of that day (history up to it), so sick rest days,
    light weeks after a break and pain swaps count as the plan then said."""
    days: set[date] = set()
    end = min(until, profile.trek_date)
    memo = _past(profile)
    for old in [d for d in memo if not since <= d < end]:
        del memo[old]
    day = since
    while day < end:
        known = tuple(e for e in history if e.day <= day)
        found = memo.get(day)
        if found is None or found[0] != known:
            s = session_for(profile, known, day, day, memo=False)
            found = memo[day] = (known, bool(s and s.training))
        if found[1]:
            days.add(day)
        day += timedelta(days=1)
    return days


def planned_sessions(profile: Profile, history: History, since: date, until: date) -> int:
    """How many training sessions the adapted plan asked for on ``since`` .. ``until - 1``."""
    return len(planned_days(profile, history, since, until))


def readiness(profile: Profile, history: History, today: date) -> Readiness:
    """Adherence (done / planned, last 28 days), the longest loaded walk against the
    grade's target, and recent weekly minutes against the grade's target week."""
    t = targets(profile.grade)
    since = max(profile.start_date, today - timedelta(days=WINDOW_DAYS))
    done = [e for e in history if e.kind is LogKind.DONE and since <= e.day <= today]
    done_on = {e.day for e in done}
    # Today counts once its session is done; extra sessions on rest days are not adherence.
    asked = planned_days(profile, history, since, today + timedelta(days=1))
    if today not in done_on:
        asked.discard(today)
    planned = len(asked)
    done_days = len(done_on & asked)
    adherence = done_days / planned if planned else 0.0
    walks = [e.minutes or 0 for e in history if e.kind is LogKind.DONE and e.day <= today
             and e.session_type is SessionType.BACKPACK_WALK]
    longest = max(walks, default=0)
    span_weeks = max(1.0, (today - since).days / 7)
    weekly = int(sum(e.minutes or 0 for e in done) / span_weeks)
    long_part = min(1.0, longest / t.long_walk_minutes)
    volume = min(1.0, weekly / t.weekly_minutes)
    score = round(100 * (WEIGHTS["adherence"] * adherence + WEIGHTS["long_walk"] * long_part
                         + WEIGHTS["volume"] * volume))
    return Readiness(score=max(0, min(100, score)), adherence=round(adherence, 3),
                     long_walk=round(long_part, 3), volume=round(volume, 3),
                     sessions_done=done_days, sessions_planned=planned,
                     longest_walk_minutes=longest, weekly_minutes=weekly,
                     target_walk_minutes=t.long_walk_minutes,
                     target_weekly_minutes=t.weekly_minutes)
