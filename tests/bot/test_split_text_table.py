"""Both channels' `split_text` on a table of tricky inputs.

Both channels cut with the one `bot.split.split_text`, each with its own measure (Telegram
the rendered HTML, WhatsApp characters), so the table checks what both promise: every piece
fits, nothing is lost or reordered, short text stays whole, blank text sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot import telegram_send, whatsapp_layout
from bot.render import telegram_html

LIMIT = 40

Splitter = Callable[[str, int], list[str]]
SPLITTERS: dict[str, tuple[Splitter, Callable[[str], int]]] = {
    "telegram": (telegram_send.split_text, lambda p: len(telegram_html(p))),
    "whatsapp": (whatsapp_layout.split_text, len),
}

TRICKY = {
    "exactly at the limit": "a" * LIMIT,
    "one over the limit": "a" * (LIMIT + 1),
    "one huge word": "x" * (LIMIT * 7 + 3),
    "huge word between short ones": "go " + "y" * (LIMIT * 3) + " now",
    "many short lines": "\n".join(f"line {n}" for n in range(60)),
    "paragraphs": "\n\n".join(["Warm up for ten minutes, then walk uphill."] * 5),
    "emoji": "🏔️🥾⛺ " * 30,
    "emoji without spaces": "🏔️🥾⛺" * 30,
    "accents and cjk": "Über den Gipfel — 山を登る。" * 8,
    "bold markup": "*Today:* easy run, *30 minutes* at chatting pace. " * 6,
    "escaping grows": "a < b & c > d " * 20,
    "surrounding whitespace": "\n\n   " + "word " * 20 + "   \n\n",
}


def _words(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("channel", SPLITTERS)
@pytest.mark.parametrize("name", TRICKY)
def test_every_piece_fits_and_nothing_is_lost(channel: str, name: str) -> None:
    split, measure = SPLITTERS[channel]
    text = TRICKY[name]
    pieces = split(text, LIMIT)
    assert pieces and all(p and measure(p) <= LIMIT for p in pieces)
    assert all(p == p.strip() for p in pieces)
    assert _words("".join(pieces)) == _words(text)


@pytest.mark.parametrize("channel", SPLITTERS)
@pytest.mark.parametrize("text", ["short", "a" * LIMIT, "two\n\nparagraphs", "  padded  "])
def test_text_that_fits_stays_one_piece(channel: str, text: str) -> None:
    split, _measure = SPLITTERS[channel]
    assert split(text, LIMIT) == [text.strip()]


def test_many_short_lines_are_cut_at_line_ends() -> None:
    text = TRICKY["many short lines"]
    lines = set(text.split("\n"))
    for channel, (split, _measure) in SPLITTERS.items():
        for piece in split(text, LIMIT):
            assert set(piece.split("\n")) <= lines, channel


@pytest.mark.parametrize("channel", SPLITTERS)
def test_blank_text_is_no_piece(channel: str) -> None:
    split, _measure = SPLITTERS[channel]
    for text in ("", "   \n "):
        assert split(text, LIMIT) == []
