"""Which day and which session a free-text log is about: "log thursday: strength 25 min",
"I also did friday's run, 40 min", "yesterday I did the long walk", "did about 90 minutes
with my daypack, calves are tight" (a soreness note, not pain), "that was really hard".

Pure readers over `conversations/parsing/reports.py` (`logged_day`, and its table of
session words, as `session_words` reads them but the one named first wins).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from conversations.parsing.reports import SESSION_WORDS, body_area, logged_day
from conversations.parsing.words import clean
from planner import Session, SessionType
from planner.sessions import RUNNING_TYPES

_LATER = r"(?:tomorrow|tmrw|next (?:week|mon|tue|wed|thu|fri|sat|sun)\w*)"
_FUTURE = re.compile(rf"\b(?:log|logging|for)\s+{_LATER}|^{_LATER}\b"
                     rf"|\b{_LATER}\s*(?:s\s+)?(?:run|session|walk|strength|workout|stairs)\b")
_SORE = re.compile(r"\b(?:tight|tightness|stiff|stiffness|heavy|tired|achy legs|doms|"
                   r"worked|burning)\b")
WALKS = frozenset({SessionType.EASY_WALK, SessionType.BACKPACK_WALK})


@dataclass(frozen=True)
class LogTarget:
    """The day a log is for, the session type named (if any), and a soreness note."""

    day: date
    named: SessionType | None
    future: bool = False
    sore_area: str | None = None  # "calves are tight": noted, not a pain report


def target(text: str, today: date, yesterday: bool) -> LogTarget:
    """Where a log goes: a weekday or "yesterday" named, else today (or yesterday when the
    classifier read it so); a future day is flagged for a refusal."""
    t = clean(text.replace("'s", "").replace("’s", "").replace(":", " "))
    day = logged_day(text, today)
    if day is None:
        day = today if not yesterday else date.fromordinal(today.toordinal() - 1)
    named = first_named(t)
    sore = body_area(text) if _SORE.search(t) else None
    return LogTarget(day, named, future=bool(_FUTURE.search(t)), sore_area=sore)


def first_named(t: str) -> SessionType | None:
    """The session type named first ("ran 5k, then some strength" is a run); stretching
    or mobility on its own does not replace the planned session ("done, stretched after")."""
    found = []
    for words, kind in SESSION_WORDS:
        m = re.search(rf"\b(?:{words})\b", t)
        if m is not None and kind != SessionType.MOBILITY.value:
            found.append((m.start(), kind))
    return SessionType(min(found)[1]) if found else None


def matches(named: SessionType, planned: Session | None) -> bool:
    """Whether the session named is the planned one ("run" for any run, "walk" for a
    backpack walk)."""
    if planned is None or not planned.training:
        return False
    if named is planned.type:
        return True
    if named is SessionType.ZONE2_RUN and planned.type in RUNNING_TYPES:
        return True
    return named is SessionType.EASY_WALK and planned.type in WALKS
