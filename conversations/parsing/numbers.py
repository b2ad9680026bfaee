"""Numbers and durations, in digits or words ("thirty", "twenty-five", "half an hour")."""

from __future__ import annotations

import re

from conversations.parsing.words import clean, fuzzy

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
EXTRA = {"a": 1, "an": 1, "once": 1, "twice": 2, "couple": 2, "few": 3, "dozen": 12}
NUMBER_WORDS = {**UNITS, **TENS, "fourty": 40, "ninty": 90, "hundred": 100}
# Typos are only forgiven for long number words: "fine" or "none" must not become a number.
_LONG = [w for w in NUMBER_WORDS if len(w) >= 5]
_DIGITS = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")


def word_number(word: str) -> int | None:
    """One word as a number, typos allowed for the longer number words ("thirtty")."""
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if word in EXTRA:
        return EXTRA[word]
    if word.isdigit():
        return int(word)
    if len(word) < 5:  # short words: only swapped letters ("fiev"), never "none" -> nine
        hit = next((w for w in UNITS if len(w) == len(word) >= 3
                    and sorted(w) == sorted(word)), None)
    else:
        hit = fuzzy(word, _LONG)
    return None if hit is None else NUMBER_WORDS[hit]


def words_to_numbers(text: str) -> str:
    """Replace number words by digits: "twenty five minutes" -> "25 minutes"."""
    words = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", clean(text)).split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        value = word_number(word) if word.isalpha() and word not in EXTRA else None
        if value is None:
            out.append(word)
            i += 1
            continue
        if value in TENS.values() and i + 1 < len(words):
            unit = word_number(words[i + 1]) if words[i + 1].isalpha() else None
            if unit is not None and 1 <= unit <= 9:
                value += unit
                i += 1
        out.append(str(value))
        i += 1
    return " ".join(out)


def parse_number(text: str) -> int | None:
    """The first whole number in a text, in digits or words; None when there is none."""
    found = _DIGITS.search(words_to_numbers(text))
    if found is None:
        return None
    return int(float(found.group()))


_HOURS = r"(?:hours?|hrs?|h)"
_MINS = r"(?:minutes?|mins?|m)"
_HOUR_MIN = re.compile(rf"(\d+(?:\.\d+)?)\s*{_HOURS}\s*(?:and\s*)?(?:(\d+)\s*{_MINS}?)?\b")
_MIN = re.compile(rf"(\d+(?:\.\d+)?)\s*(?:-|to)?\s*(\d+)?\s*{_MINS}?\b")


def parse_minutes(text: str) -> int | None:
    """A duration in minutes: "30", "thirty", "45 min", "1h30", "an hour", "half an hour".

    A range ("20-30 min") counts as its lower end. Bare numbers are minutes.
    """
    t = clean(text)
    if re.search(r"\bhalf (?:an )?hour\b|\bhalf hour\b", t):
        return 30
    if re.search(r"\bquarter (?:of )?(?:an )?hour\b", t):
        return 15
    if re.search(r"\b(?:an|one|1) hour and (?:a )?half\b|\b(?:an )?hour and a half\b", t):
        return 90
    t = words_to_numbers(t)
    t = re.sub(r"\ban? hour\b", "1 hour", t)
    m = _HOUR_MIN.search(t)
    if m:
        return round(float(m.group(1)) * 60) + (int(m.group(2)) if m.group(2) else 0)
    m = _MIN.search(t)
    if m:
        return round(float(m.group(1)))
    return None


# Inside a whole sentence a number needs its unit to be minutes ("did 3 sets" is none).
_SENT_HOURS = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hour|hours)\b(?:\s*(\d{1,2})\s*(?:m|min|mins)?\b)?"
)
_SENT_MINS = re.compile(r"(\d{1,3})\s*(?:m|min|mins|minute|minutes|mn)\b")
_FRACTION = re.compile(r"\b(\d{1,2})(?:/10\b|\s*out of\s*10\b)")
_NOT_A_SCORE = r"(?!\s*(?:m|min|mins|minutes|h|km)\b)"


def minutes_in(text: str) -> int | None:
    """A duration with its unit inside a normalised sentence ("ran 30 min", "1.5h", "an hour")."""
    m = _SENT_HOURS.search(text)
    if m:
        hours = float(m.group(1).replace(",", "."))
        extra = int(m.group(2)) if m.group(2) else 0
        return round(hours * 60) + extra
    m = _SENT_MINS.search(text)
    if m:
        return int(m.group(1))
    if re.search(r"\bhalf (?:an )?hour\b", text):
        return 30
    if re.search(r"\ban hour\b", text):
        return 60
    return None


def score_in(text: str, words: set[str], fraction: bool = True) -> int | None:
    """'7/10', '7 out of 10' (when `fraction`), or 'effort 7', 'pain 6' -> the number 0..10."""
    m = _FRACTION.search(text) if fraction else None
    if m is None and words:
        keys = "|".join(sorted(words))
        m = re.search(rf"\b(?:{keys})\s*(?:of|is|was|at|level)?\s*(\d{{1,2}})\b{_NOT_A_SCORE}",
                      text)
    if m is None:
        return None
    value = int(m.group(1))
    return value if 0 <= value <= 10 else None
