"""One-off day swaps keep the week rules, and no bike or gym means no rides
(planner/swaps.py; rules in planner/README.md, "Swaps and kit")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planner import (
    Grade,
    History,
    Joint,
    Plan,
    Profile,
    Running,
    Session,
    SessionType,
    build_plan,
    session_for,
    swap_check,
)
from tests.planner.strategies import histories, profiles, swap_requests

SETTINGS = settings(max_examples=150, deadline=None)


def _days(plan: Plan) -> dict[date, Session]:
    return {s.day: s for w in plan.weeks for s in w.sessions if s.training}


def _rule_pairs(days: dict[date, Session]) -> set[tuple[str, date]]:
    """The week rules, checked on their own: (rule, first day) for each pair of days that
    breaks one."""
    out = set()
    one = timedelta(days=1)
    for d, s in days.items():
        n = days.get(d + one)
        if n is not None and s.hard and n.hard:
            out.add(("two hard days in a row", d))
        strong = s.type is SessionType.STRENGTH or s.strength_block
        if n is not None and strong and (n.type is SessionType.STRENGTH or n.strength_block):
            out.add(("strength on adjacent days", d))
        if s.type is SessionType.BACKPACK_WALK:
            for k in range(1, 4):
                x = days.get(d + timedelta(days=k))
                if x is not None and x.type is SessionType.BACKPACK_WALK:
                    out.add(("two long walks within 3 days", d))
    return out


@st.composite
def asked(draw: st.DrawFn) -> tuple[Profile, date, date, date]:
    p = draw(profiles(min_days=14, max_days=16 * 7))
    today, a, b = draw(swap_requests(p))
    return p, today, a, b


@st.composite
def asked_with_history(draw: st.DrawFn) -> tuple[Profile, History, date, date, date]:
    p, today, a, b = draw(asked())
    return p, draw(histories(p, today)), today, a, b


@SETTINGS
@given(asked_with_history())
def test_an_allowed_swap_never_breaks_a_week_rule(
        case: tuple[Profile, History, date, date, date]) -> None:
    """A swap the planner allows adds no broken rule, whatever was logged before; a
    refused one offers a day that is allowed (or none)."""
    p, history, today, a, b = case
    check = swap_check(p, history, today, a, b)
    target = b if check.problem is None else check.nearest
    if target is None:
        return
    if check.problem is not None:
        assert swap_check(p, history, today, a, target).problem is None
    before = _rule_pairs(_days(build_plan(p, history, today)))
    after_plan = build_plan(replace(p, swaps=((a, target),)), history, today)
    after = _rule_pairs(_days(after_plan))
    assert after <= before, (a, target, after - before)


@SETTINGS
@given(asked())
def test_a_swap_trades_exactly_the_two_days(case: tuple[Profile, date, date, date]) -> None:
    p, today, a, b = case
    if swap_check(p, (), today, a, b).problem is not None:
        return
    q = replace(p, swaps=((a, b),))
    for k in range(-3, 12):
        d = today + timedelta(days=k)
        if not p.start_date <= d < p.trek_date:
            continue
        before, after = session_for(p, (), d, today), session_for(q, (), d, today)
        src = {a: b, b: a}.get(d, d)
        expected = session_for(p, (), src, today)
        assert after is not None and expected is not None and before is not None
        assert (after.type, after.minutes) == (expected.type, expected.minutes), d


def _profile(**kw: object) -> Profile:
    start = date(2025, 1, 6)  # a Monday
    base = Profile(Running.REGULAR, 30, frozenset(), start + timedelta(weeks=12),
                   Grade.MODERATE, 4, start)
    return replace(base, **kw)  # type: ignore[arg-type]


def test_a_swap_next_to_a_hard_day_is_refused_with_the_nearest_allowed_day() -> None:
    """4 days Mon Wed Fri Sat: Saturday's long walk onto Sunday sits next to Monday's long
    run; Sunday is refused and another day offered."""
    p = _profile()
    sat, sun = date(2025, 1, 11), date(2025, 1, 12)
    assert session_for(p, (), sat, sat).type is SessionType.BACKPACK_WALK  # type: ignore[union-attr]
    mon = session_for(p, (), date(2025, 1, 13), sat)
    assert mon is not None and mon.hard
    check = swap_check(p, (), sat, sat, sun)
    assert check.problem == "hard_in_a_row" and check.clash == date(2025, 1, 13)
    assert check.nearest is not None and check.nearest != sun
    assert swap_check(p, (), sat, sat, check.nearest).problem is None


def test_past_days_the_trek_eve_and_rest_days_do_not_move() -> None:
    p = _profile()
    today = date(2025, 1, 8)
    assert swap_check(p, (), today, today, date(2025, 1, 7)).problem == "past"
    assert swap_check(p, (), today, date(2025, 1, 7), today).problem == "past"
    eve = p.trek_date - timedelta(days=1)
    last = max(s.day for w in build_plan(p, (), p.start_date).weeks for s in w.sessions
               if s.training and s.day < eve - timedelta(days=1))
    assert swap_check(p, (), last, last, eve).problem == "trek_close"
    assert swap_check(p, (), today, date(2025, 1, 9), date(2025, 1, 10)).problem \
        == "nothing_to_move"  # Thursday is a rest day


@SETTINGS
@given(profiles(min_days=7))
def test_no_bike_turns_every_ride_into_a_brisk_walk_or_swim(p: Profile) -> None:
    """No bike or gym: no cycling anywhere in the plan; each ride is a brisk walk or swim
    of the same minutes, and nothing else changes."""
    with_bike = build_plan(replace(p, bike=True), (), p.start_date)
    without = build_plan(replace(p, bike=False), (), p.start_date)
    for a, b in zip(with_bike.weeks, without.weeks, strict=True):
        assert a.minutes == b.minutes
        for x, y in zip(a.sessions, b.sessions, strict=True):
            assert y.type is not SessionType.CYCLING
            if x.type is SessionType.CYCLING:
                assert (y.type, y.minutes) == (SessionType.BRISK_WALK, x.minutes)
            else:
                assert y == x


def test_no_bike_reaches_the_low_impact_days_after_pain() -> None:
    """After pain 7/10 the easy low-impact version is a ride; without a bike, a walk/swim."""
    from planner import LogEntry, LogKind

    p = _profile(joints=frozenset({Joint.KNEE}), bike=False)
    day = date(2025, 1, 8)
    pain = (LogEntry(day=day, kind=LogKind.PAIN, pain=7),)
    nxt = [session_for(p, pain, day + timedelta(days=k), day) for k in range(1, 4)]
    kinds = {s.type for s in nxt if s is not None and s.training}
    assert SessionType.CYCLING not in kinds
    with_bike = [session_for(replace(p, bike=True), pain, day + timedelta(days=k), day)
                 for k in range(1, 4)]
    assert SessionType.CYCLING in {s.type for s in with_bike if s is not None}
