"""How an `Outgoing` is laid out on WhatsApp: the Cloud API messages it becomes. Pure.

Layout: up to 3 choices as reply buttons (titles up to 20 characters), up to 10 as a list
(rows up to 24 characters, the full label in the row's description when cut), more as
numbered text; text is split at 4096 characters (1024 for the body of a button or list
message); `*bold*` is WhatsApp's own markup. Outside the 24-hour window a prompt becomes
the approved template: its one body variable gets the prompt as one line, and its
quick-reply buttons carry fixed choice ids (`TEMPLATE_BUTTONS`) as payloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import split
from bot.render import whatsapp as render
from conversations import whatsapp_texts as texts
from conversations.messages import Attachment, Choice, Outgoing

TEXT_LIMIT = 4096
INTERACTIVE_BODY_LIMIT = 1024
CAPTION_LIMIT = 1024
BUTTON_TITLE_LIMIT = 20
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
MAX_BUTTONS = 3
MAX_ROWS = 10
TEMPLATE_PARAM_LIMIT = 900  # one-line text for the template's body variable


@dataclass(frozen=True)
class TextPart:
    body: str


@dataclass(frozen=True)
class ButtonsPart:
    body: str
    buttons: tuple[tuple[str, str], ...]  # (id, title)


@dataclass(frozen=True)
class ListPart:
    body: str
    button: str
    rows: tuple[tuple[str, str, str | None], ...]  # (id, title, description)


@dataclass(frozen=True)
class MediaPart:
    attachment: Attachment
    caption: str | None


Part = TextPart | ButtonsPart | ListPart | MediaPart


def shorten(label: str, limit: int) -> str:
    """A label cut to `limit` characters at a word boundary, with an ellipsis when cut."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if " " in cut and cut.rfind(" ") >= limit // 2:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:-") + "…"


def _unique_titles(labels: list[str], limit: int) -> list[str]:
    """Shortened titles, kept distinct (WhatsApp refuses two equal button titles)."""
    titles: list[str] = []
    for n, label in enumerate(labels, 1):
        title = shorten(label, limit)
        if title in titles:
            suffix = f" {n}"
            title = shorten(label, limit - len(suffix)) + suffix
        titles.append(title)
    return titles


def split_text(text: str, limit: int) -> list[str]:
    """WhatsApp's cut of a long text (`bot.split`, measured in characters)."""
    return split.split_text(text, limit)


def _with_last_limit(text: str, last_limit: int) -> list[str]:
    """Split at TEXT_LIMIT, with the final piece short enough for an interactive body."""
    pieces = split_text(text, TEXT_LIMIT) or [""]
    if len(pieces[-1]) > last_limit:
        tail = split_text(pieces.pop(), last_limit)
        pieces.extend(tail)
    return pieces


def numbered(text: str, choices: tuple[Choice, ...]) -> str:
    lines = [f"{n}. {c.label}" for n, c in enumerate(choices, 1)]
    return f"{text}\n\n{texts.PICK_A_NUMBER}\n" + "\n".join(lines)


def layout(message: Outgoing) -> list[Part]:
    """The Cloud API messages one `Outgoing` becomes, in order."""
    text = render(message.text).strip()
    parts: list[Part] = []
    choices = message.choices
    if message.attachment is not None:
        if not choices and text and len(text) <= CAPTION_LIMIT:
            return [MediaPart(message.attachment, text)]
        parts.append(MediaPart(message.attachment, None))
        if not text and not choices:
            return parts
    if not choices or len(choices) > MAX_ROWS:
        if choices:
            text = numbered(text, choices)
        parts.extend(TextPart(p) for p in split_text(text, TEXT_LIMIT) if p)
        return parts
    pieces = _with_last_limit(text or texts.CHOOSE_PROMPT, INTERACTIVE_BODY_LIMIT)
    parts.extend(TextPart(p) for p in pieces[:-1])
    body = pieces[-1]
    if len(choices) <= MAX_BUTTONS:
        titles = _unique_titles([c.label for c in choices], BUTTON_TITLE_LIMIT)
        parts.append(ButtonsPart(body, tuple((c.id, t) for c, t in zip(choices, titles,
                                                                         strict=True))))
        return parts
    titles = _unique_titles([c.label for c in choices], ROW_TITLE_LIMIT)
    rows = tuple(
        (c.id, t, None if t == " ".join(c.label.split())
         else shorten(c.label, ROW_DESCRIPTION_LIMIT))
        for c, t in zip(choices, titles, strict=True)
    )
    parts.append(ListPart(body, shorten(texts.LIST_BUTTON, BUTTON_TITLE_LIMIT), rows))
    return parts


def template_line(messages: list[Outgoing]) -> str:
    """The template's body variable: the prompt as one line (no newlines allowed there)."""
    joined = " ".join(render(m.text) for m in messages if m.text)
    line = " ".join(joined.split()) or texts.TEMPLATE_FALLBACK
    return shorten(line, TEMPLATE_PARAM_LIMIT)


def template_components(line: str) -> list[dict[str, Any]]:
    """The `components` of a template send: the body text, then each quick-reply button's
    payload (the choice id it stands for, as listed in `TEMPLATE_BUTTONS`)."""
    components: list[dict[str, Any]] = [
        {"type": "body", "parameters": [{"type": "text", "text": line}]}
    ]
    for index, (choice_id, _label) in enumerate(texts.TEMPLATE_BUTTONS):
        components.append({
            "type": "button", "sub_type": "quick_reply", "index": str(index),
            "parameters": [{"type": "payload", "payload": choice_id}],
        })
    return components
