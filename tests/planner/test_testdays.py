"""Test days (issue 12 point 6): the weeks that ask for results against the grade's
targets, and readiness built on those results plus adherence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings

from conversations.plan_texts import gap_text, readiness_text, session_text, week_text
from planner import (
    Grade,
    LogEntry,
    LogKind,
    Profile,
    Running,
    SessionType,
    build_plan,
    readiness,
    targets,
)
from planner import test_weeks as weeks_with_tests
from tests.planner.strategies import profiles

S = date(2025, 1, 6)
RUNNER = Profile(Running.REGULAR, 30, frozenset(), S + timedelta(weeks=12), Grade.MODERATE, 4,
                 S, 70.0)
WALKER = Profile(Running.NO, None, frozenset(), S + timedelta(weeks=12), Grade.MODERATE, 4, S)


def _tests(p: Profile) -> dict[int, dict[str, SessionType]]:
    plan = build_plan(p, (), p.start_date)
    return {w.index: {code: s.type for s in w.sessions for code in s.tests}
            for w in plan.weeks if any(s.tests for s in w.sessions)}


def test_test_weeks_are_baseline_mid_plan_and_three_weeks_out() -> None:
    assert weeks_with_tests(RUNNER) == (1, 6, 10)
    assert weeks_with_tests(replace(RUNNER, trek_date=S + timedelta(weeks=20))) == (1, 10, 18)
    assert weeks_with_tests(replace(RUNNER, trek_date=S + timedelta(weeks=2))) == (1,)
    assert weeks_with_tests(replace(RUNNER, trek_date=S + timedelta(weeks=4))) == (1,)


def test_the_test_sessions_ask_for_the_results() -> None:
    """A runner times 5 km on an easy run; floors come on the stairs day (the week after
    when the test week has none), the loaded walk on the walk, squats on strength."""
    marks = _tests(RUNNER)
    assert marks[1] == {"squats": SessionType.STRENGTH, "run_5k": SessionType.ZONE2_RUN,
                        "loaded_walk": SessionType.BACKPACK_WALK}
    assert marks[2] == {"floors": SessionType.STAIRS}  # week 1 has no stairs day
    week1 = build_plan(RUNNER, (), S).weeks[0]
    run = next(s for s in week1.sessions if "run_5k" in s.tests)
    assert "Test day" in session_text(run) and "5 km in 41 min" in session_text(run)
    assert "(test day)" in week_text(week1, S)
    squats = next(s for s in week1.sessions if "squats" in s.tests)
    assert "30 squats" in session_text(squats)


def test_a_non_runner_is_never_asked_to_run_5_km() -> None:
    walk_weeks = _tests(WALKER)
    assert all(kinds.get("run_5k", SessionType.BACKPACK_WALK) is SessionType.BACKPACK_WALK
               for kinds in walk_weeks.values())
    plan = build_plan(WALKER, (), S)
    walk = next(s for w in plan.weeks for s in w.sessions if "run_5k" in s.tests)
    text = session_text(walk)
    assert "pace" in text and "run 5 km" not in text.lower()


@settings(max_examples=150, deadline=None)
@given(profiles(min_days=7))
def test_every_plan_has_a_baseline_test_and_tests_only_on_training_days(p: Profile) -> None:
    """Week 1 always asks for a result; tests sit on training days of the right type,
    never in the last two days before the trek, and do not change any minutes."""
    plan = build_plan(p, (), p.start_date)
    carriers = {"run_5k": {SessionType.ZONE2_RUN, SessionType.LONG_RUN,
                           SessionType.BACKPACK_WALK},
                "floors": {SessionType.STAIRS, SessionType.STEP_UPS},
                "loaded_walk": {SessionType.BACKPACK_WALK}}
    marked = [s for w in plan.weeks for s in w.sessions if s.tests]
    assert any(s.day < p.start_date + timedelta(days=14) for s in marked)
    for s in marked:
        assert s.training and (p.trek_date - s.day).days > 2
        for code in s.tests:
            if code == "squats":
                assert s.type is SessionType.STRENGTH or s.strength_block
            else:
                assert s.type in carriers[code]


def _done_weeks(p: Profile, until: date) -> tuple[LogEntry, ...]:
    plan = build_plan(p, (), p.start_date)
    return tuple(LogEntry(s.day, LogKind.DONE, s.type, s.minutes, pack_kg=s.pack_kg)
                 for w in plan.weeks for s in w.sessions if s.training and s.day < until)


def test_readiness_is_built_on_test_results_and_names_the_gap() -> None:
    """All sessions done for 4 weeks but no test logged: adherence scores, the results
    do not, and the line names the biggest gap. Each result logged raises the score."""
    today = S + timedelta(days=28)
    done = _done_weeks(WALKER, today)
    base = readiness(WALKER, done, today)
    assert base.adherence == 1.0 and base.gap == "long_walk"
    assert gap_text(base).startswith("Your loaded walk is the gap: 1 h")
    assert "of 3 h 45 with 8 kg" in gap_text(base)
    day = today - timedelta(days=1)
    t = targets(Grade.MODERATE)
    steps = [LogEntry(day, LogKind.DONE, SessionType.ZONE2_RUN, 41, distance_km=5.0,
                      activity="run"),
             LogEntry(day, LogKind.DONE, SessionType.STAIRS, 15, floors=22, pack_kg=8.0),
             LogEntry(day, LogKind.DONE, SessionType.STRENGTH, 25, reps=30)]
    history, last = done, base
    for e in steps:
        history = history + (e,)
        r = readiness(WALKER, history, today)
        assert r.score > last.score
        last = r
    assert last.best_5k_minutes == 41 and last.best_floors == 22 and last.best_squats == 30
    assert dict(last.parts)["run_5k"] == 1.0  # 41 min beats the 45-min target
    assert dict(last.parts)["floors"] == round(22 / t.stairs_floors[1], 3)
    text = readiness_text(last)
    assert "5 km in 41 min" in text and "22 floors with 8 kg" in text and "30 squats" in text


def test_the_gap_line_names_each_component() -> None:
    today = S + timedelta(days=28)
    done = _done_weeks(WALKER, today)
    walk = (LogEntry(today, LogKind.DONE, SessionType.BACKPACK_WALK, 240, pack_kg=8.0,
                     distance_km=12.0),)
    r = readiness(WALKER, done + walk, today)
    assert r.gap == "floors" and gap_text(r).startswith("Stairs are the gap: none counted")
    r = readiness(WALKER, (), today)
    assert r.gap == "adherence" and "Sessions done are the gap: 0 of" in gap_text(r)
    more = walk + (LogEntry(today, LogKind.DONE, SessionType.STAIRS, 20, floors=25,
                            pack_kg=8.0),)
    r = readiness(WALKER, done + more, today)
    assert r.gap == "squats" and gap_text(r) == "Squats are the gap: 0 in a row of 35."
