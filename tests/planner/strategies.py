"""Hypothesis strategies for profiles, dates and histories."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from planner import Grade, Joint, LogEntry, LogKind, Profile, Running, SessionType

START = date(2025, 1, 1)


@st.composite
def profiles(draw: st.DrawFn, min_days: int = 1, max_days: int = 24 * 7) -> Profile:
    """Any valid profile."""
    running = draw(st.sampled_from(list(Running)))
    start = START + timedelta(days=draw(st.integers(0, 6)))
    days = draw(st.integers(min_days, max_days))
    joints = draw(st.frozensets(st.sampled_from(list(Joint)), max_size=2))
    weekdays = draw(st.one_of(st.none(), st.lists(st.integers(0, 6), min_size=3, max_size=6,
                                                  unique=True).map(tuple)))
    return Profile(
        running=running,
        easy_run_minutes=draw(st.integers(5, 90)) if running is not Running.NO else None,
        joints=joints,
        trek_date=start + timedelta(days=days),
        grade=draw(st.sampled_from(list(Grade))),
        days_per_week=draw(st.integers(3, 6)),
        start_date=start,
        body_weight_kg=draw(st.one_of(st.none(), st.floats(40, 130))),
        training_weekdays=weekdays,
    )


@st.composite
def histories(draw: st.DrawFn, profile: Profile, today: date) -> tuple[LogEntry, ...]:
    """Logged entries between the start date and today."""
    span = max(0, (today - profile.start_date).days)
    n = draw(st.integers(0, 12))
    out = []
    for _ in range(n):
        day = profile.start_date + timedelta(days=draw(st.integers(0, span)))
        kind = draw(st.sampled_from(list(LogKind)))
        out.append(LogEntry(
            day=day, kind=kind,
            session_type=draw(st.sampled_from(list(SessionType))),
            minutes=draw(st.integers(10, 200)),
            effort=draw(st.one_of(st.none(), st.integers(1, 10))),
            feeling=draw(st.sampled_from([None, "easy", "ok", "hard"])),
            pain=draw(st.integers(0, 10)) if kind is LogKind.PAIN else None,
            sickness=draw(st.sampled_from(["above_neck", "fever", "chest", "stomach"]))
            if kind is LogKind.SICK else None,
        ))
    return tuple(sorted(out, key=lambda e: e.day))


@st.composite
def swap_requests(draw: st.DrawFn, profile: Profile) -> tuple[date, date, date]:
    """(today, from day, to day): a one-off swap asked on a day of the plan, from a day
    this week to a day up to a week away (some of them not allowed)."""
    span = max(0, (profile.trek_date - profile.start_date).days - 1)
    today = profile.start_date + timedelta(days=draw(st.integers(0, span)))
    a = today + timedelta(days=draw(st.integers(0, 6)))
    b = a + timedelta(days=draw(st.integers(-4, 8)))
    return today, a, b
