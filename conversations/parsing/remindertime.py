"""The daily message time: "7", "7:30", "6:30 pm", "18:30", "seven", "half past six",
"half six" (6:30), "after work, around 6" (18:00); and a one-off snooze ("in 2 hours").

Returns minutes after local midnight. A bare hour from 1 to 11 is a morning time
(morning sessions are the usual choice); "in the evening", "after work" or "pm" moves it
on 12 hours. A span ("in 2 hours", "snooze 1 hour") is not a time of day: `parse_snooze`
reads it. A time before 5:00 is unusual enough to be confirmed (`is_night`).
"""

from __future__ import annotations

import re

from conversations.parsing.numbers import words_to_numbers
from conversations.parsing.words import clean

_TIME = re.compile(
    r"(?<![\d+\-:.])(\d{1,2})(?:(?:[:.h]|\s)([0-5]\d))?"
    r"\s*(am|pm|a m|p m|a\.m\.?|p\.m\.?)?(?![\d:])"
)
_COMPACT = re.compile(r"(?<![\d+\-:])\b(\d{3,4})\s*(am|pm)?\b(?![\d:])")
_OFFSET = re.compile(r"(?:utc|gmt)\s*[+-]?\s*\d{1,2}(?::?\d{2})?|[+-]\d{1,2}(?::?\d{2})?")
_PAST = re.compile(r"\b(half|quarter|\d{1,2}) past (\d{1,2})\b")
_TO = re.compile(r"\b(quarter|\d{1,2}) to (\d{1,2})\b")
_EVENING = re.compile(r"\b(evening|night|afternoon|tonight|pm|after work|after the office|"
                      r"after dinner|after school)\b")
_HALF_HOUR = re.compile(r"\bhalf (\d{1,2})\b(?! (?:hours?|hrs?|h|minutes?|mins?)\b)")
_RELATIVE = re.compile(r"\b(?:in|for|snooze|another)\s+(?:an?|\d+(?:\.\d+)?|half an?)\s*"
                       r"(hours?|hrs?|h|minutes?|mins?|m)\b|\bhalf an hour\b")
_SNOOZE_AMOUNT = re.compile(r"\b(an?|\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m)\b")
NIGHT_BEFORE = 5 * 60  # a reminder before 5:00 is asked back
_MORNING = re.compile(r"\b(morning|am|dawn|early)\b")


def time_spans(text: str) -> list[tuple[int, int]]:
    """Where a time sits in the cleaned, number-word-free text (for removing it)."""
    t = prepare(text)
    return [(m.start(), m.start() + len(m.group().rstrip())) for m in _TIME.finditer(t)]


def prepare(text: str) -> str:
    """Cleaned text with number words as digits and UTC offsets blanked out."""
    t = words_to_numbers(clean(text))
    return _OFFSET.sub(lambda m: " " * len(m.group()), t)


def _clock(hour: int, minute: int, t: str, marker: str | None) -> int | None:
    """Hour and minute to minutes after midnight, applying am/pm or "in the evening"."""
    marker = (marker or "").replace(".", "").replace(" ", "")
    if marker in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if marker == "pm" else 0)
    elif _EVENING.search(t) and 1 <= hour < 12:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return hour * 60 + minute


def parse_snooze(text: str) -> int | None:
    """A one-off delay in minutes: "remind me in 2 hours" -> 120, "snooze 1 hour" -> 60,
    "in half an hour" -> 30, "snooze 20 min" -> 20; None when no span is said."""
    t = prepare(text)
    if re.search(r"\bhalf an? hour\b", t):
        return 30
    m = _RELATIVE.search(t) or (_SNOOZE_AMOUNT.search(t) if "snooze" in t else None)
    if m is None:
        return None
    m2 = _SNOOZE_AMOUNT.search(t, m.start())
    if m2 is None:
        return None
    amount = 1.0 if m2.group(1) in ("a", "an") else float(m2.group(1))
    minutes = amount * (60 if m2.group(2).startswith("h") else 1)
    return int(minutes) if 0 < minutes <= 24 * 60 else None


def is_night(minutes: int) -> bool:
    """A time before 5:00, to be confirmed ("1:00 at night?")."""
    return minutes < NIGHT_BEFORE


def parse_time(text: str) -> int | None:
    """Minutes after midnight; None when no time of day is found (a span such as "in 2
    hours" is not one)."""
    t = prepare(text)
    if _RELATIVE.search(t) or re.search(r"\bsnooze\b", t):
        return None
    m = _HALF_HOUR.search(t)
    if m and not _PAST.search(t):
        return _clock(int(m.group(1)), 30, t, None)
    if re.search(r"\bnoon\b|\bmidday\b", t):
        return 12 * 60
    if re.search(r"\bmidnight\b", t):
        return 0
    m = _PAST.search(t)
    if m:
        extra = {"half": 30, "quarter": 15}.get(m.group(1))
        minute = extra if extra is not None else int(m.group(1))
        return _clock(int(m.group(2)), minute, t, None)
    m = _TO.search(t)
    if m:
        before = 15 if m.group(1) == "quarter" else int(m.group(1))
        hour = int(m.group(2))
        if 1 <= before < 60 and 1 <= hour <= 24:
            total = _clock(hour % 24, 0, t, None)
            return None if total is None else (total - before) % (24 * 60)
    m = _COMPACT.search(t)
    if m and int(m.group(1)) >= 100:
        value = int(m.group(1))
        return _clock(value // 100, value % 100, t, m.group(2))
    m = _TIME.search(t)
    if m:
        minute = int(m.group(2)) if m.group(2) else 0
        return _clock(int(m.group(1)), minute, t, m.group(3))
    return None
