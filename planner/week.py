"""Week layout: which weekday carries which role (and a strength block), the same every
calendar week."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from planner.profile import Grade, Profile, Running


class Role(StrEnum):
    """Role of a training day in the week."""

    LONG = "long"
    HARD = "hard"
    STRENGTH = "strength"
    EASY = "easy"
    CARDIO = "cardio"  # low-impact cardio (cycling) kept for joint issues
    SECOND = "second"  # the day after the long walk: a second, shorter walk (build/peak)


# How many quality (hard) days besides the long day, by training days a week.
HARD_SLOTS: dict[int, int] = {3: 1, 4: 1, 5: 1, 6: 2}
LONG_DAY_PREFERENCE = (5, 6, 4, 3, 2, 1, 0)  # Saturday first
BACK_TO_BACK_GRADES = frozenset({Grade.MODERATE, Grade.DIFFICULT})
# A strength block (a short strength set after the day's session) goes on the day whose
# role costs least (our judgement: after an easy run or a ride first, then after the long
# walk, then after stairs; the second walk day last).
BLOCK_COST: dict[Role, int] = {Role.EASY: 1, Role.CARDIO: 1, Role.LONG: 2, Role.HARD: 3,
                               Role.SECOND: 4}


def _adjacent(a: int, b: int) -> bool:
    return (a - b) % 7 in (1, 6)


def _strength_slots(profile: Profile, days: int, paired: bool) -> int:
    if days == 3:
        return 1
    if days == 4 and profile.runner:
        return 1  # keep one easy run in a 4-day runner's week
    if profile.joint_issue and paired and days <= 5:
        return 1  # keep an easy day for the joint issue's cycling (the second walk took one)
    return 2


def back_to_back(profile: Profile) -> bool:
    """Moderate and difficult treks get a pair in build and peak weeks: the long walk and
    a shorter one on the next (or the previous) training day, when one is adjacent."""
    return profile.grade in BACK_TO_BACK_GRADES


def _long_day(profile: Profile) -> int:
    return next(d for d in LONG_DAY_PREFERENCE if d in profile.weekdays)


def _second_day(profile: Profile, long_day: int) -> int | None:
    """The second walk's day: the day after the long walk, else the day before (the long
    walk then comes on tired legs), else none (no two training days in a row)."""
    if not back_to_back(profile):
        return None
    for d in ((long_day + 1) % 7, (long_day - 1) % 7):
        if d in profile.weekdays:
            return d
    return None


def _strength_pair(profile: Profile, roles: dict[int, Role]) -> tuple[list[int], list[int]]:
    """Two strength days, never adjacent (ACSM: 48 h apart): days without a role become
    strength sessions (up to the profile's slots), other days get a strength block after
    their session. The cheapest pair wins; the earliest on ties."""
    days = profile.weekdays
    slots = _strength_slots(profile, len(days), Role.SECOND in roles.values())

    def cost(d: int, sessions_left: int) -> int:
        return 0 if d not in roles and sessions_left > 0 else BLOCK_COST.get(
            roles.get(d, Role.EASY), 1)

    best: tuple[int, list[int], list[int]] | None = None
    for i, a in enumerate(days):
        for b in days[i + 1:]:
            if _adjacent(a, b):
                continue
            sess: list[int] = []
            blocks: list[int] = []
            total = 0
            for d in (a, b):
                c = cost(d, slots - len(sess))
                total += c
                (sess if c == 0 else blocks).append(d)
            if best is None or total < best[0]:
                best = (total, sess, blocks)
    if best is None:  # cannot happen with 3+ distinct weekdays
        return [], []
    return best[1], best[2]


@lru_cache(maxsize=4096)
def _layout(profile: Profile) -> tuple[dict[int, Role], frozenset[int]]:
    roles, blocks = _arrange(profile, pair=True)
    if profile.joint_issue and Role.SECOND in roles.values() and not _has_cycling(profile,
                                                                                 roles):
        return _arrange(profile, pair=False)  # the joint issue's cycling day comes first
    return roles, blocks


def _has_cycling(profile: Profile, roles: dict[int, Role]) -> bool:
    easy = sorted(d for d, r in roles.items() if r is Role.EASY)
    runs = _spaced(easy) if profile.runner else []
    return Role.CARDIO in roles.values() or any(d not in runs for d in easy)


def _arrange(profile: Profile, pair: bool) -> tuple[dict[int, Role], frozenset[int]]:
    days = profile.weekdays
    n = len(days)
    long_day = _long_day(profile)
    roles: dict[int, Role] = {long_day: Role.LONG}
    second = _second_day(profile, long_day) if pair else None
    if second is not None:
        roles[second] = Role.SECOND
    hard = [long_day]
    order = [(long_day + k) % 7 for k in range(1, 7)]
    for d in order:
        if len(hard) > HARD_SLOTS[n]:
            break
        if d in days and d not in roles and not any(_adjacent(d, h) for h in hard):
            roles[d] = Role.HARD
            hard.append(d)
    strength, blocks = _strength_pair(profile, roles)
    for d in strength:
        roles[d] = Role.STRENGTH
    for d in days:
        roles.setdefault(d, Role.EASY)
    if profile.joint_issue:
        _ensure_cardio(profile, roles, hard[1:], strength)
        blocks += [d for d in strength if roles[d] is Role.CARDIO]  # a ride, then strength
    return roles, frozenset(blocks)


def layout(profile: Profile) -> dict[int, Role]:
    """Weekday -> role. Hard days and strength days are never on adjacent weekdays.

    The layout is periodic over the calendar week, so the rules hold across week
    boundaries too.
    """
    return _layout(profile)[0]


def strength_block_days(profile: Profile) -> frozenset[int]:
    """Weekdays whose session is followed by a short strength block (so that every week
    has strength twice, 48 h apart, also with 3 days or a 4-day runner's easy run)."""
    return _layout(profile)[1]


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


def clear_layout_caches() -> None:
    """Forget the memoised layouts (``planner.clear_caches``)."""
    _layout.cache_clear()
    easy_run_days.cache_clear()
