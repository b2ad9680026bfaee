"""What a free-text message after onboarding means: an `Intent` plus the details in it.

Pure and fast: text in, `Parsed` out. Tolerant of case, word order, punctuation, emoji
such as ✅, and one-letter typos in the key words (rapidfuzz's edit distance, with a short
list of everyday words that must never be "corrected" into a key word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import OSA

from conversations.parsing.amounts import amounts, without_amounts


class Intent(StrEnum):
    DONE = "done"
    SKIP = "skip"
    SHOULD_RUN = "should_run"
    TODAY = "today"
    PLAN = "plan"
    PROGRESS = "progress"
    PAIN = "pain"
    SICK = "sick"
    HELP = "help"
    SET_REMINDER = "set_reminder"
    SET_TIMEZONE = "set_timezone"
    SET_DAYS = "set_days"
    SET_TREK_DATE = "set_trek_date"
    SET_NUDGE = "set_nudge"
    PAUSE = "pause"
    RESUME = "resume"
    RESET = "reset"
    DELETE = "delete"
    EXPORT = "export"
    GREETING = "greeting"
    THANKS = "thanks"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Parsed:
    """An intent and its slots; slots not mentioned stay None."""

    intent: Intent
    minutes: int | None = None
    effort: int | None = None
    feeling: str | None = None  # "easy" | "ok" | "hard"
    pain: int | None = None
    pain_area: str | None = None
    # "above_neck" (a head cold) | "unwell" (unspecified) | "fever" | "chest" | "stomach"
    sickness: str | None = None
    day: str = "today"  # "today" | "yesterday"
    weekdays: tuple[int, ...] | None = None
    mentions_pain: bool = False  # a "done" that also reports pain
    # pain warning signs (each means: see a physiotherapist or doctor)
    swelling: bool = False
    worse_during: bool = False  # worse while moving
    lasting: bool = False  # still there the next day or longer
    switch: bool | None = None  # a setting turned on (True) or off (False)
    text: str = ""  # the normalised text, for the settings parsers


# Commands and their plain-word twins.
COMMAND_INTENTS: dict[str, Intent] = {
    "done": Intent.DONE,
    "skip": Intent.SKIP,
    "today": Intent.TODAY,
    "plan": Intent.PLAN,
    "week": Intent.PLAN,
    "progress": Intent.PROGRESS,
    "stats": Intent.PROGRESS,
    "help": Intent.HELP,
    "menu": Intent.HELP,
    "start": Intent.HELP,
    "pause": Intent.PAUSE,
    "resume": Intent.RESUME,
    "reset": Intent.RESET,
    "restart": Intent.RESET,
    "delete": Intent.DELETE,
    "export": Intent.EXPORT,
    "run": Intent.SHOULD_RUN,
    "reminder": Intent.SET_REMINDER,
    "timezone": Intent.SET_TIMEZONE,
    "days": Intent.SET_DAYS,
    "trek": Intent.SET_TREK_DATE,
}

# Key words that typos are corrected towards (4+ letters; shorter ones must match exactly).
VOCABULARY = frozenset(
    """
    done finished finish completed complete did it trained workout session
    skip skipped skipping missed miss cannot today tonight yesterday tomorrow
    should could allowed okay running jogging jog run ran
    plan week schedule upcoming progress doing streak stats chart readiness ready
    pain hurts hurting hurt sore aching aches ache injured injury sprained twisted
    knee knees ankle ankles back shin shins calf calves foot feet hamstring achilles
    shoulder neck thigh quad quads groin
    sick cold fever flu temperature cough coughing throat stomach vomiting diarrhea
    covid chest nauseous nausea chills
    help menu commands options
    remind reminder reminders timezone zone training days
    trek moved postponed changed date
    pause paused resume unpause mute snooze
    reset restart start over delete erase forget export download calendar
    easy hard tough brutal exhausting difficult moderate fine
    minutes minute hours hour mins min walk walked hike hiked
    monday tuesday wednesday thursday friday saturday sunday
    hello thanks thank
    """.split()
)

# Everyday words one typo away from a key word: never corrected.
PROTECTED = frozenset(
    """
    dont gone none bone tone dine dune note nope done's
    sure more some sort store score fore wore shore
    rest test best late like lick stick hunt
    rain main gain paid pair pan
    weak seek peek meek
    could hold bold gold told colder
    never fewer ever lever
    ship skin skim slip
    plane play clan plain plant
    sock kick sack suck
    back bake bank
    true knew know need keep deep
    well will wall
    what that then than when
    here there where were
    them they this thus
    time tome
    have hate gave save
    easter
    feel feet fell
    data mine mind find kind
    """.split()
)

_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}

_EMOJI = {
    "✅": " done ", "✔": " done ", "☑": " done ", "👍": " done ", "💪": " done ",
    "🏃": " run ", "🤒": " fever ", "🤧": " cold ", "🤕": " pain ", "❌": " skip ",
    "👋": " hello ", "🙏": " thanks ", "📅": " plan ", "📈": " progress ", "📊": " progress ",
}

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


def _correct(token: str) -> str:
    """A typo'd key word back to the key word; anything else unchanged."""
    if len(token) < 4 or token in VOCABULARY or token in PROTECTED or not token.isalpha():
        return token
    limit = 1 if len(token) <= 6 else 2
    best, best_d = token, limit + 1
    for word in VOCABULARY:
        if abs(len(word) - len(token)) > limit or len(word) < 4:
            continue
        d = OSA.distance(token, word, score_cutoff=limit)
        if d < best_d:
            best, best_d = word, d
    return best


