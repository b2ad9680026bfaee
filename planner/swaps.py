"""One-off day swaps and the kit a person has, applied to the plan's weeks; and the week
rules a swap must keep, with the nearest day that keeps them.

A swap (a, b) trades the sessions of two days (a rest day is "no session"). It is kept
only when it breaks none of the week rules the plan already keeps: no two hard days in a
row, strength days apart (48 h), one long walk a week (long walks at least
`LONG_WALK_GAP` days apart).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from planner.plan import Week, week_minutes
from planner.profile import Profile
from planner.sessions import TYPES, Session, SessionType

LONG_WALK_GAP = 4  # days at least between two long walks (our judgement: one a week)
SWAP_REACH = 7  # a swap moves a session by at most a week
PRE_TREK_DAYS = 2  # the last two days before the trek stay easy: nothing moves onto them
NEAREST_REACH = 3  # the nearest allowed day is looked for up to 3 days either side


def no_bike(profile: Profile, s: Session) -> Session:
    """No bike or gym: a ride becomes a brisk walk or a swim of the same minutes."""
    if profile.bike is False and s.type is SessionType.CYCLING:
        return replace(s, type=SessionType.BRISK_WALK, cue=TYPES[SessionType.BRISK_WALK].cue)
    return s


def _regroup(weeks: tuple[Week, ...], by_day: dict[date, Session]) -> tuple[Week, ...]:
    out = []
    for w in weeks:
        new = tuple(s for d, s in sorted(by_day.items()) if w.start <= d <= w.end)
        if new == w.sessions:
            out.append(w)
        else:
            out.append(replace(w, sessions=new, minutes=week_minutes(new)))
    return tuple(out)


def with_kit_and_swaps(profile: Profile, weeks: tuple[Week, ...]) -> tuple[Week, ...]:
    """The weeks with the profile's one-off swaps made and rides swapped for walks when
    there is no bike."""
    if not profile.swaps and profile.bike is not False:
        return weeks
    by_day = {s.day: no_bike(profile, s) for w in weeks for s in w.sessions}
    for a, b in profile.swaps:
        sa, sb = by_day.pop(a, None), by_day.pop(b, None)
        if sa is not None:
            by_day[b] = replace(sa, day=b)
        if sb is not None:
            by_day[a] = replace(sb, day=a)
    return _regroup(weeks, by_day)


# -- the rules ------------------------------------------------------------------------
def _strong(s: Session | None) -> bool:
    return s is not None and (s.type is SessionType.STRENGTH or s.strength_block > 0)


def _long(s: Session | None) -> bool:
    return s is not None and s.type is SessionType.BACKPACK_WALK


def _hard(s: Session | None) -> bool:
    return s is not None and s.training and s.hard


def broken_rules(by_day: dict[date, Session]) -> set[tuple[str, date, date]]:
    """Every pair of days that breaks a week rule: ("hard_in_a_row" | "strength_adjacent"
    | "long_walks_close", first day, second day)."""
    out: set[tuple[str, date, date]] = set()
    for d, s in by_day.items():
        nxt = by_day.get(d + timedelta(days=1))
        if _hard(s) and _hard(nxt):
            out.add(("hard_in_a_row", d, d + timedelta(days=1)))
        if _strong(s) and _strong(nxt):
            out.add(("strength_adjacent", d, d + timedelta(days=1)))
        if _long(s):
            for k in range(1, LONG_WALK_GAP):
                if _long(by_day.get(d + timedelta(days=k))):
                    out.add(("long_walks_close", d, d + timedelta(days=k)))
    return out


@dataclass(frozen=True)
class SwapCheck:
    """Whether a swap keeps the rules: ``problem`` is None when it does, else a code
    ("same_day", "past", "too_far", "trek_close", "nothing_to_move" or a broken rule's
    name); ``nearest`` is the closest day the session could go instead, if any."""

    problem: str | None
    nearest: date | None = None
    clash: date | None = None  # the other day of the broken rule


# the plan's days (training and rest sessions) with these swaps made after the profile's own
PlanDays = Callable[[tuple[tuple[date, date], ...]], dict[date, Session]]


def _simple_problem(profile: Profile, today: date, a: date, b: date) -> str | None:
    if a == b:
        return "same_day"
    if min(a, b) < max(today, profile.start_date):
        return "past"
    if abs((b - a).days) > SWAP_REACH:
        return "too_far"
    if max(a, b) >= profile.trek_date - timedelta(days=PRE_TREK_DAYS):
        return "trek_close"
    return None


def check_swap(profile: Profile, plan_days: PlanDays, today: date, a: date,
               b: date) -> SwapCheck:
    """May the session of day ``a`` trade places with day ``b``? ``plan_days`` builds the
    plan's days with extra swaps, so a swap is judged on the plan it would make (day
    adjustments such as a sick comeback apply after it)."""
    problem = _simple_problem(profile, today, a, b)
    if problem in ("same_day", "past"):
        return SwapCheck(problem)
    before = plan_days(())
    sa = before.get(a)
    if sa is None or not sa.training:
        return SwapCheck("nothing_to_move")
    clash = None
    if problem is None:
        problem, clash = _rule_problem(plan_days, before, a, b)
    if problem is None:
        return SwapCheck(None)
    return SwapCheck(problem, _nearest(profile, plan_days, before, today, a, b), clash)


def _rule_problem(plan_days: PlanDays, before: dict[date, Session], a: date,
                  b: date) -> tuple[str | None, date | None]:
    new = sorted(broken_rules(plan_days(((a, b),))) - broken_rules(before))
    if not new:
        return None, None
    rule, d1, d2 = new[0]
    return rule, d1 if d2 in (a, b) else d2


def _nearest(profile: Profile, plan_days: PlanDays, before: dict[date, Session],
             today: date, a: date, b: date) -> date | None:
    """The day closest to ``b`` (later first on a tie) the session of ``a`` may go to."""
    for k in range(1, NEAREST_REACH + 1):
        for c in (b + timedelta(days=k), b - timedelta(days=k)):
            if c == a or _simple_problem(profile, today, a, c) is not None:
                continue
            if _rule_problem(plan_days, before, a, c)[0] is None:
                return c
    return None
