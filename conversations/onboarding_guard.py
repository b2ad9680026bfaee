"""Onboarding answers that belong to another question: a date at "how many days a week",
"Berlin" at the trek date, "yes" at the minutes question. Each step's parser is lenient
("12 March" reads as 12 days, 12 minutes and 12:00), so before it runs, `foreign(state,
text)` checks what the typed answer looks like and returns a friendly re-ask naming what
is expected, instead of letting a stray answer be stored. Choices are never checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from conversations import onboarding_texts as T
from conversations.parsing.grade import parse_grade
from conversations.parsing.joints import parse_joints
from conversations.parsing.timezone import parse_zone
from conversations.parsing.words import clean
from conversations.states import State

_MONTHS = (r"jan|january|feb|february|mar|march|apr|april|jun|june|jul|july|aug|august|"
           r"sep|sept|september|oct|october|nov|november|dec|december")
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\b|\bmay\b(?=\s*\d)|(?<=\d)\s*may\b|\b(?:end|mid|early|late) (?:of )?may\b"
    r"|\b\d+(?:\.\d+)?\s*(?:weeks?|wks?|months?|years?)\b|\bnext (?:week|month|year)\b"
    r"|\b(?:a|one|two|three|four|five|six|ten|twelve|a few|half a) (?:weeks?|months?|years?)\b"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{4}-\d{1,2}-\d{1,2}\b|\btomorrow\b")
_TIME = re.compile(r"\b\d{1,2}\s*(?:am|pm|a m|p m|o ?clock)\b|\bhalf past\b|\bquarter (?:past|to)\b"
                   r"|\bin the (?:morning|evening|afternoon)\b")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_DURATION = re.compile(r"\b\d+\s*(?:min|mins|minutes?|hours?|hrs?|h)\b|\bhalf an hour\b"
                       r"|\ban hour\b")
_DAYS = re.compile(r"\b\d\s*(?:days?|times?|x)\b(?:\s*(?:a|per)\s*week)?")
_YESNO = {"yes", "no", "yeah", "yep", "nope", "nah", "sometimes", "y", "n", "sure", "ok",
          "okay"}

Check = Callable[[str], bool]


def _raw(pattern: re.Pattern[str]) -> Check:
    return lambda t: bool(pattern.search(t))


def _place(t: str) -> bool:
    return not re.search(r"\d", t) and parse_zone(t) is not None and not _grade(t) \
        and not _joint(t) and t not in _YESNO


def _grade(t: str) -> bool:
    return len(t.split()) <= 3 and parse_grade(t) is not None


def _joint(t: str) -> bool:
    found = parse_joints(t)
    return bool(found) and "other" not in (found or []) and not re.search(r"\d", t)


# what an answer can look like, and how the re-ask names it
LOOKS: dict[str, tuple[Check, str]] = {
    "date": (_raw(_DATE), "a date"),
    "time": (_raw(_TIME), "a time of day"),
    "clock": (_raw(_CLOCK), "a time of day"),
    "duration": (_raw(_DURATION), "a length of time"),
    "days": (_raw(_DAYS), "a number of days"),
    "yesno": (lambda t: t in _YESNO, "a yes or no"),
    "place": (_place, "a place"),
    "grade": (_grade, "a trek grade"),
    "joint": (_joint, "a joint"),
}
S = State
# per question: what its answers must not look like, checked in this order
FOREIGN: dict[State, tuple[str, ...]] = {
    S.ASK_RUN_MINUTES: ("date", "time", "days", "yesno", "place"),
    S.ASK_JOINTS: ("date", "time", "clock", "duration"),
    S.ASK_TREK_DATE: ("time", "clock", "duration", "yesno", "place", "grade", "joint"),
    S.ASK_GRADE: ("date", "time", "clock", "duration"),
    S.ASK_DAYS: ("date", "time", "clock", "duration", "place", "grade"),
    S.ASK_REMINDER: ("date", "duration", "days", "yesno", "grade", "joint"),
    S.ASK_TIMEZONE: ("date", "duration", "days", "yesno"),
}


# per question: the shapes of its own answers ("mid March" is a date, not a grade)
OWN: dict[State, tuple[str, ...]] = {
    S.ASK_RUN_MINUTES: ("duration",),
    S.ASK_TREK_DATE: ("date",),
    S.ASK_DAYS: ("days",),
    S.ASK_REMINDER: ("time", "clock"),
}


def foreign(state: State, text: str) -> str | None:
    """The re-ask for a typed answer that belongs to another question; None when it may
    answer this one (its own parser decides then)."""
    t = clean(text)
    if state is S.ASK_JOINTS and parse_joints(t) not in (None, ["other"]):
        return None  # "knee, since March": the joint is the answer
    if any(LOOKS[name][0](t) for name in OWN.get(state, ())):
        return None
    for name in FOREIGN.get(state, ()):
        check, looks = LOOKS[name]
        if check(t):
            return T.WRONG_QUESTION.format(looks=looks, expected=T.EXPECTED[state.value])
    return None
