"""Yes / sometimes / no answers ("Do you already run regularly?") and yes / no confirmations."""

from __future__ import annotations

from conversations.parsing.sentence import has, tokens_of
from conversations.parsing.words import clean, fuzzy, has_phrase, tokens

REGULAR = "regular"
SOMETIMES = "sometimes"
NO = "no"

_SOMETIMES_PHRASES = (
    "sometimes", "occasionally", "now and then", "now and again", "on and off", "off and on",
    "once in a while", "a bit", "a little", "kind of", "kinda", "sort of", "sorta", "some",
    "not regularly", "not regular", "not often", "rarely", "used to", "irregularly",
    "from time to time", "every now", "once a week", "when i can", "so so", "meh",
)
_NO_PHRASES = (
    "no", "nope", "nah", "never", "not really", "not at all", "don't", "dont", "do not",
    "hate", "n", "not a runner", "i can't", "cannot", "can't run", "not much",
)
_YES_PHRASES = (
    "yes", "y", "yeah", "yep", "yup", "ya", "yea", "sure", "of course", "absolutely",
    "definitely", "regularly", "i do", "i run", "love it", "love running", "enjoy",
    "every day", "daily", "ok", "okay", "certainly", "totally", "indeed", "a lot",
    "runner",
)
_VOCAB = {
    "yes": REGULAR, "yeah": REGULAR, "regularly": REGULAR, "absolutely": REGULAR,
    "definitely": REGULAR, "sometimes": SOMETIMES, "occasionally": SOMETIMES,
    "never": NO, "nope": NO,
}


def parse_running(text: str) -> str | None:
    """'regular', 'sometimes' or 'no'; None when the answer says none of these."""
    t = clean(text)
    if not t:
        return None
    if has_phrase(t, _SOMETIMES_PHRASES):
        return SOMETIMES
    if has_phrase(t, _NO_PHRASES):
        return NO
    if has_phrase(t, _YES_PHRASES):
        return REGULAR
    for word in tokens(t):
        hit = fuzzy(word, _VOCAB)
        if hit is not None:
            return _VOCAB[hit]
    return None


# A confirmation ("Delete everything? yes / no").
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
    if ws & _NO or has(" ".join(words), "no way", "changed my mind"):
        return False
    if ws & _YES or has(" ".join(words), "do it", "go ahead"):
        return True
    return None
