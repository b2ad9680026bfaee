"""Test days: the weeks that ask for a result against the grade's trek-ready targets (a
timed 5 km, floors climbed with a pack, the loaded walk, squats in a row), and the
sessions in them that carry each test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from planner.plan import Week
from planner.profile import Profile
from planner.sessions import Session, SessionType

ST = SessionType
RUN_5K, FLOORS, LOADED_WALK, SQUATS = "run_5k", "floors", "loaded_walk", "squats"
TEST_CODES = (RUN_5K, FLOORS, LOADED_WALK, SQUATS)
WEEKS_OUT = 21  # the last test: 3 weeks before the trek (the peak walk is about then)
MIN_GAP_WEEKS = 2  # test weeks at least two weeks apart
# Which session of a test week carries each test, first match wins (our judgement): the
# 5 km on an easy run (or a long slow run), else timed on the long walk (walked briskly);
# floors on the stairs day (or step-ups); the loaded walk on the long walk; squats after
# the first strength session (or the strength block).
CARRIERS: dict[str, tuple[SessionType, ...]] = {
    RUN_5K: (ST.ZONE2_RUN, ST.LONG_RUN, ST.BACKPACK_WALK),  # not intervals or hills
    FLOORS: (ST.STAIRS, ST.STEP_UPS),
    LOADED_WALK: (ST.BACKPACK_WALK,),
    SQUATS: (ST.STRENGTH,),
}


def test_weeks(profile: Profile) -> tuple[int, ...]:
    """1-based plan weeks with a test day: week 1 (baseline), the middle week and the week
    3 weeks before the trek, each at least two weeks after the one before."""
    days = (profile.trek_date - profile.start_date).days
    n = max(0, -(-days // 7))
    if n == 0:
        return ()
    out = [1]
    out_day = profile.trek_date - timedelta(days=WEEKS_OUT)
    for w in ((n + 1) // 2, (out_day - profile.start_date).days // 7 + 1):
        if w - out[-1] >= MIN_GAP_WEEKS and w <= n:
            out.append(w)
    return tuple(out)


def _carrier(sessions: tuple[Session, ...], code: str) -> date | None:
    for stype in CARRIERS[code]:
        for s in sessions:
            if s.type is stype:
                return s.day
    if code == SQUATS:
        return next((s.day for s in sessions if s.strength_block), None)
    return None


def mark_tests(profile: Profile, weeks: tuple[Week, ...]) -> tuple[Week, ...]:
    """The plan's weeks with each test week's tests on their carriers: in the test week,
    else (no such session that week, e.g. no stairs day) in the week after it, never in
    the last week before the trek."""
    found: dict[date, list[str]] = {}
    last = len(weeks)
    for index in test_weeks(profile):
        window = [w for w in weeks[index - 1:index + 1] if w.index < last or last == 1]
        for code in TEST_CODES:
            day = next((d for w in window if (d := _carrier(w.sessions, code)) is not None),
                       None)
            if day is not None:
                found.setdefault(day, []).append(code)
    if not found:
        return weeks
    return tuple(replace(w, sessions=tuple(
        replace(s, tests=tuple(found[s.day])) if s.day in found and s.training else s
        for s in w.sessions)) if any(s.day in found for s in w.sessions) else w
        for w in weeks)
