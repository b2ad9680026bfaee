"""Trek grade: easy / moderate / difficult, or "not sure" (which means moderate)."""

from __future__ import annotations

from conversations.parsing.words import clean, fuzzy, has_phrase, tokens

EASY = "easy"
MODERATE = "moderate"
DIFFICULT = "difficult"

_UNSURE = (
    "not sure", "unsure", "dont know", "don't know", "do not know", "no idea", "idk",
    "dunno", "no clue", "maybe", "not certain", "unknown", "who knows", "?", "no sure",
)
_WORDS = {
    "easy": EASY, "simple": EASY, "beginner": EASY, "gentle": EASY, "light": EASY,
    "leisurely": EASY, "short": EASY,
    "moderate": MODERATE, "medium": MODERATE, "intermediate": MODERATE, "average": MODERATE,
    "normal": MODERATE, "mid": MODERATE, "middle": MODERATE, "ok": MODERATE,
    "difficult": DIFFICULT, "hard": DIFFICULT, "tough": DIFFICULT, "challenging": DIFFICULT,
    "strenuous": DIFFICULT, "demanding": DIFFICULT, "advanced": DIFFICULT,
    "extreme": DIFFICULT, "brutal": DIFFICULT, "steep": DIFFICULT,
}
_ORDER = (EASY, MODERATE, DIFFICULT)
_NOT_HARD = ("not hard", "not too hard", "not that hard", "not difficult", "not too difficult",
             "not very hard", "not tough")


def parse_grade(text: str) -> tuple[str, bool] | None:
    """(grade, unsure): unsure answers give ("moderate", True); None when not understood.

    When two grades are named ("moderate to difficult") the harder one counts: training
    for a bit more than needed is the safer mistake.
    """
    t = clean(text)
    if not t and "?" in text:
        return MODERATE, True
    if not t:
        return None
    if has_phrase(t, _UNSURE) or t.endswith("?"):
        return MODERATE, True
    if has_phrase(t, _NOT_HARD):
        return MODERATE, False
    found = set()
    for word in tokens(t):
        hit = fuzzy(word, _WORDS)
        if hit is not None:
            found.add(_WORDS[hit])
    if not found:
        return None
    return max(found, key=_ORDER.index), False
