"""The one set of formats for dates, times and spans that every reply uses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from conversations.formatting import (
    clock_time,
    duration,
    long_date,
    short_date,
    short_moment,
    span,
)


def test_dates() -> None:
    assert short_date(date(2024, 12, 3)) == "Tue 3 Dec"
    assert long_date(date(2025, 9, 14)) == "Sun 14 Sep 2025"


@pytest.mark.parametrize(("minutes", "text"), [(0, "0:00"), (5, "0:05"), (450, "7:30"),
                                                (1439, "23:59")])
def test_clock_time(minutes: int, text: str) -> None:
    assert clock_time(minutes) == text


def test_moment_is_read_in_its_own_zone() -> None:
    utc = datetime(2026, 3, 29, 5, 30, tzinfo=UTC)  # the morning Berlin moves to summer time
    assert short_moment(utc) == "Sun 29 Mar, 5:30"
    assert short_moment(utc.astimezone(ZoneInfo("Europe/Berlin"))) == "Sun 29 Mar, 7:30"


@pytest.mark.parametrize(("minutes", "text"), [(45, "45 min"), (120, "2 h"), (100, "1 h 40"),
                                                (185, "3 h 05")])
def test_duration(minutes: int, text: str) -> None:
    assert duration(minutes) == text


@pytest.mark.parametrize(("days", "text"), [(1, "1 day"), (13, "13 days"), (14, "2 weeks"),
                                             (66, "9 weeks")])
def test_span(days: int, text: str) -> None:
    assert span(days) == text