def normalise(text: str) -> str:
    """Lower case, emoji to words, contractions joined, punctuation to spaces."""
    t = text.lower()
    for emoji, word in _EMOJI.items():
        t = t.replace(emoji, word)
    t = t.replace("’", "'").replace("`", "'")
    t = re.sub(r"\b(can|couldn|didn|won|don|isn|wasn|shouldn)'?t\b",
               lambda m: m.group(1) + "t", t)
    t = t.replace("can not", "cannot")
    t = re.sub(r"(\d)\s*/\s*(10)\b", r"\1/\2", t)
    t = re.sub(r"[^\w/:.+\-' ]+", " ", t)
    t = t.replace("'", "")
    t = re.sub(r"(?<!\d)\.(?!\d)", " ", t)
    return " ".join(t.split())


def tokens_of(text: str) -> list[str]:
    """Normalised, typo-corrected words."""
    return [_correct(w) for w in re.split(r"[\s/:\-+]+", normalise(text)) if w]


_HOURS = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hour|hours)\b(?:\s*(\d{1,2})\s*(?:m|min|mins)?\b)?"
)
_MINS = re.compile(r"(\d{1,3})\s*(?:m|min|mins|minute|minutes|mn)\b")
_FRACTION = re.compile(r"\b(\d{1,2})(?:/10\b|\s*out of\s*10\b)")
_NOT_A_SCORE = r"(?!\s*(?:m|min|mins|minutes|h|km)\b)"


def _minutes(text: str) -> int | None:
    m = _HOURS.search(text)
    if m:
        hours = float(m.group(1).replace(",", "."))
        extra = int(m.group(2)) if m.group(2) else 0
        return round(hours * 60) + extra
    m = _MINS.search(text)
    if m:
        return int(m.group(1))
    if re.search(r"\bhalf (?:an )?hour\b", text):
        return 30
    if re.search(r"\ban hour\b", text):
        return 60
    return None


def _score(text: str, words: set[str], fraction: bool = True) -> int | None:
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


def _weekdays(words: list[str]) -> tuple[int, ...] | None:
    days = sorted({_WEEKDAYS[w] for w in words if w in _WEEKDAYS})
    return tuple(days) or None


def _has(text: str, *phrases: str) -> bool:
    return any(re.search(rf"(?<![\w]){re.escape(p)}(?![\w])", text) for p in phrases)


