"""Cut a long reply into pieces that fit a channel's message limit (both messengers use it).

Each channel says how it measures a piece: Telegram by its rendered HTML (escaping makes it
longer), WhatsApp by characters. Paragraphs stay whole where they fit, then lines, then
words; a word longer than the limit is cut where it must.
"""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], int]


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """`text` in stripped, non-empty pieces, each `measure`-ing at most `limit` (none if blank)."""
    text = text.strip()
    if not text:
        return []
    if measure(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        pieces = text.split(separator)
        if len(pieces) > 1:
            return _pack(pieces, separator, limit, measure)
    return _cut(text, limit, measure)


def _pack(pieces: list[str], separator: str, limit: int, measure: Measure) -> list[str]:
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = piece if not current else current + separator + piece
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if measure(piece) <= limit:
            current = piece
        else:
            parts.extend(split_text(piece, limit, measure))
            current = ""
    if current:
        parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _cut(word: str, limit: int, measure: Measure) -> list[str]:
    """One very long word, cut into the longest prefixes that fit."""
    parts: list[str] = []
    rest = word
    while rest:
        n = min(len(rest), limit)
        while n > 1 and measure(rest[:n]) > limit:
            n = max(1, min(n - 1, n * limit // measure(rest[:n])))
        parts.append(rest[:n])
        rest = rest[n:]
    return parts
