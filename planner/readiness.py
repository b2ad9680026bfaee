"""Readiness 0-100: adherence over the last 4 weeks plus progress toward the targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from planner.api import session_for
from planner.history import History, LogEntry, LogKind
from planner.profile import Profile
from planner.sessions import RUNNING_TYPES, SessionType
from planner.targets import RUN_TARGET_KM, targets

WINDOW_DAYS = 28
# Weights of the components (our judgement; PLANNER.md "A readiness figure"): adherence
# (done days / sessions the adapted plan asked for, last 28 days) 40%, the longest loaded
# walk against the grade's peak walk (75% of a trek day) 25%, average weekly minutes done
# over the window against the grade's peak week 25%, average weekly climb (metres up,
# stairs at 3 m a floor) against a trek day's ascent 10%.
WEIGHTS: dict[str, float] = {"adherence": 0.4, "long_walk": 0.25, "volume": 0.25,
                             "climb": 0.1}
WALK_ACTIVITIES = frozenset({"walk", "hike"})


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
    climb: float = 0.0
    weekly_climb_m: int = 0
    target_weekly_climb_m: int = 0
    longest_walk_km: float | None = None
    longest_walk_pack_kg: float | None = None
    target_pack_kg: int = 0
    run_km: float | None = None  # the longest logged run, when a distance was given
    run_5k_minutes: int | None = None  # its time scaled to 5 km, when timed
    target_5k_minutes: int = 0

    @property
    def run_5k_met(self) -> bool:
        """A run of 5 km or more was logged (in the target time, when it was timed)."""
        if self.run_km is None or self.run_km < RUN_TARGET_KM:
            return False
        return self.run_5k_minutes is None or self.run_5k_minutes <= self.target_5k_minutes


def planned_days(profile: Profile, history: History, since: date, until: date) -> set[date]:
    """Days in ``since`` .. ``until - 1`` with a training session in the adapted plan: each
    day as the plan stood at the end of that day (history up to it), so sick rest days,
    light weeks after a break and pain swaps count as the plan then said."""
    days: set[date] = set()
    day = since
    end = min(until, profile.trek_date)
    while day < end:
        known = tuple(e for e in history if e.day <= day)
        s = session_for(profile, known, day, day)
        if s and s.training:
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
    walk = longest_loaded_walk(history, today)
    longest = (walk.minutes or 0) if walk else 0
    span_weeks = max(1.0, (today - since).days / 7)
    weekly = int(sum(e.minutes or 0 for e in done) / span_weeks)
    climb_m = int(sum(e.metres_up for e in done) / span_weeks)
    long_part = min(1.0, longest / t.long_walk_minutes)
    volume = min(1.0, weekly / t.weekly_minutes)
    climb = min(1.0, climb_m / t.weekly_climb_m)
    score = round(100 * (WEIGHTS["adherence"] * adherence + WEIGHTS["long_walk"] * long_part
                         + WEIGHTS["volume"] * volume + WEIGHTS["climb"] * climb))
    run = longest_run(history, today)
    run_5k = (round(run.minutes * RUN_TARGET_KM / run.distance_km)
              if run and run.minutes and run.distance_km else None)
    return Readiness(score=max(0, min(100, score)), adherence=round(adherence, 3),
                     long_walk=round(long_part, 3), volume=round(volume, 3),
                     sessions_done=done_days, sessions_planned=planned,
                     longest_walk_minutes=longest, weekly_minutes=weekly,
                     target_walk_minutes=t.long_walk_minutes,
                     target_weekly_minutes=t.weekly_minutes, climb=round(climb, 3),
                     weekly_climb_m=climb_m, target_weekly_climb_m=t.weekly_climb_m,
                     longest_walk_km=walk.distance_km if walk else None,
                     longest_walk_pack_kg=walk.pack_kg if walk else None,
                     target_pack_kg=t.pack_kg[1],
                     run_km=run.distance_km if run else None, run_5k_minutes=run_5k,
                     target_5k_minutes=t.run_5k_minutes)


def is_loaded_walk(e: LogEntry) -> bool:
    """A backpack walk from the plan, or a walk or hike logged with a pack weight."""
    return e.kind is LogKind.DONE and (
        e.session_type is SessionType.BACKPACK_WALK
        or (bool(e.pack_kg) and e.activity in WALK_ACTIVITIES))


def longest_loaded_walk(history: History, today: date) -> LogEntry | None:
    """The longest loaded walk up to today (by minutes, then distance)."""
    walks = [e for e in history if e.day <= today and is_loaded_walk(e)]
    return max(walks, key=lambda e: (e.minutes or 0, e.distance_km or 0.0), default=None)


def longest_run(history: History, today: date) -> LogEntry | None:
    """The longest run with a distance logged up to today."""
    runs = [e for e in history if e.kind is LogKind.DONE and e.day <= today
            and e.distance_km and (e.activity == "run" or (
                e.activity is None and e.session_type in RUNNING_TYPES))]
    return max(runs, key=lambda e: (e.distance_km or 0.0, -(e.minutes or 0)), default=None)
