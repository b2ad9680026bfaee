"""Readiness 0-100: adherence over the last 4 weeks plus the test results against the
grade's trek-ready targets (loaded walk, 5 km time, floors with a pack, squats), and the
one thing that holds it back most."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from planner.api import session_for
from planner.history import History, LogEntry, LogKind
from planner.profile import Profile
from planner.sessions import RUNNING_TYPES, SessionType
from planner.targets import RUN_TARGET_KM, targets

WINDOW_DAYS = 28
# Weights of the components (our judgement; PLANNER.md "A readiness figure combines
# adherence over the last 4 weeks with progress toward these targets"): adherence (done
# days / sessions the adapted plan asked for, last 28 days) 35%; the best results logged
# so far against the grade's targets: the loaded walk (longest, vs the peak walk with the
# trek pack) 25%, the 5 km time 15%, floors with a pack 15%, squats in a row 10%.
WEIGHTS: dict[str, float] = {"adherence": 0.35, "long_walk": 0.25, "run_5k": 0.15,
                             "floors": 0.15, "squats": 0.10}
WALK_ACTIVITIES = frozenset({"walk", "hike"})
NOT_ON_FOOT = frozenset({"ride"})
PACK_HALF = 0.5  # a result without the trek pack counts half, rising to full with it


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
    best_5k_minutes: int | None = None  # the best timed 5 km or more on foot, scaled to 5 km
    best_floors: int | None = None  # the most floors in one stairs log
    best_floors_pack_kg: float | None = None
    best_squats: int | None = None  # the most squats in a row logged
    target_floors: int = 0
    target_squats: int = 0
    parts: tuple[tuple[str, float], ...] = ()  # component -> share 0..1, as weighted
    gap: str = ""  # the component that costs the most points ("" when none does)

    @property
    def run_5k_met(self) -> bool:
        """A run of 5 km or more was logged (in the target time, when it was timed)."""
        if self.run_km is None or self.run_km < RUN_TARGET_KM:
            return False
        return self.run_5k_minutes is None or self.run_5k_minutes <= self.target_5k_minutes


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
    walk = longest_loaded_walk(history, today)
    longest = (walk.minutes or 0) if walk else 0
    span_weeks = max(1.0, (today - since).days / 7)
    weekly = int(sum(e.minutes or 0 for e in done) / span_weeks)
    climb_m = int(sum(e.metres_up for e in done) / span_weeks)
    trek_pack = t.pack_kg[1]
    stairs = best_stairs(history, today)
    squats = max((e.reps for e in history if e.kind is LogKind.DONE and e.day <= today
                  and e.reps), default=None)
    best_5k = best_5k_minutes(history, today)
    parts = {
        "adherence": adherence,
        "long_walk": min(1.0, longest / t.long_walk_minutes)
        * _pack_factor(walk.pack_kg if walk else None, trek_pack),
        "run_5k": min(1.0, t.run_5k_minutes / best_5k) if best_5k else 0.0,
        "floors": (min(1.0, (stairs.floors or 0) / t.stairs_floors[1])
                   * _pack_factor(stairs.pack_kg, trek_pack)) if stairs else 0.0,
        "squats": min(1.0, (squats or 0) / t.squat_reps[1]),
    }
    score = round(100 * sum(WEIGHTS[k] * v for k, v in parts.items()))
    lost = {k: WEIGHTS[k] * (1 - v) for k, v in parts.items()
            if k != "adherence" or planned}  # nothing due yet: adherence is no gap
    gap = max(lost, key=lambda k: lost[k]) if max(lost.values()) > 0.005 else ""
    run = longest_run(history, today)
    run_5k = (round(run.minutes * RUN_TARGET_KM / run.distance_km)
              if run and run.minutes and run.distance_km else None)
    return Readiness(score=max(0, min(100, score)), adherence=round(adherence, 3),
                     long_walk=round(parts["long_walk"], 3),
                     volume=round(min(1.0, weekly / t.weekly_minutes), 3),
                     sessions_done=done_days, sessions_planned=planned,
                     longest_walk_minutes=longest, weekly_minutes=weekly,
                     target_walk_minutes=t.long_walk_minutes,
                     target_weekly_minutes=t.weekly_minutes,
                     climb=round(min(1.0, climb_m / t.weekly_climb_m), 3),
                     weekly_climb_m=climb_m, target_weekly_climb_m=t.weekly_climb_m,
                     longest_walk_km=walk.distance_km if walk else None,
                     longest_walk_pack_kg=walk.pack_kg if walk else None,
                     target_pack_kg=trek_pack,
                     run_km=run.distance_km if run else None, run_5k_minutes=run_5k,
                     target_5k_minutes=t.run_5k_minutes, best_5k_minutes=best_5k,
                     best_floors=stairs.floors if stairs else None,
                     best_floors_pack_kg=stairs.pack_kg if stairs else None,
                     best_squats=squats, target_floors=t.stairs_floors[1],
                     target_squats=t.squat_reps[1],
                     parts=tuple((k, round(v, 3)) for k, v in parts.items()), gap=gap)


def _pack_factor(pack: float | None, trek_pack: int) -> float:
    """Half for a result without a pack, full with the trek pack, linear between."""
    return PACK_HALF + (1 - PACK_HALF) * min(1.0, (pack or 0.0) / trek_pack)


def best_5k_minutes(history: History, today: date) -> int | None:
    """The best timed effort of 5 km or more on foot, its time scaled to 5 km."""
    times = [e.minutes * RUN_TARGET_KM / e.distance_km for e in history
             if e.kind is LogKind.DONE and e.day <= today and e.minutes and e.distance_km
             and e.distance_km >= RUN_TARGET_KM and e.activity not in NOT_ON_FOOT
             and e.session_type is not SessionType.CYCLING]
    return max(1, round(min(times))) if times else None


def best_stairs(history: History, today: date) -> LogEntry | None:
    """The stairs log with the most floors (the heavier pack on ties)."""
    logs = [e for e in history if e.kind is LogKind.DONE and e.day <= today and e.floors]
    return max(logs, key=lambda e: (e.floors or 0, e.pack_kg or 0.0), default=None)


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
