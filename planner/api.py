"""build_plan, session_for and week_of: the plan, adapted to history, for a day; and
clear_caches, which forgets the memoised plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from planner.adapt import (
    DayAdjust,
    apply_day,
    day_adjust,
    no_rise_windows,
    smaller_days,
    week_adjust,
)
from planner.history import History
from planner.lead import lead_time
from planner.memo import Latest
from planner.phases import Phase
from planner.plan import Plan, Week, week_minutes
from planner.profile import Profile
from planner.progression import simulate
from planner.ramp import ramp
from planner.safety import pain_rule
from planner.sessions import Session, SessionType, rest_day
from planner.swaps import SwapCheck, check_swap, with_kit_and_swaps
from planner.targets import targets
from planner.week import clear_layout_caches

WALK_TOLERANCE = 0.9  # a peak walk within 10% of the target counts as reached


def clear_caches() -> None:
    """Forget every memoised plan, week layout and adapted plan (benchmarks time cold runs)."""
    from planner.readiness import clear_memo

    _adapted.clear()
    _plans.clear()
    clear_memo()
    simulate.cache_clear()
    clear_layout_caches()


Adapted = tuple[tuple[Week, ...], DayAdjust, date]
MEMO_PROFILES = 4096  # adapted plans kept, one per person: ~35 KB each at most (~140 MB)


def _weeks(profile: Profile, history: History, today: date, memo: bool = True) -> Adapted:
    args = (tuple(history), max(today, profile.start_date))
    return _adapted(profile, args) if memo else _adapt(profile, args)


def _adapt(profile: Profile, args: tuple[History, date]) -> Adapted:
    """The plan's weeks (with the ramp back after pain 6+) and the day adjustments."""
    history, today = args
    wa = week_adjust(profile, history, today)
    weeks = simulate(replace(profile, swaps=()), wa.restart_at, wa.restart_from,
                     wa.restart_factor, wa.holds)
    weeks = with_kit_and_swaps(profile, weeks)
    da = day_adjust(profile, history, today, wa.restart_at is not None)
    first = _first_training(weeks, profile, today) if da.bridge_from else None
    before = _at_pain(profile, history, today)
    weeks = ramp(profile, history, today, weeks, da, first, before)
    no_rise = no_rise_windows(profile, history, today, weeks, before)
    if no_rise:
        da = replace(da, no_rise=no_rise)
    smaller_on = smaller_days(profile, history, today, weeks)
    if smaller_on:
        da = replace(da, smaller_on=smaller_on)
    return weeks, da, today


def _at_pain(profile: Profile, history: History, today: date) -> dict[date, tuple[Week, ...]]:
    """The plan's weeks as of each earlier pain 6+ day (a restart reached later, 7 idle
    days on the day after the pain, rewrites the pain week; the hold keeps the doses
    planned when it hurt, see ``pain_caps``)."""
    out = {}
    for e in history:
        if e.pain is not None and profile.start_date <= e.day < today \
                and pain_rule(e.pain).hold_next_week and e.day not in out:
            wa = week_adjust(profile, history, e.day)
            out[e.day] = with_kit_and_swaps(profile, simulate(
                replace(profile, swaps=()), wa.restart_at, wa.restart_from,
                wa.restart_factor, wa.holds))
    return out


# Each person's latest adapted plan (``session_for`` is called day by day with the same
# history); see planner/memo.py for the bound and its trade-off.
_adapted: Latest[Profile, tuple[History, date], Adapted] = Latest(_adapt, MEMO_PROFILES)


def _active(da: DayAdjust) -> bool:
    return any(x is not None for x in (da.sick_rest_until, da.sick_easy_until,
                                         da.sick_back_until, da.low_impact_until,
                                         da.easier_until, da.bridge_from)
               ) or bool(da.no_rise) or bool(da.smaller_on) or bool(da.after_hard)


def _first_training(weeks: tuple[Week, ...], profile: Profile, today: date) -> date | None:
    i = (today - profile.start_date).days // 7
    for w in weeks[i:i + 2]:
        for s in w.sessions:
            if s.day >= today and s.training:
                return s.day
    return None


def _adapt_week(profile: Profile, w: Week, da: DayAdjust, today: date,
                first: date | None) -> Week:
    if w.end < today:
        return w
    new = tuple(apply_day(profile, s, da, first) if s.day >= today else s for s in w.sessions)
    if new == w.sessions:
        return w
    return replace(w, sessions=new, minutes=week_minutes(new), adjusted=True)


