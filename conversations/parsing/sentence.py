"""Free-text sentences: normalised (emoji to words, contractions joined) and typo-corrected.

The daily conversation's classifier reads messages through `normalise` and `tokens_of`;
typos in key words are corrected with rapidfuzz's edit distance, with a short list of
everyday words that must never be "corrected" into a key word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

# Key words that typos are corrected towards (4+ letters; shorter ones must match exactly).
VOCABULARY = frozenset(
    """
    done finished finish completed complete did it trained workout session
    skip skipped skipping missed miss cannot today tonight yesterday tomorrow
    should could allowed okay running jogging jog run ran
    plan week next schedule upcoming progress doing streak stats chart readiness ready
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
    text
    time tome
    have hate gave save
    easter
    feel feet fell felt
    data mine mind find kind
    """.split()
)

_EMOJI = {
    "✅": " done ", "✔": " done ", "☑": " done ", "👍": " done ", "💪": " done ",
    "🏃": " run ", "🤒": " fever ", "🤧": " cold ", "🤕": " pain ", "❌": " skip ",
    "👋": " hello ", "🙏": " thanks ", "📅": " plan ", "📈": " progress ", "📊": " progress ",
}

def correct(token: str) -> str:
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
    return [correct(w) for w in re.split(r"[\s/:\-+]+", normalise(text)) if w]



def has(text: str, *phrases: str) -> bool:
    """Whether `text` holds one of the phrases as whole words."""
    return bool(phrases) and _phrases(phrases).search(text) is not None


@lru_cache(maxsize=4096)  # the phrase lists are the classifier's own: a few hundred
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for any of `phrases` as whole words."""
    return re.compile("|".join(rf"(?<![\w]){re.escape(p)}(?![\w])" for p in phrases))



def weekdays_in(words: list[str]) -> tuple[int, ...] | None:
    """The weekdays named in a list of words (0 = Monday), in order; None for none."""
    days = sorted({_WEEKDAYS[w] for w in words if w in _WEEKDAYS})
    return tuple(days) or None



_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
