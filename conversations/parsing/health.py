"""Health in a sentence: pain and its warning signs, the body area, sickness, how it felt.

Word tables and small readers over the classifier's typo-corrected words
(`conversations/parsing/sentence.py`).
"""

from __future__ import annotations

import re

from conversations.parsing.reports import AREAS
from conversations.parsing.sentence import has

_FEELINGS = {
    "easy": "easy", "light": "easy", "comfortable": "easy", "breeze": "easy",
    "relaxed": "easy", "effortless": "easy",
    "ok": "ok", "okay": "ok", "fine": "ok", "alright": "ok", "good": "ok", "decent": "ok",
    "moderate": "ok", "great": "ok", "normal": "ok",
    "hard": "hard", "tough": "hard", "brutal": "hard", "exhausting": "hard",
    "difficult": "hard", "killer": "hard", "struggled": "hard", "exhausted": "hard",
    "heavy": "hard", "tiring": "hard", "intense": "hard",
}

_AREAS = AREAS  # one table of body parts, shared with the report readers

_SICK_WORDS = {
    "cold": "above_neck", "sniffles": "above_neck", "runny": "above_neck",
    "sneezing": "above_neck", "blocked": "above_neck",
    "throat": "above_neck", "congested": "above_neck", "sinus": "above_neck",
    "headache": "above_neck",
    "fever": "fever", "flu": "fever", "temperature": "fever", "chills": "fever",
    "covid": "fever", "feverish": "fever",
    "chest": "chest", "cough": "chest", "coughing": "chest",
    "stomach": "stomach", "vomiting": "stomach", "vomit": "stomach", "diarrhea": "stomach",
    "diarrhoea": "stomach", "nausea": "stomach", "nauseous": "stomach", "puking": "stomach",
}
_SICK_GENERAL = {"sick", "ill", "unwell", "poorly", "bug", "virus"}
_SICK_RANK = {"unwell": 0, "above_neck": 0, "fever": 3, "chest": 2, "stomach": 1}

_PAIN_WORDS = {
    "pain", "painful", "hurts", "hurt", "hurting", "sore", "ache", "aches", "aching",
    "injured", "injury", "sprained", "sprain", "twisted", "tweaked", "pulled", "strain",
    "strained", "niggle", "swollen", "swelling", "throbbing", "ouch", "puffy", "inflamed",
}

_SWELLING = re.compile(r"\b(?:swollen|swelling|swells|swelled|swole|puffy|inflamed|bruised)\b")
_WORSE = re.compile(
    r"\b(?:worse|more)\b.{0,20}\b(?:when|while|whilst|during|as|if|with|on|after)\b"
    r"|\b(?:getting|gets|got|get|growing|becoming) worse\b|\bworse and worse\b"
)
_LASTING = re.compile(
    r"\bstill\b|\b(?:from|since) (?:yesterday|last|the other|my last|\w+day)\b"
    r"|\bfor (?:\d+|two|three|four|five|several|a few|a couple of|a|many) "
    r"(?:days?|weeks?|nights?)\b|\b(?:days|a week|all week) now\b"
    r"|\b(?:not|isnt|hasnt|wont|doesnt) (?:going|gone|go|went) away\b"
    r"|\bkeeps? (?:coming back|hurting)\b"
)
def pain_signs(norm: str) -> dict[str, bool]:
    """Warning signs in a pain message: swelling, worse while moving, lasting."""
    return {"swelling": bool(_SWELLING.search(norm)), "worse_during": bool(_WORSE.search(norm)),
            "lasting": bool(_LASTING.search(norm))}


def feeling(words: list[str]) -> str | None:
    """How a session felt: "easy", "ok" or "hard" (a "not" before the word turns it)."""
    found = None
    for i, w in enumerate(words):
        if w in _FEELINGS:
            negated = i > 0 and words[i - 1] in {"not", "nt", "never"}
            if negated and _FEELINGS[w] == "hard":
                found = "ok"
            elif negated and _FEELINGS[w] == "easy":
                found = "hard"
            else:
                found = _FEELINGS[w]
    return found


_SORE_THROAT = ("sore throat", "runny nose", "blocked nose", "stuffy nose")
_HAVE_A_COLD = {"have", "got", "caught", "a", "with", "im", "i", "bit", "head", "getting",
                "nasty", "bad", "coming"}
def sickness(words: list[str], ws: set[str], joined: str) -> str | None:
    """The worst sickness named ("unwell" when only a general word), None for none."""
    sick = [_SICK_WORDS[w] for w in words if w in _SICK_WORDS]
    if has(joined, *_SORE_THROAT):
        sick.append("above_neck")
    general = bool(ws & _SICK_GENERAL)
    if "cold" in ws and not (ws & _HAVE_A_COLD) and not general and sick == ["above_neck"]:
        return None  # "it was cold outside" is weather, not a cold
    if sick:
        return max(sick, key=lambda s: _SICK_RANK[s])
    if "flu" in ws:
        return "fever"
    return "unwell" if general else None


def has_pain(ws: set[str], joined: str) -> bool:
    """Whether the words report pain ("sore throat" alone is a cold, not pain)."""
    if "sore" in ws and has(joined, "sore throat"):
        return bool(ws & (_PAIN_WORDS - {"sore"}))
    return bool(ws & _PAIN_WORDS) or has(joined, "hurts", "knee pain", "back pain")


def area_of(words: list[str]) -> str | None:
    """The first body area named ("knee", "ankle", ...), None for none."""
    return next((_AREAS[w] for w in words if w in _AREAS), None)
