"""Dates, times and spans as people read them: "Tue 3 Dec", "7:30", "1 h 40", "5 weeks".

The one place for these formats (the dialogue's replies, the plan texts, the prompts and
the demo clock in ``bot/`` all use it). English names, no locale: ``%a`` and ``%b`` are
the C locale's."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache


@lru_cache(maxsize=1024)  # the scheduler formats the same few days for many users
def short_date(day: date) -> str:
    """'Tue 3 Dec'."""
    return f"{day:%a} {day.day} {day:%b}"


def long_date(day: date) -> str:
    """'Tue 3 Dec 2025'."""
    return f"{short_date(day)} {day.year}"


def clock_time(minutes: int) -> str:
    """Minutes after midnight as '7:30' (24-hour clock, no leading zero)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def short_moment(moment: datetime) -> str:
    """'Tue 3 Dec, 7:30' in the moment's own zone."""
    return f"{short_date(moment.date())}, {clock_time(moment.hour * 60 + moment.minute)}"


def duration(minutes: int) -> str:
    """'45 min', '2 h', '1 h 40', '3 h 05'."""
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}" if h and m else (f"{h} h" if h else f"{m} min")


def weeks(days: int) -> int:
    """Days as whole weeks gone by, the way every reply counts them (69 days: 9 weeks)."""
    return days // 7


def span(days: int) -> str:
    """'1 day', '13 days', then whole weeks: '2 weeks', '9 weeks'."""
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{weeks(days)} weeks"