def classify(text: str) -> Parsed:
    """The meaning of one message."""
    raw = text.strip()
    norm = normalise(raw)
    words = tokens_of(raw)
    joined = " ".join(words)
    ws = set(words)
    slots = {
        "minutes": _minutes(normalise(without_amounts(raw.lower()))),  # never "700 m up"
        "feeling": _feeling(words),
        "day": "yesterday" if "yesterday" in ws or "last night" in joined else "today",
        "text": norm,
    }

    def make(intent: Intent, **extra: object) -> Parsed:
        return Parsed(intent, **{**slots, **extra})  # type: ignore[arg-type]

    if raw.startswith("/"):
        word = raw[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(raw) > 1 else ""
        if word in COMMAND_INTENTS and word not in {"done", "skip", "run", "reminder",
                                                    "timezone", "days", "trek"}:
            return make(COMMAND_INTENTS[word])
        norm_cmd = word
        joined = (norm_cmd + " " + joined).strip()
        ws.add(norm_cmd)
    if not words:
        return make(Intent.HELP if "?" in raw else Intent.UNKNOWN)

    pain_score = _score(norm, {"pain", "hurts", "sore", "level"})
    effort = _score(norm, {"effort", "rpe", "exertion", "intensity"}, fraction=False)
    area = next((_AREAS[w] for w in words if w in _AREAS), None)
    sick = [_SICK_WORDS[w] for w in words if w in _SICK_WORDS]
    if _has(joined, "sore throat", "runny nose", "blocked nose", "stuffy nose"):
        sick.append("above_neck")
    has_pain = bool(ws & _PAIN_WORDS) or _has(joined, "hurts", "knee pain", "back pain")
    if "sore" in ws and _has(joined, "sore throat"):
        has_pain = bool(ws & (_PAIN_WORDS - {"sore"}))
    has_sick = bool(sick) or bool(ws & _SICK_GENERAL)
    if "cold" in ws and not (ws & {"have", "got", "caught", "a", "with", "im", "i", "bit",
                                    "head", "getting", "nasty", "bad", "coming"}):
        # "it was cold outside" is weather, not a cold
        if not (ws & _SICK_GENERAL) and sick == ["above_neck"]:
            has_sick = False
    sickness = max(sick, key=lambda s: _SICK_RANK[s]) if sick else ("fever" if "flu" in ws
                                                                     else None)
    if has_sick and sickness is None:
        sickness = "unwell"
    done_words = bool(ws & _DONE_WORDS) or _has(joined, "did it", "all done", "did my")
    skip_words = bool(ws & _SKIP_WORDS) or _has(
        joined, "not today", "no time", "too tired", "no energy", "didnt do", "didnt make",
        "didnt manage", "didnt go", "had to rest", "taking a rest", "day off", "rest day today",
        "not going to", "not gonna", "wasnt able",
    )
    question = "?" in raw or bool(ws & _QUESTION_WORDS) or _has(joined, "is it", "am i able")

    # -- account and settings -------------------------------------------------------
    if _NUDGE.search(joined) or _NUDGE.search(norm):
        return make(Intent.SET_NUDGE, switch=not _OFF.search(norm))
    if _has(joined, "delete", "erase", "forget me", "remove my data", "wipe") and not (
        ws & {"session", "log", "workout"}
    ):
        return make(Intent.DELETE)
    if _has(joined, "reset", "start over", "restart", "start again", "from scratch",
            "redo onboarding", "begin again"):
        return make(Intent.RESET)
    if _has(joined, "export", "download", "calendar", "ics", "csv", "spreadsheet"):
        return make(Intent.EXPORT)
    if _has(joined, "unpause", "resume", "turn reminders back on", "reminders back on",
            "reminders on", "start reminders", "start the reminders", "i am back",
            "im back", "continue reminders", "restart reminders"):
        return make(Intent.RESUME)
    if _has(joined, "pause", "paused", "mute", "snooze", "stop reminders", "stop reminding",
            "stop the reminders", "reminders off", "no more reminders", "stop messaging",
            "stop messages", "take a break", "pause the coach") or norm in {"stop", "stop please",
                                                                           "please stop"}:
        return make(Intent.PAUSE)
    if "trek" in ws and (
        _has(joined, "moved", "postponed", "changed", "date", "now on", "is on", "rescheduled",
             "delayed", "brought forward", "moved to", "new date", "shifted", "pushed")
        or re.search(r"\d", norm)
    ):
        return make(Intent.SET_TREK_DATE)
    if _has(joined, "timezone", "time zone") or re.search(
        r"\b(?:i moved to|i live in|i am in|im in|i'm in|now in|moving to|travelling to|"
        r"traveling to|i'm now in|im now in|i am now in)\b", norm
    ):
        if not has_pain and not has_sick:
            return make(Intent.SET_TIMEZONE)
    if _has(joined, "remind", "reminder", "reminders", "notify", "message me", "ping me",
            "text me", "wake me", "morning message"):
        return make(Intent.SET_REMINDER)
    weekdays = _weekdays(words)
    if weekdays and (
        _has(joined, "training days", "train on", "days", "change my days", "switch to",
             "instead of", "only on", "can train", "work out on", "training on")
        or len(weekdays) >= 3
    ):
        return make(Intent.SET_DAYS, weekdays=weekdays)

    # -- health ---------------------------------------------------------------------
    if has_sick and not (done_words and not question):
        return make(Intent.SICK, sickness=sickness)
    if has_pain or (pain_score is not None and "pain" in ws):
        signs = pain_signs(norm)
        if done_words and not question:
            return make(Intent.DONE, effort=effort, pain=pain_score, pain_area=area,
                        mentions_pain=True, **signs)
        return make(Intent.PAIN, pain=pain_score, pain_area=area, **signs)

    # -- runs, logging --------------------------------------------------------------
    run_word = bool(ws & _RUN_WORDS)
    if run_word and question and not (done_words and "?" not in raw):
        return make(Intent.SHOULD_RUN)
    if skip_words and not _has(joined, "cant wait"):
        return make(Intent.SKIP)
    if run_word and not done_words and "?" in raw:
        return make(Intent.SHOULD_RUN)
    if done_words or "✅" in raw:
        return make(Intent.DONE, effort=effort if effort is not None else _score(norm, set()))
    if slots["minutes"] is not None and len(words) <= 5 and not question:
        return make(Intent.DONE, effort=effort if effort is not None else _score(norm, set()))
    if amounts(raw).any and len(words) <= 8 and not question:  # "24 floors with 8 kg"
        return make(Intent.DONE, effort=effort)
    if re.fullmatch(r"\d{1,2}/10", norm):
        return make(Intent.DONE, effort=_score(norm, set()))

    # -- views ----------------------------------------------------------------------
    if _has(joined, "how am i doing", "how im doing", "how i am doing", "how far", "am i ready",
            "progress", "streak", "stats", "chart", "readiness", "ready", "on track",
            "how many sessions", "statistics", "summary"):
        return make(Intent.PROGRESS)
    if _has(joined, "plan", "this week", "next week", "week", "schedule", "upcoming",
            "coming days", "rest of the week", "weekly", "tomorrow"):
        return make(Intent.PLAN)
    if _has(joined, "today", "tonight", "what now", "what should i do", "what do i do",
            "session", "workout", "todays", "whats on", "training", "should i"):
        return make(Intent.TODAY)
    if _has(joined, "help", "menu", "commands", "options", "what can you do", "what can i say",
            "how does this work", "what do you understand") or raw.strip() == "?":
        return make(Intent.HELP)
    if ws & {"thanks", "thank", "thx", "ty", "cheers", "ta"}:
        return make(Intent.THANKS)
    if ws & {"hi", "hello", "hey", "hiya", "morning", "yo", "howdy"} or _has(
        joined, "good morning", "good evening"
    ):
        return make(Intent.GREETING)
    return make(Intent.UNKNOWN)


_YES = {"yes", "y", "yeah", "yep", "yup", "sure", "confirm", "ok", "okay", "delete", "reset",
        "do it", "go ahead", "please", "si", "ja", "oui", "absolutely", "correct"}
_NO = {"no", "n", "nope", "nah", "cancel", "stop", "keep", "dont", "abort", "back", "never",
       "not"}


def confirmation(text: str) -> bool | None:
    """Yes -> True, no -> False, anything else -> None."""
    words = tokens_of(text)
    ws = set(words)
    if not ws:
        return None
    if ws & _NO or _has(" ".join(words), "no way", "changed my mind"):
        return False
    if ws & _YES or _has(" ".join(words), "do it", "go ahead"):
        return True
    return None
