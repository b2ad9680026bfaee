"""The trek date: a date ("15 March", "2027-03-15", "March 15th", "mid-April", "end of May")
or a span ("10 weeks", "in two and a half months", "half a year", "in 2.5 months").

Cheap regular expressions first; dateparser (slow to import, about 0.4 s on its first
call) only for what they miss, such as "next friday". A date without a year is the next
one after `today`. Numeric dates are read day first ("15/03/2027") unless that is
impossible ("03/15/2027").
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from conversations.parsing.numbers import words_to_numbers
from conversations.parsing.words import clean, fuzzy

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH_NAMES = [m for m in MONTHS if len(m) > 3]

_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?\b")
_UNIT = r"(days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?)"
_SPAN = re.compile(r"(?<![\d.])\b(\d+(?:\.\d+)?|a|an|a couple of|couple of|a few|few)"
                   r"(\s+and\s+a\s+half)?\s*" + _UNIT + r"(\s+and\s+a\s+half)?\b")
_HALF_A = re.compile(r"\bhalf\s+(?:a|an)\s+" + _UNIT + r"\b")
_DECIMAL_SPAN = re.compile(r"\b\d+\.\d+\s*" + _UNIT + r"\b")
# a part of a month: "mid-April", "end of May", "early June" (no day number given)
_PART = re.compile(r"\b(mid|middle of|the middle of|end of|the end of|late|early|"
                   r"beginning of|the beginning of|start of|the start of)\s+([a-z]+)\b"
                   r"(?:,?\s+(\d{4}))?")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?(?:,?\s+(\d{4}))?\b")
_MONTH_DAY = re.compile(r"\b([a-z]+)\.?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?")
_MONTH_YEAR = re.compile(r"\b([a-z]+)\s+(\d{4})\b")
_COUNTS = {"a": 1, "an": 1, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month(word: str) -> int | None:
    if word in MONTHS:
        return MONTHS[word]
    hit = fuzzy(word, _MONTH_NAMES) if len(word) >= 4 else None
    return None if hit is None else MONTHS[hit]


def _make(year: int | None, month: int, day: int, today: date) -> date | None:
    """A calendar date; without a year, the next such date after today."""
    if year is not None and year < 100:
        year += 2000
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        if candidate <= today:
            candidate = date(today.year + 1, month, day)
        return candidate
    except ValueError:
        if year is None and month == 2 and day == 29:  # the next 29 February
            for y in range(today.year, today.year + 8):
                if calendar.isleap(y) and date(y, 2, 29) > today:
                    return date(y, 2, 29)
        return None


def _ahead(today: date, count: float, unit: str) -> date | None:
    """``count`` (halves allowed) units after today; half a month is 15 days."""
    if count <= 0 or count > 1000:
        return None
    if unit.startswith("d"):
        return today + timedelta(days=int(count))
    if unit.startswith("w"):
        return today + timedelta(days=int(count * 7))
    months = count * (1 if unit.startswith("m") else 12)
    whole = int(months)
    return add_months(today, whole) + timedelta(days=int((months - whole) * 30))


def parse_span(text: str, today: date) -> date | None:
    """'10 weeks', 'in 3 months', 'a month', 'ten days', 'in two and a half months',
    'half a year', '2.5 months' -> the date that far from today."""
    t = words_to_numbers(text)
    m = _HALF_A.search(t)
    if m is not None:
        return _ahead(today, 0.5, m.group(1))
    m = _SPAN.search(t)
    if m is None:
        return None
    raw, unit = m.group(1), m.group(3)
    count = float(_COUNTS[raw] if raw in _COUNTS else raw)
    if m.group(2) or m.group(4):
        count += 0.5
    return _ahead(today, count, unit)


def parse_month_part(text: str, today: date) -> date | None:
    """'mid-April' -> 15 April, 'end of May' / 'late May' -> 31 May, 'early June' /
    'beginning of June' -> 1 June; the next such date after today."""
    t = re.sub(r"\bmid-", "mid ", clean(text))
    m = _PART.search(t)
    month = _month(m.group(2)) if m else None
    if m is None or month is None:
        return None
    year = int(m.group(3)) if m.group(3) else None
    part = m.group(1).removeprefix("the ")
    if part.startswith(("mid", "middle")):
        return _make(year, month, 15, today)
    if part.startswith(("end", "late")):
        for y in (year,) if year is not None else (today.year, today.year + 1):
            end = date(y, month, calendar.monthrange(y, month)[1])
            if year is not None or end > today:
                return end
        return None
    return _make(year, month, 1, today)


def parse_calendar(text: str, today: date) -> date | None:
    """A written date, without dateparser."""
    t = clean(text)
    m = _ISO.search(t)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), today)
    for pattern, day_i, month_i in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for m in pattern.finditer(t):
            month = _month(m.group(month_i))
            if month is not None:
                year = int(m.group(3)) if m.group(3) else None
                found = _make(year, month, int(m.group(day_i)), today)
                if found is not None:
                    return found
    m = _NUMERIC.search(t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        day, month = (a, b) if b <= 12 else (b, a)
        return _make(year, month, day, today)
    m = _MONTH_YEAR.search(t)
    if m and _month(m.group(1)) is not None:
        return _make(int(m.group(2)), _month(m.group(1)) or 1, 1, today)
    if not any(c.isdigit() for c in t):  # "in April": its first day, the cautious reading
        for word in t.split(" "):
            month = _month(word) if len(word) >= 3 else None
            if month is not None:
                return _make(None, month, 1, today)
    return None


def parse_with_dateparser(text: str, today: date) -> date | None:
    """The slow path, for phrases such as "next friday" or "end of march"."""
    t = clean(text)
    if not t or len(t) > 60 or not any(c.isalpha() for c in t):
        return None
    import dateparser  # slow to import: only here

    found = dateparser.parse(
        t,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12, 0),
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return None if found is None else found.date()


def parse_trek_date(text: str, today: date) -> date | None:
    """The trek date from a date or a span; None when neither is found."""
    if _DECIMAL_SPAN.search(clean(text)):  # "2.5 months" is a span, not 2 May
        return parse_span(text, today)
    return (parse_month_part(text, today) or parse_calendar(text, today)
            or parse_span(text, today) or parse_with_dateparser(text, today))
