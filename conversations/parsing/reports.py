"""Reports in a sentence, said the way people say them: pain scores, recovery, the day of a log.

- `pain_score`: "knee 7/10 after the stairs", "knee 7/10", "pain 7", "it hurts, 6",
  "my knees are aching coming downhill, maybe a 4" -> the 0-10 score (None when no score
  goes with a body part or a pain word; a bare "7/10" is an effort, not a pain).
- `body_area`: the first body part named ("knees" -> "knee", "calves" -> "calf").
- `recovered`: "fever is gone, feeling fine now", "knee is fine today", "no more fever".
- `logged_day`: "log thursday: ...", "I also did friday's run", "yesterday" -> the past
  day meant (a weekday is the latest one on or before today).
- `session_words`: the kind of session named ("strength", "run", "walk with my daypack").
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from conversations.parsing.words import clean

AREAS = {
    "knee": "knee", "knees": "knee", "ankle": "ankle", "ankles": "ankle", "hip": "hip",
    "hips": "hip", "back": "back", "shin": "shin", "shins": "shin", "calf": "calf",
    "calves": "calf", "foot": "foot", "feet": "foot", "heel": "foot", "hamstring": "hamstring",
    "hamstrings": "hamstring", "achilles": "achilles", "shoulder": "shoulder", "neck": "neck",
    "thigh": "thigh", "quad": "thigh", "quads": "thigh", "groin": "hip", "toe": "foot",
    "toes": "foot", "leg": "leg", "legs": "leg",
}
PAIN_WORDS = ("pain", "painful", "hurts", "hurt", "hurting", "sore", "ache", "aches",
              "aching", "achy", "tender", "twinge", "sharp", "throbbing", "niggle")
_AREA = "|".join(sorted(AREAS, key=len, reverse=True))
_PAIN = "|".join(PAIN_WORDS)
_FRACTION = r"(\d{1,2})\s*(?:/\s*10|out of 10)\b"
_NOT_A_SCORE = r"(?!\s*(?:m|min|mins|minutes|h|hr|hrs|hours?|km|kg|floors?|sets?|reps?)\b)"
# a body part or pain word, then (within a few words) a score
_NEAR = re.compile(rf"\b(?:{_AREA}|{_PAIN})\b(?:\W+\w+){{0,8}}?\W+{_FRACTION}")
_BEFORE = re.compile(rf"{_FRACTION}(?:\W+\w+){{0,3}}?\W+(?:{_AREA}|{_PAIN})\b")
_WORD_SCORE = re.compile(rf"\b(?:pain|hurts|sore|level)\s*(?:is|was|at|of|about)?\s*"
                         rf"(\d{{1,2}})\b{_NOT_A_SCORE}")
_HEDGED = re.compile(rf"\b(?:maybe|about|around|like|roughly|say|probably)\s+(?:an?\s+)?"
                     rf"(\d{{1,2}})\b{_NOT_A_SCORE}")
_HAS_PAIN = re.compile(rf"\b(?:{_PAIN})\b")
_RECOVERED = re.compile(
    r"\b(?:fever|temperature|cold|bug|sickness|pain|ache|flu|it|that|they|knee|ankle|hip|"
    r"back|stomach|tummy|chest|cough)\s+(?:is|has|s|are|have)?\s*(?:all\s+)?"
    r"(?:gone|over|better|fine|ok|okay|good|away|cleared|settled|passed)\b"
    r"|\bno (?:more )?(?:fever|temperature|pain)\b|\bfever free\b|\b(?:feel|feeling|i m|im|"
    r"i am) (?:fine|better|good|great|ok|okay|recovered|back to normal)(?: now| again)?\b"
    r"|\brecovered\b|\bback to normal\b|\ball better\b")
_STILL = re.compile(r"\b(?:still|worse|not (?:gone|better|over|fine))\b")
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
_DAY = re.compile(r"\b(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")(?:s)?\b")
SESSION_WORDS = (  # (alternatives, session type value): the first match wins
    (r"strength|weights?|gym|squats?|lunges?", "strength"),
    (r"stairs?|steps|floors", "stairs"),
    (r"cycl\w*|bike|biking|spin", "cycling"),
    (r"intervals?", "intervals"),
    (r"hill repeats?|hills", "hill_repeats"),
    (r"long run|long slow run", "long_run"),
    (r"run|ran|jog\w*|running", "zone2_run"),
    (r"day ?pack|back ?pack|rucksack|pack|loaded walk|hike|hiked|hiking", "backpack_walk"),
    (r"walk\w*", "easy_walk"),
    (r"mobility|stretch\w*|yoga", "mobility"),
)


def _norm(text: str) -> str:
    return clean(text.replace("'s", "").replace("’s", ""))


def _score(m: re.Match[str] | None) -> int | None:
    if m is None:
        return None
    value = int(m.group(1))
    return value if 0 <= value <= 10 else None


def pain_score(text: str) -> int | None:
    """The pain score said with a body part or a pain word; None without one."""
    t = _norm(text)
    for pattern in (_NEAR, _BEFORE, _WORD_SCORE):
        found = _score(pattern.search(t))
        if found is not None:
            return found
    if _HAS_PAIN.search(t):
        return _score(_HEDGED.search(t))
    return None


def body_area(text: str) -> str | None:
    """The first body part named."""
    m = re.search(rf"\b({_AREA})\b", _norm(text))
    return AREAS[m.group(1)] if m else None


def mentions_pain(text: str) -> bool:
    """A pain word, or a body part with a score ("knee 7/10")."""
    t = _norm(text)
    return bool(_HAS_PAIN.search(t)) or (body_area(t) is not None and pain_score(t) is not None)


def recovered(text: str) -> bool:
    """The person says the sickness or the pain has gone."""
    t = _norm(text)
    return bool(_RECOVERED.search(t)) and not _STILL.search(t)


def logged_day(text: str, today: date) -> date | None:
    """The past day a log is for: "yesterday", or a weekday (the latest on or before
    today); None when no day is named."""
    t = _norm(text)
    if re.search(r"\b(?:yesterday|last night)\b", t):
        return today - timedelta(days=1)
    m = _DAY.search(t)
    if m is None:
        return None
    back = (today.weekday() - _WEEKDAYS[m.group(1)]) % 7
    return today - timedelta(days=back)


def session_words(text: str) -> str | None:
    """The session type value named in a log ("strength 25 min" -> "strength")."""
    t = _norm(text)
    return next((kind for words, kind in SESSION_WORDS if re.search(rf"\b(?:{words})\b", t)),
                None)
