"""Intent rules for the optional profile, day swaps, grade changes and coach notes.

Each rule reads the normalised text (not the typo-corrected words: the corrector would
turn "bike" into "hike" and "food" into "foot") and returns a `Parsed` or None; the
rule table in `conversations/intents.py` decides where they are tried.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from conversations.intent import Intent, Parsed
from conversations.parsing.grade import parse_grade

if TYPE_CHECKING:
    from conversations.intents import Reading

LB_TO_KG = 0.4536
WEIGHT_KG = (35.0, 250.0)  # a body weight outside this is taken for a typo

_WEIGHT = re.compile(
    r"\b(?:i weigh|i m weighing|my weight is|my body weight is|body weight|weight is|"
    r"weight|weigh|weighing)\s*(?:is|of|about|around|now|=|:)?\s*(?:about |around )?"
    r"(\d{2,3}(?:[.,]\d)?)\s*(kg|kgs|kilo|kilos|kilograms|lb|lbs|pounds)?\b")
_WEIGHT_AFTER = re.compile(
    r"\b(?:i am|im|i m)\s+(\d{2,3}(?:[.,]\d)?)\s*(kg|kgs|kilos|kilograms|lb|lbs|pounds)\b")

_NO = r"(?:no|not any|dont have (?:a |any )?|do not have (?:a |any )?|without (?:a |any )?|" \
      r"havent got (?:a |any )?|dont own (?:a |any )?|not have (?:a |any )?|lack (?:a )?|" \
      r"there are no |there is no |theres no |there arent any |no access to (?:a |any )?|" \
      r"cant get to (?:a |any )?|sold my |gave up my |cancelled my |quit my )"
_YES = r"(?:i have (?:a |some )?|ive got (?:a |some )?|i got (?:a |some )?|i own (?:a )?|" \
       r"there are (?:some )?|there is (?:a )?|theres (?:a )?|found (?:a |some )?|" \
       r"bought (?:a )?|joined (?:a )?|access to (?:a |some )?|i can use (?:a )?|" \
       r"i live near (?:a |some )?|near (?:a |some )?|" \
       r"my building has |we have (?:a |some )?)"
_STAIRS_WORD = r"(?:stairs|staircases?|steps|stairwells?|hills?|slopes?)"
_STAIRS_NO = re.compile(rf"\b{_NO}\s*(?:\w+ )?{_STAIRS_WORD}\b|\bflat (?:here|where i live|"
                        rf"area|town|city)\b|\bno {_STAIRS_WORD} (?:near|nearby|around)")
_STAIRS_YES = re.compile(
    rf"\b{_YES}(?:\w+ )?{_STAIRS_WORD}\b(?: (?:near|nearby|close|around|at|in))"
    rf"|\b{_STAIRS_WORD} (?:near me|nearby|close by|around here|near my)")
_BIKE_WORD = r"(?:bike|bicycle|exercise bike|spin bike|indoor bike|turbo trainer)"
_GYM_WORD = r"(?:gym|gym membership|fitness centre|fitness center)"
_BIKE_NO = re.compile(rf"\b{_NO}\s*(?:\w+ )?{_BIKE_WORD}\b|\bmy {_BIKE_WORD} (?:is|got) "
                      rf"(?:broken|stolen)\b")
_BIKE_YES = re.compile(rf"\b{_YES}(?:\w+ )?{_BIKE_WORD}\b")
_GYM_NO = re.compile(rf"\b{_NO}\s*(?:\w+ )?{_GYM_WORD}\b")
_GYM_YES = re.compile(rf"\b{_YES}(?:\w+ )?{_GYM_WORD}\b|\bi go to (?:a |the )?gym\b")


def _weight(norm: str) -> float | None:
    m = _WEIGHT.search(norm) or _WEIGHT_AFTER.search(norm)
    if m is None:
        return None
    value = float(m.group(1).replace(",", "."))
    if (m.group(2) or "").startswith(("lb", "pound")):
        value = round(value * LB_TO_KG, 1)
    return value if WEIGHT_KG[0] <= value <= WEIGHT_KG[1] else None


def _said(yes: re.Pattern[str], no: re.Pattern[str], norm: str) -> bool | None:
    if no.search(norm):
        return False
    if yes.search(norm):
        return True
    return None


def profile_extras(r: Reading) -> Parsed | None:
    """"I weigh 70 kg", "there are no stairs near me", "I don't have a bike", "I have a
    gym" (not a question: "do I need a gym?" is a coach question)."""
    norm = r.norm
    if norm.startswith(("do i need", "should i", "can i", "is it")):
        return None
    found = {
        "weight_kg": _weight(norm),
        "stairs": _said(_STAIRS_YES, _STAIRS_NO, norm),
        "bike": _said(_BIKE_YES, _BIKE_NO, norm),
        "gym": _said(_GYM_YES, _GYM_NO, norm),
    }
    if all(v is None for v in found.values()):
        return None
    return r.make(Intent.SET_PROFILE, **found)


