"""Text normalisation and typo-tolerant word lookup shared by the parsers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz.distance import OSA

_NOT_WORD = re.compile(r"[^a-z0-9:+\-./' ]+")
_SPACES = re.compile(r"\s+")
MAX_PARSE = 300  # nothing we parse needs more characters than this


def clean(text: str) -> str:
    """Lower case, accents folded, control characters and odd symbols turned into spaces."""
    text = unicodedata.normalize("NFKD", text[:MAX_PARSE])
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("’", "'")
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """Words of a cleaned text, with edge punctuation removed."""
    out = []
    for raw in clean(text).split(" "):
        word = raw.strip(".'-/:")
        if word:
            out.append(word)
    return out


def allowed_typos(word: str, target: str) -> int:
    """How many edits a typo may have: none for short words, one for 4+, two for 8+."""
    shortest = min(len(word), len(target))
    longest = max(len(word), len(target))
    if longest < 4 or shortest < 3:
        return 0
    return 2 if shortest >= 8 else 1


def fuzzy(word: str, vocabulary: Iterable[str]) -> str | None:
    """The vocabulary word closest to `word` within its typo allowance (exact match first)."""
    best: tuple[int, str] | None = None
    for target in vocabulary:
        if word == target:
            return target
        if not word.isalpha():
            continue
        limit = allowed_typos(word, target)
        if limit == 0:
            if len(word) >= 3 and sorted(word) == sorted(target):  # swapped letters: "yse"
                best = best or (1, target)
            continue
        dist = OSA.distance(word, target, score_cutoff=limit)
        if dist <= limit and (best is None or dist < best[0]):
            best = (dist, target)
    return None if best is None else best[1]


def has_phrase(text: str, phrases: Iterable[str]) -> bool:
    """Whether a cleaned text contains one of the phrases as whole words."""
    padded = f" {text} "
    return any(f" {p} " in padded for p in phrases)
