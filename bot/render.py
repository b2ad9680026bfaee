"""Render the `*bold*` markup of reply texts in each channel's own format."""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*([^*\n]+)\*")


def plain(text: str) -> str:
    """Terminal: drop the markup."""
    return _BOLD.sub(r"\1", text)


def telegram_html(text: str) -> str:
    """Telegram HTML: escape everything, then bold."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


def whatsapp(text: str) -> str:
    """WhatsApp uses the same `*bold*` markup."""
    return text
