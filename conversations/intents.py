"""What a free-text message after onboarding means: an `Intent` plus the details in it.

Pure and fast: text in, `Parsed` out. The message is read once into a `Reading` (through
the shared parsers in `conversations/parsing/`: normalised, typo-corrected, minutes and
scores), then `RULES` are tried in order; the first that matches decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from conversations.commands import BY_WORD
from conversations.intent import Intent, Parsed
from conversations.parsing.amounts import amounts, without_amounts
from conversations.parsing.health import area_of, feeling, has_pain, pain_signs, sickness
from conversations.parsing.numbers import minutes_in, score_in
from conversations.parsing.remindertime import parse_snooze
from conversations.parsing.reports import mentions_pain, pain_score, recovered
from conversations.parsing.sentence import has, normalise, tokens_of, weekdays_in
from conversations.parsing.yesno import confirmation
from conversations.talk_rules import (
    coach_note,
    done_instead,
    drop_days,
    grade_change,
    open_question,
    profile_extras,
    skip_on,
    swap_day,
)

__all__ = ["Intent", "Parsed", "classify", "confirmation", "normalise", "pain_signs"]


_NUDGE = re.compile(
    r"\bnudges?\b|\bnudging\b|\bevening (?:check ?ins?|reminders?|messages?|texts?|pings?)\b"
    r"|\b(?:remind|ping|text|message|nudge) me (?:in the|every|each|at) (?:evening|night)\b"
    r"|\b(?:remind|ping|text|message) me (?:tonight|in the evenings?)\b"
)
_OFF = re.compile(
    r"\b(?:no|off|stop|disable|dont|do not|without|cancel|quit|never|no more|turn off|"
    r"switch off|unsubscribe|remove|not)\b"
)


_DONE_WORDS = {
    "done", "did", "finished", "finish", "completed", "complete", "trained", "ran",
    "walked", "hiked", "cycled", "biked", "climbed", "nailed", "smashed", "crushed",
}
_SKIP_WORDS = {"skip", "skipped", "skipping", "missed", "miss", "cannot", "cant", "couldnt",
               "didnt", "wont", "bailed"}
_RUN_WORDS = {"run", "running", "jog", "jogging", "runs"}
_QUESTION_WORDS = {"should", "can", "could", "may", "ok", "okay", "allowed", "safe", "fine",
                   "good", "idea", "go"}


_PAIN_SCORE_WORDS = {"pain", "hurts", "sore", "level"}
_EFFORT_WORDS = {"effort", "rpe", "exertion", "intensity"}
_SKIP_PHRASES = (
    "not today", "no time", "too tired", "no energy", "didnt do", "didnt make",
    "didnt manage", "didnt go", "had to rest", "taking a rest", "day off", "rest day today",
    "not going to", "not gonna", "wasnt able",
)


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
            "minutes": minutes_in(normalise(without_amounts(raw.lower()))),  # not "700 m up"
            "feeling": feeling(words),
            "day": "yesterday" if "yesterday" in ws or "last night" in joined else "today",
            "text": norm,
        }
        return cls(raw, norm, words, joined, ws, slots)

    def make(self, intent: Intent, **extra: object) -> Parsed:
        return Parsed(intent, **{**self.slots, **extra})

    @cached_property
    def sickness(self) -> str | None:
        return sickness(self.words, self.ws, self.joined)

    @cached_property
    def pain(self) -> bool:
        return has_pain(self.ws, self.joined)

    @cached_property
    def done(self) -> bool:
        return (bool(self.ws & _DONE_WORDS) or has(self.joined, "did it", "all done", "did my")
                or self.words[:1] == ["log"])  # "log thursday: strength 25 min"

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
    if "snooze" in r.ws and parse_snooze(r.raw) is not None:  # a span: not a pause
        return r.make(Intent.SET_REMINDER)
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


def _recovered(r: Reading) -> Parsed | None:
    """"fever is gone, feeling fine now": the illness cleared (not a new sickness)."""
    if recovered(r.raw) and (r.sickness is not None or not r.pain) and "?" not in r.raw:
        if r.sickness is not None or r.any("feeling fine", "feel fine", "feeling better",
                                           "all better", "recovered", "back to normal"):
            return r.make(Intent.SICK, sickness="cleared")
    return None


def _pain(r: Reading) -> Parsed | None:
    # "knee 7/10 after the stairs", "pain 7", "... aching coming downhill, maybe a 4"
    score = pain_score(r.raw)
    if score is None:
        score = score_in(r.norm, _PAIN_SCORE_WORDS)
    if not (r.pain or mentions_pain(r.raw) or (score is not None and "pain" in r.ws)):
        return None
    area = area_of(r.words)
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
    if not skip or r.any("cant wait"):
        return None
    return r.make(Intent.SKIP, on_day=skip_on(r))  # "skip saturday": that day's session


def _run_asked(r: Reading) -> Parsed | None:
    return r.make(Intent.SHOULD_RUN) if r.run and not r.done and "?" in r.raw else None


_FELT = ("that was", "it was", "felt", "was really", "was so", "today was", "yesterday was",
         "session was", "workout was", "run was", "walk was", "found it", "found that")


def _feedback(r: Reading) -> Parsed | None:
    """"that was really hard": how the session logged felt, not a new log."""
    if (r.slots["feeling"] is not None and not r.done and not r.question
            and r.slots["minutes"] is None and len(r.words) <= 7 and r.any(*_FELT)):
        return r.make(Intent.DONE, effort=r.effort(), effort_only=True)
    return None


def _done(r: Reading) -> Parsed | None:
    short_duration = r.slots["minutes"] is not None and len(r.words) <= 5 and not r.question
    if r.done or "✅" in r.raw or short_duration:
        effort = r.effort()
        return r.make(Intent.DONE, effort=effort if effort is not None else score_in(r.norm, set()))
    if amounts(r.raw).any and len(r.words) <= 8 and not r.question:  # "24 floors with 8 kg"
        return r.make(Intent.DONE, effort=r.effort())
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
    grade_change,
    _trek_date,
    _timezone,
    _phrases(Intent.SET_REMINDER, "remind", "reminder", "reminders", "notify", "message me",
             "ping me", "text me", "wake me", "morning message"),
    done_instead,
    swap_day,
    drop_days,
    _days,
    profile_extras,
    _recovered,
    _sick,
    _pain,
    _should_run,
    _skip,
    _run_asked,
    _feedback,
    _done,
    _phrases(Intent.TARGETS, "targets", "target", "trek ready", "trek-ready", "test day",
             "test days", "test results", "my results", "what should i aim for",
             "goals for the trek"),
    coach_note,
    _phrases(Intent.PROGRESS, "how am i doing", "how im doing", "how i am doing", "how far",
             "am i ready", "progress", "streak", "stats", "chart", "readiness", "ready",
             "on track", "how many sessions", "statistics", "summary"),
    _phrases(Intent.PLAN_ALL, "plan all", "all plan", "full plan", "whole plan", "entire plan",
             "all week until", "all week to", "all the week", "every week", "week by week",
             "whole road", "all of the plan", "to the trek", "until the trek", "till the trek",
             "overview"),
    _phrases(Intent.NEXT_WEEK, "next week", "following week", "week after this",
             "coming week"),
    _phrases(Intent.PLAN, "plan", "this week", "week", "schedule", "upcoming",
             "coming days", "rest of the week", "weekly", "tomorrow"),
    _phrases(Intent.TODAY, "today", "tonight", "what now", "what should i do", "what do i do",
             "session", "workout", "todays", "whats on", "training", "should i"),
    _help,
    _words(Intent.THANKS, {"thanks", "thank", "thx", "ty", "cheers", "ta"}),
    _words(Intent.GREETING, {"hi", "hello", "hey", "hiya", "morning", "yo", "howdy"},
           "good morning", "good evening"),
    open_question,
)


# classify is pure (the text alone decides) and a message is read two or three times on
# its way (the check-in, the optional questions, the daily handlers), and "done" or "today"
# come from many people: the latest texts are kept, bounded by entries (a Parsed holds the
# normalised text: MAX_TEXT characters at most, so ~8 MB in the worst case).
CLASSIFIED_KEPT = 2048


@lru_cache(maxsize=CLASSIFIED_KEPT)
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
