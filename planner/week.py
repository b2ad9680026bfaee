"""Week layout: which weekday carries which role, the same every calendar week."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from planner.profile import Profile, Running


class Role(StrEnum):
    """Role of a training day in the week."""

    LONG = "long"
    HARD = "hard"
    STRENGTH = "strength"
    EASY = "easy"
    CARDIO = "cardio"  # low-impact cardio (cycling) kept for joint issues


# How many quality (hard) days besides the long day, by training days a week.
HARD_SLOTS: dict[int, int] = {3: 1, 4: 1, 5: 1, 6: 2}
LONG_DAY_PREFERENCE = (5, 6, 4, 3, 2, 1, 0)  # Saturday first


def _adjacent(a: int, b: int) -> bool:
    return (a - b) % 7 in (1, 6)


def _strength_slots(profile: Profile, days: int) -> int:
    if days == 3:
        return 1
    if days == 4 and profile.runner:
        return 1  # keep one easy run in a 4-day runner's week
    return 2


@lru_cache(maxsize=4096)
def layout(profile: Profile) -> dict[int, Role]:
    """Weekday -> role. Hard days and strength days are never on adjacent weekdays.

    The layout is periodic over the calendar week, so the rules hold across week
    boundaries too.
    """
    days = profile.weekdays
    n = len(days)
    long_day = next(d for d in LONG_DAY_PREFERENCE if d in days)
    roles: dict[int, Role] = {long_day: Role.LONG}
    hard = [long_day]
    order = [(long_day + k) % 7 for k in range(1, 7)]
    for d in order:
        if len(hard) > HARD_SLOTS[n]:
            break
        if d in days and d not in roles and not any(_adjacent(d, h) for h in hard):
            roles[d] = Role.HARD
            hard.append(d)
    strength: list[int] = []
    for d in days:
        if len(strength) >= _strength_slots(profile, n):
            break
        if d not in roles and not any(_adjacent(d, s) for s in strength):
            roles[d] = Role.STRENGTH
            strength.append(d)
    for d in days:
        roles.setdefault(d, Role.EASY)
    if profile.joint_issue:
        _ensure_cardio(profile, roles, hard[1:], strength)
    return roles


def _spaced(days: list[int]) -> list[int]:
    chosen: list[int] = []
    for d in days:
        if not any(_adjacent(d, c) for c in chosen):
            chosen.append(d)
    return chosen


def _ensure_cardio(profile: Profile, roles: dict[int, Role], hard: list[int],
                   strength: list[int]) -> None:
    """Joint issue: low-impact cardio is the first choice (PLANNER.md), so every week keeps
    a cycling day. When no easy day is left over for it (all taken by runs, or no easy day
    at all), the last quality (stairs) day becomes cycling; without one, the second
    strength day does, else the last easy run."""
    easy = sorted(d for d, r in roles.items() if r is Role.EASY)
    runs = _spaced(easy) if profile.runner else []
    if any(d not in runs for d in easy):
        return
    if hard:
        roles[hard[-1]] = Role.CARDIO
    elif len(strength) > 1:
        roles[strength[-1]] = Role.CARDIO
    elif runs:
        roles[runs[-1]] = Role.CARDIO


@lru_cache(maxsize=4096)
def easy_run_days(profile: Profile) -> frozenset[int]:
    """EASY weekdays that get a zone 2 run (runners only; spaced for joint issues)."""
    if profile.running is Running.NO:
        return frozenset()
    roles = layout(profile)
    easy = sorted(d for d, r in roles.items() if r is Role.EASY)
    if not profile.joint_issue:
        return frozenset(easy)
    return frozenset(_spaced(easy))