def build_plan(profile: Profile, history: History, today: date) -> Plan:
    """The whole plan, adapted to the history as of ``today``."""
    return _plans(profile, (tuple(history), today))


def _build(profile: Profile, args: tuple[History, date]) -> Plan:
    history, today = args
    weeks, da, t = _weeks(profile, history, today)
    if _active(da):
        first = _first_training(weeks, profile, t)
        weeks = tuple(_adapt_week(profile, w, da, t, first) for w in weeks)
    lt = lead_time(profile, today)
    tg = targets(profile.grade)
    walks = [s for w in weeks for s in w.sessions if s.type is SessionType.BACKPACK_WALK]
    peak_walk = max((s.minutes for s in walks), default=0)
    peak_pack = max((s.pack_kg or 0.0 for s in walks if s.phase is not Phase.TAPER),
                    default=0.0)
    warnings: list[str] = []
    if not weeks:
        warnings.append("no_time")
    elif lt.short_runway:
        warnings.append("short_runway")
    else:
        if lt.short:
            warnings.append("short_lead")
        if peak_walk < WALK_TOLERANCE * tg.long_walk_minutes:
            warnings.append("walk_short")
        if peak_pack < tg.pack_kg[1]:
            warnings.append("pack_short")
    return Plan(weeks=weeks, warnings=tuple(warnings), lead=lt, peak_walk_minutes=peak_walk,
                target_walk_minutes=tg.long_walk_minutes, peak_pack_kg=peak_pack,
                target_pack_kg=float(tg.pack_kg[1]))


# Each person's latest whole plan: one message asks for it several times (the reply, the
# stored rows, the streak), and the day adjustments re-dress every remaining session.
# Bounded like `_adapted` (a plan is the adapted weeks plus a few numbers).
_plans: Latest[Profile, tuple[History, date], Plan] = Latest(_build, MEMO_PROFILES)


def session_for(profile: Profile, history: History, day: date, today: date, *,
                memo: bool = True) -> Session | None:
    """The session for ``day`` (a RECOVERY session on rest days).

    Returns None on or after the trek date; raises ValueError before the start date.
    ``memo=False`` leaves the person's memoised plan alone (for a look at past days).
    """
    if day >= profile.trek_date:
        return None
    if day < profile.start_date:
        raise ValueError("day is before the plan start date")
    weeks, da, t = _weeks(profile, history, today, memo)
    w = weeks[(day - profile.start_date).days // 7]
    found = next((s for s in w.sessions if s.day == day), None)
    if found is None:
        return rest_day(day, w.phase)
    if day >= t and _active(da):
        first = _first_training(weeks, profile, t) if da.bridge_from else None
        return apply_day(profile, found, da, first)
    return found


def week_of(profile: Profile, history: History, day: date, today: date) -> Week:
    """The plan week containing ``day``. ValueError outside the plan."""
    if not profile.start_date <= day < profile.trek_date:
        raise ValueError("day is outside the plan")
    weeks, da, t = _weeks(profile, history, today)
    w = weeks[(day - profile.start_date).days // 7]
    if _active(da):
        w = _adapt_week(profile, w, da, t, _first_training(weeks, profile, t))
    return w


def swap_check(profile: Profile, history: History, today: date, a: date, b: date
               ) -> SwapCheck:
    """May the session of day ``a`` trade places with day ``b`` (planner/swaps.py)? Each
    candidate is judged on the plan as it would be built with it (swaps come before the
    day adjustments), without touching the person's memoised plan."""

    def days(extra: tuple[tuple[date, date], ...]) -> dict[date, Session]:
        p = replace(profile, swaps=profile.swaps + extra)
        weeks, da, t = _weeks(p, history, today, memo=not extra)
        if _active(da):
            first = _first_training(weeks, p, t)
            weeks = tuple(_adapt_week(p, w, da, t, first) for w in weeks)
        return {s.day: s for w in weeks for s in w.sessions}

    return check_swap(profile, days, today, a, b)


def yesterday_hard(profile: Profile, history: History, today: date) -> bool:
    """Yesterday's planned session was hard, or a logged one felt hard."""
    y = today - timedelta(days=1)
    if any(e.day == y and e.felt_hard for e in history):
        return True
    if y < profile.start_date or y >= profile.trek_date:
        return False
    s = session_for(profile, history, y, today)
    return bool(s and s.hard and not any(e.day == y and e.kind.value == "skipped"
                                         for e in history))
