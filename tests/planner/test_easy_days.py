"""Sessions turned into rest or an easy day (sickness, pain, the verdict): one rule for the
run/walk pattern -- an easy run keeps the run segment the person can manage, a rest day or
a non-running session has none."""

from __future__ import annotations

from datetime import date, timedelta

from planner import (
    Grade,
    LogEntry,
    LogKind,
    Profile,
    Running,
    SessionType,
    build_plan,
    session_for,
)

S = date(2025, 1, 6)  # a Monday
P = Profile(Running.SOMETIMES, 10, frozenset(), S + timedelta(weeks=12), Grade.MODERATE, 5, S)


def _run_walk_day() -> date:
    week = build_plan(P, (), S).weeks[0]
    z2 = next(s for s in week.sessions if s.type is SessionType.ZONE2_RUN)
    assert z2.run_walk == (5, 1)
    return z2.day


def test_head_cold_easy_run_keeps_the_run_walk_segments() -> None:
    day = _run_walk_day()
    cold = (LogEntry(day, LogKind.SICK, sickness="above_neck"),)
    s = session_for(P, cold, day, day)
    assert s is not None
    assert (s.type, s.note, s.hard) == (SessionType.ZONE2_RUN, "sick_easy", False)
    assert s.run_walk == (5, 1) and s.minutes <= 30


def test_fever_rest_day_and_pain_cycling_have_no_run_walk() -> None:
    day = _run_walk_day()
    fever = (LogEntry(day, LogKind.SICK, sickness="fever"),)
    rest = session_for(P, fever, day, day)
    assert rest is not None and rest.type is SessionType.RECOVERY and rest.note == "sick_rest"
    assert rest.run_walk is None and rest.minutes == 0 and rest.exercises == ()
    pain = (LogEntry(day, LogKind.PAIN, pain=7, pain_area="knee"),)
    low = session_for(P, pain, day, day)
    assert low is not None and low.note == "pain_low_impact"
    assert low.type is not SessionType.ZONE2_RUN and low.run_walk is None


def test_rest_days_made_by_the_plan_carry_no_dose() -> None:
    p = Profile(Running.REGULAR, 10, frozenset(), S + timedelta(weeks=13), Grade.DIFFICULT, 4, S)
    rests = [s for w in build_plan(p, (), S).weeks for s in w.sessions if not s.training]
    assert rests, "the walk weeks and the taper turn some sessions into rest days"
    for s in rests:
        assert (s.minutes, s.hard, s.run_walk, s.pack_kg, s.sets, s.floors) == (
            0, False, None, None, None, None), s