# -- the trek's grade -------------------------------------------------------------------
_GRADE_TALK = re.compile(
    r"\b(?:trek|hike|route|trail|grade)\b.*\b(?:is|s|will be|looks|turned out|rated|graded|"
    r"to|now|actually|more like)\b|\b(?:change|set|switch|make) (?:the |my )?grade\b")


def grade_change(r: Reading) -> Parsed | None:
    """"my trek is actually difficult", "change grade to easy"."""
    if not _GRADE_TALK.search(r.norm) or re.search(r"\d", r.norm) or "?" in r.raw:
        return None
    if r.any("hurt", "hurts", "pain", "felt", "was hard", "session", "walk was", "today"):
        return None
    found = parse_grade(r.norm)
    if found is None or found[1]:
        return None
    return r.make(Intent.SET_GRADE, grade=found[0])


# -- one-off swaps --------------------------------------------------------------------
DAY_WORDS = {
    "monday": "mon", "mon": "mon", "mondays": "mon", "tuesday": "tue", "tue": "tue",
    "tues": "tue", "tuesdays": "tue", "wednesday": "wed", "wed": "wed", "weds": "wed",
    "wednesdays": "wed", "thursday": "thu", "thu": "thu", "thur": "thu", "thurs": "thu",
    "thursdays": "thu", "friday": "fri", "fri": "fri", "fridays": "fri", "saturday": "sat",
    "sat": "sat", "saturdays": "sat", "sunday": "sun", "sun": "sun", "sundays": "sun",
    "today": "today", "todays": "today", "tonight": "today", "tomorrow": "tomorrow",
    "tomorrows": "tomorrow", "tmrw": "tomorrow",
}
_SWAP_VERBS = {"swap", "move", "switch", "shift", "push", "reschedule", "change", "postpone",
               "bump", "trade", "exchange"}
_PERMANENT = ("every", "always", "anymore", "any more", "from now on", "no longer",
              "training days", "each week", "weekly")


def _day_refs(norm: str) -> list[str]:
    return [DAY_WORDS[w] for w in re.findall(r"[a-z]+", norm) if w in DAY_WORDS]


# "move my long walk to Sunday": the session named instead of its day
KIND_WORDS = {"walk": "walk", "hike": "walk", "run": "run", "jog": "run", "strength": "strength",
              "stairs": "stairs", "steps": "stairs", "ride": "ride", "cycling": "ride",
              "bike": "ride", "swim": "ride"}


def _swap_refs(r: Reading, words: set[str]) -> list[str]:
    refs = _day_refs(r.norm)
    if refs == ["tomorrow"] and not words & KIND_WORDS.keys():  # "move it to tomorrow?"
        return ["today", "tomorrow"]
    if len(refs) == 1:
        kind = next((KIND_WORDS[w] for w in re.findall(r"[a-z]+", r.norm)
                     if w in KIND_WORDS), None)
        if kind is not None:
            return [f"kind:{kind}", refs[0]]
    return refs


def swap_day(r: Reading) -> Parsed | None:
    """"can I swap Saturday's walk to Sunday?", "move today to tomorrow", "can I do
    Saturday's walk on Sunday instead?", "move my long walk to Sunday", "can I train on
    Sunday instead of Saturday?"."""
    words = set(re.findall(r"[a-z]+", r.norm))
    instead = "instead" in words or "rather" in words
    verb = bool(words & _SWAP_VERBS) or (instead and bool(words & {"do", "train", "go"}))
    if not verb or "trek" in words or r.any(*_PERMANENT) or r.pain or r.sickness:
        return None  # pain and sickness come first: their advice decides the day
    refs = _swap_refs(r, words)
    if len(refs) != 2 or refs[0] == refs[1]:
        return None
    a, b = refs
    m = re.search(r"instead of (?:\w+ )?(\w+)", r.norm)  # "do sunday instead of saturday"
    if m and DAY_WORDS.get(m.group(1)) == b:
        a, b = b, a
    return r.make(Intent.SWAP_DAY, swap=(a, b))


_DID_WORDS = {"did", "walked", "hiked", "ran", "jogged", "trained", "cycled", "biked",
              "rode", "climbed", "went", "done", "finished", "completed", "swam"}


def done_instead(r: Reading) -> Parsed | None:
    """"I walked on Sunday instead of Saturday", "did Saturday's walk on Sunday": the
    session of one day done on another (a swap that already happened, and a done), not a
    change of training days."""
    words = set(re.findall(r"[a-z]+", r.norm))
    if not words & _DID_WORDS or "?" in r.raw or words & {"can", "could", "should", "may"} \
            or "trek" in words or r.any(*_PERMANENT) or r.pain or r.sickness:
        return None
    refs = [d for d in _day_refs(r.norm) if d != "tomorrow"]
    if len(refs) != 2 or refs[0] == refs[1]:
        return None
    m = re.search(r"instead of (\w+)(?: (\w+))?", r.norm)  # "of saturday", "of my saturday"
    said = next((DAY_WORDS[w] for w in (m.groups() if m else ()) if w in DAY_WORDS), None)
    if said in refs:  # "on sunday instead of saturday"
        planned = said
    elif _possessive(r.norm, refs[0]):  # "did saturdays walk on sunday"
        planned = refs[0]
    else:
        return None
    other = refs[1] if refs[0] == planned else refs[0]
    return r.make(Intent.SWAP_DAY, swap=(planned, other), swap_done=True)


