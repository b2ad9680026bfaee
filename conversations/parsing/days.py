"""Training days a week: "4", "four", "4 days", "every day", "3-4" (the lower end)."""

from __future__ import annotations

from conversations.parsing.numbers import parse_number
from conversations.parsing.words import clean, has_phrase

_EVERY_DAY = ("every day", "everyday", "daily", "all week", "each day", "every single day")
_WEEKDAYS = ("weekdays", "every weekday", "monday to friday", "mon to fri", "mon-fri")


def parse_days(text: str) -> int | None:
    """How many days a week (any whole number; the caller checks 3 to 6)."""
    t = clean(text)
    if has_phrase(t, _EVERY_DAY):
        return 7
    if has_phrase(t, _WEEKDAYS):
        return 5
    return parse_number(t)
