"""Run/walk sessions (runners under 20 easy minutes) as the person reads them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from conversations.plan_texts import session_text, week_text
from planner import Grade, Profile, Running, SessionType, build_plan

S = date(2025, 1, 6)  # a Monday


def _plan(easy: int) -> tuple:
    """The weeks without their test-day marks (those add "(test day)" to the dose line;
    tests/planner/test_testdays.py)."""
    p = Profile(Running.SOMETIMES, easy, frozenset(), S + timedelta(weeks=12), Grade.MODERATE,
                5, S)
    return tuple(replace(w, sessions=tuple(replace(s, tests=()) for s in w.sessions))
                 for w in build_plan(p, (), S).weeks)


def test_run_walk_session_and_week_texts() -> None:
    week = _plan(10)[0]
    z2 = next(s for s in week.sessions if s.type is SessionType.ZONE2_RUN)
    text = session_text(z2)
    assert text.startswith("*Easy run/walk*: 20 min (5 min run, 1 min walk)")
    assert "Run 5 min, walk 1 min" in text
    line = next(x for x in week_text(week, S).splitlines() if "run/walk" in x)
    assert line.endswith("Easy run/walk 20 min (5 min run, 1 min walk)")


def test_continuous_run_texts_unchanged() -> None:
    week = _plan(30)[0]
    z2 = next(s for s in week.sessions if s.type is SessionType.ZONE2_RUN)
    assert session_text(z2).startswith(f"*Easy run*: {z2.minutes} min\n")
    assert "run/walk" not in week_text(week, S)
