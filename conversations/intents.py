"""What a free-text message after onboarding means: an `Intent` plus the details in it.

Pure and fast: text in, `Parsed` out. The message is read once into a `Reading` (through
the shared parsers in `conversations/parsing/`: normalised, typo-corrected, minutes and
scores), then `RULES` are tried in order; the first that matches decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from conversations.commands import BY_WORD
from conversations.intent import Intent, Parsed
from conversations.parsing.numbers import minutes_in, score_in
from conversations.parsing.sentence import has, normalise, tokens_of, weekdays_in
from conversations.parsing.yesno import confirmation

__all__ = ["Intent", "Parsed", "classify", "confirmation", "normalise", "pain_signs"]


_FEELINGS = {
    "easy": "easy", "light": "easy", "comfortable": "easy", "breeze": "easy",
    "relaxed": "easy", "effortless": "easy",
    "ok": "ok", "okay": "ok", "fine": "ok", "alright": "ok", "good": "ok", "decent": "ok",
    "moderate": "ok", "great": "ok", "normal": "ok",
    "hard": "hard", "tough": "hard", "brutal": "hard", "exhausting": "hard",
    "difficult": "hard", "killer": "hard", "struggled": "hard", "exhausted": "hard",
    "heavy": "hard", "tiring": "hard", "intense": "hard",
}

_AREAS = {
    "knee": "knee", "knees": "knee", "ankle": "ankle", "ankles": "ankle", "hip": "hip",
    "hips": "hip", "back": "back", "shin": "shin", "shins": "shin", "calf": "calf",
    "calves": "calf", "foot": "foot", "feet": "foot", "heel": "foot", "hamstring": "hamstring",
    "achilles": "achilles", "shoulder": "shoulder", "neck": "neck", "thigh": "thigh",
    "quad": "thigh", "quads": "thigh", "groin": "hip", "toe": "foot", "toes": "foot",
    "leg": "leg", "legs": "leg",
}

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
_NUDGE = re.compile(
    r"\bnudges?\b|\bnudging\b|\bevening (?:check ?ins?|reminders?|messages?|texts?|pings?)\b"
    r"|\b(?:remind|ping|text|message|nudge) me (?:in the|every|each|at) (?:evening|night)\b"
    r"|\b(?:remind|ping|text|message) me (?:tonight|in the evenings?)\b"
)
_OFF = re.compile(
    r"\b(?:no|off|stop|disable|dont|do not|without|cancel|quit|never|no more|turn off|"
    r"switch off|unsubscribe|remove|not)\b"
)


def pain_signs(norm: str) -> dict[str, bool]:
    """Warning signs in a pain message: swelling, worse while moving, lasting."""
    return {"swelling": bool(_SWELLING.search(norm)), "worse_during": bool(_WORSE.search(norm)),
            "lasting": bool(_LASTING.search(norm))}


_DONE_WORDS = {
    "done", "did", "finished", "finish", "completed", "complete", "trained", "ran",
    "walked", "hiked", "cycled", "biked", "climbed", "nailed", "smashed", "crushed",
}
_SKIP_WORDS = {"skip", "skipped", "skipping", "missed", "miss", "cannot", "cant", "couldnt",
               "didnt", "wont", "bailed"}
_RUN_WORDS = {"run", "running", "jog", "jogging", "runs"}
_QUESTION_WORDS = {"should", "can", "could", "may", "ok", "okay", "allowed", "safe", "fine",
                   "good", "idea", "go"}


def _feeling(words: list[str]) -> str | None:
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


_PAIN_SCORE_WORDS = {"pain", "hurts", "sore", "level"}
_EFFORT_WORDS = {"effort", "rpe", "exertion", "intensity"}
_SORE_THROAT = ("sore throat", "runny nose", "blocked nose", "stuffy nose")
_HAVE_A_COLD = {"have", "got", "caught", "a", "with", "im", "i", "bit", "head", "getting",
                "nasty", "bad", "coming"}
_SKIP_PHRASES = (
    "not today", "no time", "too tired", "no energy", "didnt do", "didnt make",
    "didnt manage", "didnt go", "had to rest", "taking a rest", "day off", "rest day today",
    "not going to", "not gonna", "wasnt able",
)


def _sickness(words: list[str], ws: set[str], joined: str) -> str | None:
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


def _has_pain(ws: set[str], joined: str) -> bool:
    if "sore" in ws and has(joined, "sore throat"):
        return bool(ws & (_PAIN_WORDS - {"sore"}))
    return bool(ws & _PAIN_WORDS) or has(joined, "hurts", "knee pain", "back pain")


@dataclass
class Reading:
    """One message read once: its words and the facts every rule looks at."""

    raw: str
    norm: str
    words: list[str]
    joined: str
    ws: set[str]
    slots: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, raw: str, norm: str, words: list[str]) -> Reading:
        joined = " ".join(words)
        ws = set(words)
        slots = {
            "minutes": minutes_in(norm),
            "feeling": _feeling(words),
            "day": "yesterday" if "yesterday" in ws or "last night" in joined else "today",
            "text": norm,
        }
        return cls(raw, norm, words, joined, ws, slots)

    def make(self, intent: Intent, **extra: object) -> Parsed:
        return Parsed(intent, **{**self.slots, **extra})

    @cached_property
    def sickness(self) -> str | None:
        return _sickness(self.words, self.ws, self.joined)

    @cached_property
    def pain(self) -> bool:
        return _has_pain(self.ws, self.joined)

    @cached_property
    def done(self) -> bool:
        return bool(self.ws & _DONE_WORDS) or has(self.joined, "did it", "all done", "did my")

    @cached_property
    def question(self) -> bool:
        return ("?" in self.raw or bool(self.ws & _QUESTION_WORDS)
                or has(self.joined, "is it", "am i able"))

    @cached_property
    def run(self) -> bool:
        return bool(self.ws & _RUN_WORDS)

    def effort(self) -> int | None:
        return score_in(self.norm, _EFFORT_WORDS, fraction=False)

    def any(self, *phrases: str) -> bool:
        return has(self.joined, *phrases)


Rule = Callable[[Reading], Parsed | None]


# -- account and settings ---------------------------------------------------------------
def _nudge(r: Reading) -> Parsed | None:
    if _NUDGE.search(r.joined) or _NUDGE.search(r.norm):
        return r.make(Intent.SET_NUDGE, switch=not _OFF.search(r.norm))
    return None


def _phrases(intent: Intent, *phrases: str) -> Rule:
    """A rule: any of the phrases means `intent`."""
    def rule(r: Reading) -> Parsed | None:
        return r.make(intent) if r.any(*phrases) else None
    return rule


def _delete(r: Reading) -> Parsed | None:
    if r.any("delete", "erase", "forget me", "remove my data", "wipe") and not (
        r.ws & {"session", "log", "workout"}
    ):
        return r.make(Intent.DELETE)
    return None


def _pause(r: Reading) -> Parsed | None:
    if r.any("pause", "paused", "mute", "snooze", "stop reminders", "stop reminding",
             "stop the reminders", "reminders off", "no more reminders", "stop messaging",
             "stop messages", "take a break", "pause the coach") or r.norm in {
                 "stop", "stop please", "please stop"}:
        return r.make(Intent.PAUSE)
    return None


def _trek_date(r: Reading) -> Parsed | None:
    if "trek" in r.ws and (
        r.any("moved", "postponed", "changed", "date", "now on", "is on", "rescheduled",
              "delayed", "brought forward", "moved to", "new date", "shifted", "pushed")
        or re.search(r"\d", r.norm)
    ):
        return r.make(Intent.SET_TREK_DATE)
    return None


_MOVED = re.compile(
    r"\b(?:i moved to|i live in|i am in|im in|i'm in|now in|moving to|travelling to|"
    r"traveling to|i'm now in|im now in|i am now in)\b")


def _timezone(r: Reading) -> Parsed | None:
    if (r.any("timezone", "time zone") or _MOVED.search(r.norm)) and not (
        r.pain or r.sickness is not None
    ):
        return r.make(Intent.SET_TIMEZONE)
    return None


def _days(r: Reading) -> Parsed | None:
    weekdays = weekdays_in(r.words)
    if weekdays and (
        r.any("training days", "train on", "days", "change my days", "switch to",
              "instead of", "only on", "can train", "work out on", "training on")
        or len(weekdays) >= 3
    ):
        return r.make(Intent.SET_DAYS, weekdays=weekdays)
    return None


# -- health -----------------------------------------------------------------------------
def _sick(r: Reading) -> Parsed | None:
    sickness = r.sickness
    if sickness is not None and not (r.done and not r.question):
        return r.make(Intent.SICK, sickness=sickness)
    return None


def _pain(r: Reading) -> Parsed | None:
    score = score_in(r.norm, _PAIN_SCORE_WORDS)
    if not (r.pain or (score is not None and "pain" in r.ws)):
        return None
    area = next((_AREAS[w] for w in r.words if w in _AREAS), None)
    signs = pain_signs(r.norm)
    if r.done and not r.question:
        return r.make(Intent.DONE, effort=r.effort(), pain=score, pain_area=area,
                      mentions_pain=True, **signs)
    return r.make(Intent.PAIN, pain=score, pain_area=area, **signs)


# -- runs, logging ----------------------------------------------------------------------
def _should_run(r: Reading) -> Parsed | None:
    if r.run and r.question and not (r.done and "?" not in r.raw):
        return r.make(Intent.SHOULD_RUN)
    return None


def _skip(r: Reading) -> Parsed | None:
    skip = bool(r.ws & _SKIP_WORDS) or r.any(*_SKIP_PHRASES)
    return r.make(Intent.SKIP) if skip and not r.any("cant wait") else None


def _run_asked(r: Reading) -> Parsed | None:
    return r.make(Intent.SHOULD_RUN) if r.run and not r.done and "?" in r.raw else None


def _done(r: Reading) -> Parsed | None:
    short_duration = r.slots["minutes"] is not None and len(r.words) <= 5 and not r.question
    if r.done or "✅" in r.raw or short_duration:
        effort = r.effort()
        return r.make(Intent.DONE, effort=effort if effort is not None else score_in(r.norm, set()))
    if re.fullmatch(r"\d{1,2}/10", r.norm):
        return r.make(Intent.DONE, effort=score_in(r.norm, set()))
    return None


# -- views and small talk ---------------------------------------------------------------
def _help(r: Reading) -> Parsed | None:
    if r.any("help", "menu", "commands", "options", "what can you do", "what can i say",
             "how does this work", "what do you understand") or r.raw.strip() == "?":
        return r.make(Intent.HELP)
    return None


def _words(intent: Intent, words: set[str], *phrases: str) -> Rule:
    """A rule: any of the words, or any of the phrases, means `intent`."""
    def rule(r: Reading) -> Parsed | None:
        return r.make(intent) if r.ws & words or r.any(*phrases) else None
    return rule


# The rules, in the order they are tried: the first one that matches decides.
RULES: tuple[Rule, ...] = (
    _nudge,
    _delete,
    _phrases(Intent.RESET, "reset", "start over", "restart", "start again", "from scratch",
             "redo onboarding", "begin again"),
    _phrases(Intent.EXPORT, "export", "download", "calendar", "ics", "csv", "spreadsheet"),
    _phrases(Intent.RESUME, "unpause", "resume", "turn reminders back on", "reminders back on",
             "reminders on", "start reminders", "start the reminders", "i am back",
             "im back", "continue reminders", "restart reminders"),
    _pause,
    _trek_date,
    _timezone,
    _phrases(Intent.SET_REMINDER, "remind", "reminder", "reminders", "notify", "message me",
             "ping me", "text me", "wake me", "morning message"),
    _days,
    _sick,
    _pain,
    _should_run,
    _skip,
    _run_asked,
    _done,
    _phrases(Intent.PROGRESS, "how am i doing", "how im doing", "how i am doing", "how far",
             "am i ready", "progress", "streak", "stats", "chart", "readiness", "ready",
             "on track", "how many sessions", "statistics", "summary"),
    _phrases(Intent.PLAN, "plan", "this week", "next week", "week", "schedule", "upcoming",
             "coming days", "rest of the week", "weekly", "tomorrow"),
    _phrases(Intent.TODAY, "today", "tonight", "what now", "what should i do", "what do i do",
             "session", "workout", "todays", "whats on", "training", "should i"),
    _help,
    _words(Intent.THANKS, {"thanks", "thank", "thx", "ty", "cheers", "ta"}),
    _words(Intent.GREETING, {"hi", "hello", "hey", "hiya", "morning", "yo", "howdy"},
           "good morning", "good evening"),
)


def classify(text: str) -> Parsed:
    """The meaning of one message."""
    raw = text.strip()
    norm = normalise(raw)
    words = tokens_of(raw)
    reading = Reading.of(raw, norm, words)
    if raw.startswith("/"):
        word = raw[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(raw) > 1 else ""
        cmd = BY_WORD.get(word)
        if cmd is not None and not cmd.details:
            return reading.make(cmd.intent)
        # "/done 30 min": the word is read as part of the sentence
        reading.joined = (word + " " + reading.joined).strip()
        reading.ws.add(word)
    if not words:
        return reading.make(Intent.HELP if "?" in raw else Intent.UNKNOWN)
    for rule in RULES:
        parsed = rule(reading)
        if parsed is not None:
            return parsed
    return reading.make(Intent.UNKNOWN)
