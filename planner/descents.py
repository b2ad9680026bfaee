"""Downhill practice built up gradually: floors walked down on stairs days and minutes of
downhill on the long walk, from the build phase on (later and smaller for a knee issue)."""

from __future__ import annotations

from planner.profile import Profile
from planner.sessions import SessionType

# (our judgement; issue 12 "descents built up gradually"; PLANNER.md knee: "uphill walking
# over downhill"): a level per build / peak progression week (Doses.quality); a knee
# issue starts a level later and grows half as fast.
KNEE_DELAY = 1
WALK_MIN_PER_LEVEL = 10  # downhill minutes on the long walk per level
KNEE_WALK_MIN_PER_LEVEL = 5
WALK_SHARE = 1 / 3  # at most a third of the walk downhill
FLOORS_PER_LEVEL = 4  # stairs: floors walked down (not the lift) per level
KNEE_FLOORS_PER_LEVEL = 2
FLOORS_SHARE = 1.0  # non-knee: up to every floor climbed
KNEE_FLOORS_SHARE = 0.5  # knee: at most half of them
DESCENT_TYPES = frozenset({SessionType.BACKPACK_WALK, SessionType.STAIRS})


def level(profile: Profile, quality_weeks: int) -> int:
    """Downhill level after ``quality_weeks`` build / peak progression weeks."""
    return max(0, quality_weeks - (KNEE_DELAY if profile.knee else 0))


def descent(profile: Profile, stype: SessionType, quality_weeks: int, minutes: int,
            floors: int, factor: float = 1.0) -> int:
    """Floors down (stairs) or minutes downhill (long walk) for a session; 0 for other
    types and before the build phase. Easier weeks scale it with the week (``factor``)."""
    lv = level(profile, quality_weeks)
    if lv == 0 or stype not in DESCENT_TYPES:
        return 0
    if stype is SessionType.STAIRS:
        per, share = ((KNEE_FLOORS_PER_LEVEL, KNEE_FLOORS_SHARE) if profile.knee
                      else (FLOORS_PER_LEVEL, FLOORS_SHARE))
        return min(int(floors * share), int(per * lv * min(1.0, factor)))
    per_min = KNEE_WALK_MIN_PER_LEVEL if profile.knee else WALK_MIN_PER_LEVEL
    return min(int(minutes * WALK_SHARE), int(per_min * lv * min(1.0, factor)))


def within(profile: Profile, stype: SessionType, descent_: int, minutes: int,
           floors: int) -> int:
    """``descent_`` kept within its session after an adaptation (fewer floors, a shorter
    walk, another type): at most a third of the walk, the floors climbed (a knee: half)."""
    if descent_ <= 0 or stype not in DESCENT_TYPES:
        return 0
    if stype is SessionType.STAIRS:
        return min(descent_, int(floors * (KNEE_FLOORS_SHARE if profile.knee
                                           else FLOORS_SHARE)))
    return min(descent_, int(minutes * WALK_SHARE))
