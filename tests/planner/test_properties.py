"""Properties that must hold for every profile, day and history."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planner import (
    LogEntry,
    LogKind,
    Phase,
    Plan,
    Profile,
    Session,
    SessionType,
    build_plan,
    session_for,
)
from tests.planner.strategies import histories, profiles

RUNS = {SessionType.ZONE2_RUN, SessionType.INTERVALS, SessionType.HILL_REPEATS,
        SessionType.LONG_RUN}
SETTINGS = settings(max_examples=200, deadline=None)
CARRIERS = {"run_5k": {SessionType.ZONE2_RUN, SessionType.LONG_RUN, SessionType.BACKPACK_WALK},
            "floors": {SessionType.STAIRS, SessionType.STEP_UPS},
            "loaded_walk": {SessionType.BACKPACK_WALK}}


@st.composite
def cases(draw: st.DrawFn) -> tuple[Profile, tuple[LogEntry, ...], date, Plan]:
    p = draw(profiles())
    span = (p.trek_date - p.start_date).days
    today = p.start_date + timedelta(days=draw(st.integers(0, span)))
    h = draw(histories(p, today))
    return p, h, today, build_plan(p, h, today)


def _days(plan: Plan) -> dict[date, object]:
    return {s.day: s for w in plan.weeks for s in w.sessions if s.training}


@SETTINGS
@given(cases())
def test_non_runners_never_run(case: tuple) -> None:
    p, _, _, plan = case
    if not p.runner:
        assert all(s.type not in RUNS for w in plan.weeks for s in w.sessions)


@SETTINGS
@given(cases())
def test_joint_issue_runners(case: tuple) -> None:
    p, _, _, plan = case
    if not p.joint_issue:
        return
    days = _days(plan)
    for d, s in days.items():
        assert s.type not in (SessionType.INTERVALS, SessionType.HILL_REPEATS)
        nxt = days.get(d + timedelta(days=1))
        if s.type in RUNS and nxt is not None:
            assert nxt.type not in RUNS


@SETTINGS
@given(cases())
def test_no_consecutive_hard_or_strength_and_a_rest_day_every_7(case: tuple) -> None:
    _, _, _, plan = case
    days = _days(plan)
    for d, s in days.items():
        nxt = days.get(d + timedelta(days=1))
        if nxt is None:
            continue
        assert not (s.hard and nxt.hard)
        assert not (s.type is SessionType.STRENGTH and nxt.type is SessionType.STRENGTH)
    all_days = sorted(days)
    if all_days:
        d = all_days[0]
        while d + timedelta(days=6) <= all_days[-1]:
            assert any(d + timedelta(days=k) not in days for k in range(7))
            d += timedelta(days=1)


@SETTINGS
@given(cases())
def test_weekly_minutes_rise_at_most_10_percent(case: tuple) -> None:
    _, _, _, plan = case
    ref = None
    for w in plan.weeks:
        if ref is not None and w.phase is not Phase.DELOAD:
            assert w.minutes <= ref * 1.10 + 1e-9, (w.index, w.minutes, ref)
        if w.adjusted:
            ref = None  # cut by pain/sickness/bridge: the plan resumes its own level
        elif w.phase not in (Phase.DELOAD, Phase.TAPER) and w.days == 7:
            ref = w.minutes


@SETTINGS
@given(cases())
def test_doses(case: tuple) -> None:
    _, _, _, plan = case
    for w in plan.weeks:
        for s in w.sessions:
            if s.type is SessionType.ZONE2_RUN:
                assert 20 <= s.minutes <= 40


@SETTINGS
@given(cases())
def test_pack_and_duration(case: tuple) -> None:
    _, _, _, plan = case
    prev = None
    for w in plan.weeks:
        walks = [s for s in w.sessions if s.type is SessionType.BACKPACK_WALK]
        if w.adjusted:
            prev = None
        if not walks or w.days < 7 or w.adjusted:
            continue
        walk = walks[0]
        if prev is not None:
            assert (walk.pack_kg or 0) - (prev.pack_kg or 0) <= 2.0
            assert not ((walk.pack_kg or 0) > (prev.pack_kg or 0) and walk.minutes > prev.minutes)
        if w.phase is not Phase.DELOAD:
            prev = walk


@SETTINGS
@given(cases())
def test_deload_taper_and_final_days(case: tuple) -> None:
    p, _, _, plan = case
    if plan.weeks and plan.weeks[0].phase is Phase.SHORT_RUNWAY:
        assert all(w.phase is Phase.SHORT_RUNWAY for w in plan.weeks)
    else:
        taper_days = sum(w.days for w in plan.weeks if w.phase is Phase.TAPER)
        if plan.weeks:
            assert 7 <= taper_days <= 14
        for w in plan.weeks:
            if w.phase is not Phase.TAPER:
                assert (w.phase is Phase.DELOAD) == (w.index % 4 == 0)
    for w in plan.weeks:
        for s in w.sessions:
            assert s.day < p.trek_date
            if (p.trek_date - s.day).days <= 2:
                assert s.type in (SessionType.RECOVERY, SessionType.EASY_WALK)


@SETTINGS
@given(profiles(min_days=28))
def test_taper_volume_and_deload_size(p: Profile) -> None:
    plan = build_plan(p, (), p.start_date)
    ref = None
    for i, w in enumerate(plan.weeks):
        if w.phase is Phase.DELOAD:
            prev = plan.weeks[i - 1].minutes
            assert 0.5 * prev <= w.minutes <= 0.8 * prev
        if w.phase is Phase.TAPER:
            assert ref is not None and w.minutes <= 0.6 * ref
        elif w.phase is not Phase.DELOAD:
            ref = w.minutes
    first_taper = next(w for w in plan.weeks if w.phase is Phase.TAPER)
    final_days = (p.trek_date - first_taper.end).days <= 2
    if first_taper.days == 7 and not final_days and ref:
        assert first_taper.minutes >= 0.4 * ref


@SETTINGS
@given(st.data())
def test_missed_sessions_never_piled(data: st.DataObject) -> None:
    p = data.draw(profiles(min_days=21))
    span = (p.trek_date - p.start_date).days
    today = p.start_date + timedelta(days=data.draw(st.integers(1, span - 1)))
    skipped = tuple(LogEntry(day=p.start_date + timedelta(days=k), kind=LogKind.SKIPPED)
                    for k in range((today - p.start_date).days))
    base = build_plan(p, (), p.start_date)
    done = tuple(LogEntry(day=s.day, kind=LogKind.DONE) for w in base.weeks
                 for s in w.sessions if s.day < today)
    on_track = build_plan(p, done, today)
    missed = build_plan(p, skipped, today)
    for a, b in zip(on_track.weeks, missed.weeks, strict=True):
        if b.end >= today:
            assert b.minutes <= a.minutes
            assert sum(x.training for x in b.sessions) <= sum(x.training for x in a.sessions)


@SETTINGS
@given(cases())
def test_deterministic_and_session_for_agrees(case: tuple) -> None:
    p, h, today, plan = case
    assert build_plan(p, h, today) == plan
    for w in plan.weeks:
        for s in w.sessions:
            assert session_for(p, h, s.day, today) == s
    assert session_for(p, h, p.trek_date, today) is None


@SETTINGS
@given(profiles(min_days=7))
def test_joint_issue_cycling_every_week(p: Profile) -> None:
    """Low-impact cardio is the first choice with joint issues: a cycling day in every full
    week (the last two days before the trek are rest / an easy walk)."""
    if not p.joint_issue:
        return
    for w in build_plan(p, (), p.start_date).weeks:
        if w.days == 7 and (p.trek_date - w.end).days > 2:
            assert any(s.type is SessionType.CYCLING for s in w.sessions), w


def _heavier(s: Session, c: Session) -> bool:
    """``s`` longer or heavier than ``c`` (same type): minutes, pack, floors, sets, reps,
    rep length, or longer run segments (a continuous run is heavier than run/walk)."""
    def more(a: float | None, b: float | None) -> bool:
        return a is not None and b is not None and a > b

    run_more = c.run_walk is not None and (s.run_walk is None or s.run_walk[0] > c.run_walk[0])
    pack_more = (s.pack_kg or 0) > (c.pack_kg or 0)
    return (s.minutes > c.minutes or pack_more or more(s.floors, c.floors)
            or more(s.sets, c.sets) or more(s.reps, c.reps)
            or more(s.rep_seconds, c.rep_seconds) or run_more)


@st.composite
def red_pain_cases(draw: st.DrawFn) -> tuple[Profile, tuple[LogEntry, ...], date, date]:
    p = draw(profiles(min_days=8))
    span = (p.trek_date - p.start_date).days
    pain_day = p.start_date + timedelta(days=draw(st.integers(0, span - 1)))
    today = min(p.trek_date - timedelta(days=1),
                pain_day + timedelta(days=draw(st.integers(0, 7))))
    done = tuple(LogEntry(s.day, LogKind.DONE)
                 for w in build_plan(p, (), p.start_date).weeks for s in w.sessions
                 if s.training and s.day < pain_day and draw(st.integers(0, 9)) > 0)
    pain = LogEntry(pain_day, LogKind.PAIN, pain=draw(st.integers(6, 10)), pain_area="knee")
    return p, tuple(sorted(done + (pain,), key=lambda e: e.day)), pain_day, today


@settings(max_examples=150, deadline=None)
@given(red_pain_cases())
def test_no_session_rises_in_the_7_days_after_pain_6_plus(case: tuple) -> None:
    p, h, pain_day, today = case
    plan = build_plan(p, h, today)
    last: dict[SessionType, Session] = {}
    for s in (s for w in plan.weeks for s in w.sessions if s.training and s.day < pain_day):
        last[s.type] = s
    for w in plan.weeks:
        for s in w.sessions:
            if s.training and max(today, pain_day + timedelta(days=1)) <= s.day <= \
                    pain_day + timedelta(days=7) and s.type in last:
                assert not _heavier(s, last[s.type]), (s, last[s.type])


@SETTINGS
@given(cases())
def test_run_walk_only_on_easy_and_long_runs_and_shorter_than_the_session(case: tuple
                                                                            ) -> None:
    p, _, _, plan = case
    for w in plan.weeks:
        for s in w.sessions:
            if s.run_walk is not None:
                assert s.type in (SessionType.ZONE2_RUN, SessionType.LONG_RUN)
                assert p.easy_run_minutes is not None and p.easy_run_minutes < 20
                run, walk = s.run_walk
                assert run >= 2 and 1 <= walk <= 2 and run + walk < s.minutes


@SETTINGS
@given(cases())
def test_descents_and_test_days_survive_adaptation(case: tuple) -> None:
    """After any history (pain, sickness, breaks, ramps): downhill practice stays within
    its session (a third of the walk; the floors climbed, a knee half of them; none on
    other types), and test days sit only on training sessions that can carry them."""
    p, h, today, plan = case
    for w in plan.weeks:
        for s in w.sessions:
            if s.type is SessionType.STAIRS:
                assert s.descent <= ((s.floors or 0) // 2 if p.knee else (s.floors or 0))
            elif s.type is SessionType.BACKPACK_WALK:
                assert s.descent <= s.minutes // 3
            else:
                assert s.descent == 0, s
            for code in s.tests:
                assert s.training, s
                if code == "squats":  # after a strength session or a strength block
                    assert s.type is SessionType.STRENGTH or s.strength_block, s
                else:
                    assert s.type in CARRIERS[code], s
    for day in (today, today + timedelta(days=1)):
        if p.start_date <= day < p.trek_date:
            s = session_for(p, h, day, today)
            assert s is not None and (s.training or (not s.tests and not s.descent))