def _possessive(norm: str, ref: str) -> bool:
    """A weekday for ``ref`` said as a possessive ("saturday's walk": "saturdays")."""
    return any(len(w) > 6 and w.endswith("s") and DAY_WORDS.get(w[:-1]) == ref
               for w in re.findall(r"[a-z]+", norm))


def skip_on(r: Reading) -> str | None:
    """The weekday a skip names ("skip saturday", "I'll miss Friday's run"): its day word;
    None when no weekday (or more than one) is named."""
    refs = {d for d in _day_refs(r.norm) if d not in ("today", "tomorrow")}
    return refs.pop() if len(refs) == 1 else None


_DROP_WORDS = ("cant", "cannot", "can no longer", "no longer", "not anymore", "wont be able",
               "not available", "unavailable", "busy", "cant do", "dont train", "no more")


def drop_days(r: Reading) -> Parsed | None:
    """"I can't train on Wednesdays anymore": those weekdays leave the training days."""
    norm = r.norm
    plural = any(w.endswith("days") and w in DAY_WORDS for w in norm.split())
    lasting = plural or r.any("anymore", "any more", "no longer", "from now on", "ever again")
    if not lasting or not r.any(*_DROP_WORDS):
        return None
    refs = [d for d in _day_refs(norm) if d not in ("today", "tomorrow")]
    if not refs:
        return None
    order = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return r.make(Intent.SET_DAYS, weekdays=tuple(sorted({order.index(d) for d in refs})),
                  switch=False)


# -- coach notes ----------------------------------------------------------------------
# topic -> key words (any one, after a small typo allowance) and phrases
TOPICS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "food": (frozenset({"eat", "eating", "food", "breakfast", "snack", "snacks", "meal",
                        "carbs", "nutrition", "fuel", "fueling", "fuelling"}), ()),
    "water": (frozenset({"water", "hydrate", "hydration", "litres", "liters", "thirsty",
                         "electrolytes", "dehydrated"}),
              ("how much to drink", "how much should i drink", "how much do i drink")),
    "packing": (frozenset({"packing", "pack list", "kit list", "gear", "checklist"}),
                ("what to pack", "what should i pack", "what do i pack", "what to bring",
                 "what should i bring", "what do i need to bring", "what to take",
                 "what should i take", "in my backpack", "in my pack")),
    "boots": (frozenset({"boots", "boot", "shoes", "footwear"}), ("break in",)),
    "blisters": (frozenset({"blister", "blisters", "hotspot", "hotspots", "chafing"}), ()),
    "altitude": (frozenset({"altitude", "elevation sickness", "ams", "acclimatise",
                            "acclimatize", "acclimatisation", "acclimatization", "thin air",
                            "mountain sickness"}), ()),
    "tired": (frozenset({"tired", "exhausted", "knackered", "drained", "fatigued", "sleepy",
                         "worn out", "shattered"}), ("low on energy", "no sleep",
                                                     "slept badly", "bad sleep")),
}
_QUESTION_START = ("what", "how", "why", "when", "which", "where", "who", "is", "are", "do",
                   "does", "should", "can", "could", "any", "tips", "tip", "advice", "help me")
FUZZ_CUTOFF = 86  # a keyword typo ("blistrs", "altitute") still counts
FUZZY_KEYS = {k: topic for topic, (ks, _) in TOPICS.items() for k in ks
              if len(k) >= 6 and " " not in k}  # long single words: typos allowed


def _topic(norm: str) -> str | None:
    words = norm.split()
    for topic, (keys, phrases) in TOPICS.items():
        if any(p in norm for p in phrases) or any(
                (" " in k and k in norm) or k in words for k in keys):
            return topic
    long_words = [w for w in words if len(w) >= 6]
    for w in long_words:
        hit = process.extractOne(w, FUZZY_KEYS.keys(), scorer=fuzz.ratio,
                                 score_cutoff=FUZZ_CUTOFF)
        if hit is not None:
            return FUZZY_KEYS[hit[0]]
    return None


def is_question(r: Reading) -> bool:
    """A question, by its mark or its first word."""
    return "?" in r.raw or r.norm.startswith(_QUESTION_START)


def coach_note(r: Reading) -> Parsed | None:
    """A question (or "I'm feeling tired today") with a coach note; None otherwise."""
    topic = _topic(r.norm)
    if topic is None:
        return None
    if topic == "tired" or is_question(r) or r.any("i have a blister", "got a blister",
                                                   "getting blisters", "new boots"):
        return r.make(Intent.COACH_NOTE, topic=topic)
    return None


def open_question(r: Reading) -> Parsed | None:
    """A question nothing else answered: an honest "I can't answer that" with the list of
    what the coach can do (tried last, after every real command)."""
    if is_question(r) and len(r.words) >= 3:
        return r.make(Intent.COACH_NOTE, topic=None)
    return None
