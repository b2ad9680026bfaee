"""Readiness figure and the chat texts."""

from __future__ import annotations

from datetime import date, timedelta

from conversations.plan_texts import (
    pain_text,
    readiness_text,
    session_text,
    sick_text,
    verdict_text,
    week_text,
)
from planner import (
    Grade,
    LogEntry,
    LogKind,
    Profile,
    Running,
    build_plan,
    pain_advice,
    readiness,
    should_run,
    sickness_advice,
)

S = date(2025, 1, 6)
P = Profile(Running.NO, None, frozenset(), S + timedelta(weeks=12), Grade.MODERATE, 4, S)


def test_readiness_rises_with_done_sessions() -> None:
    today = S + timedelta(28)
    plan = build_plan(P, (), S)
    done = tuple(LogEntry(s.day, LogKind.DONE, s.type, s.minutes) for w in plan.weeks
                 for s in w.sessions if s.day < today)
    assert readiness(P, (), today).score == 0
    r = readiness(P, done, today)
    assert 35 <= r.score <= 100 and r.adherence == 1.0  # adherence 35%; no test logged yet
    assert "Readiness" in readiness_text(r)


def test_texts_name_dose_and_effort() -> None:
    w = build_plan(P, (), S).weeks[0]
    assert "kg" in session_text(next(s for s in w.sessions if s.pack_kg))
    assert "Effort" in session_text(w.sessions[0])
    assert week_text(w, S).count("\n") == 7
    assert "No run" in verdict_text(should_run(P, (), S))
    assert "physiotherapist" in pain_text(pain_advice(7, "knee"))
    assert "Rest" in sick_text(sickness_advice("fever"))


def test_readiness_counts_planned_sessions_from_the_adapted_plan() -> None:
    """Days the adapted plan turned into rest (sick with a fever) are not 'missed'."""
    today = S + timedelta(28)
    plan = build_plan(P, (), S)
    days = [s for w in plan.weeks for s in w.sessions if s.training and s.day < today]
    sick_day = days[5].day
    rested = {d.day for d in days if sick_day <= d.day <= sick_day + timedelta(2)}
    hist = tuple(sorted([LogEntry(s.day, LogKind.DONE, s.type, s.minutes) for s in days
                         if s.day not in rested]
                        + [LogEntry(sick_day, LogKind.SICK, sickness="fever")],
                        key=lambda e: e.day))
    r = readiness(P, hist, today)
    assert r.sessions_planned == len(days) - len(rested)
    assert r.adherence == 1.0
    assert readiness(P, (), today).sessions_planned == len(days)


def test_adherence_counts_today_once_done_and_never_extras() -> None:
    plan = build_plan(P, (), S)
    sessions = [s for w in plan.weeks for s in w.sessions if s.training]
    first = sessions[0]
    rest = next(S + timedelta(k) for k in range(7)
                if all(s.day != S + timedelta(k) for s in sessions))
    before = readiness(P, (), first.day)
    assert (before.sessions_done, before.sessions_planned) == (0, 0)
    done_today = (LogEntry(first.day, LogKind.DONE, first.type, first.minutes),)
    r = readiness(P, done_today, first.day)
    assert (r.sessions_done, r.sessions_planned) == (1, 1)
    extra = (LogEntry(rest, LogKind.DONE, None, 30),)
    r = readiness(P, extra, rest)
    assert r.sessions_done <= r.sessions_planned
    assert r.sessions_done == 0
