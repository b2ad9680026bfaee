"""The two message types every channel speaks: `Incoming` from a person, `Outgoing` to them.

Text in `Outgoing` uses one light markup: `*bold*`. Channels render it in their own
format (Telegram HTML, WhatsApp markup, plain terminal text).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    """What a person sent."""

    TEXT = "text"
    CHOICE = "choice"
    STICKER = "sticker"
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    OTHER = "other"


class FileTooLarge(Exception):
    """A file's download was refused: it is larger than the limit asked for."""


async def _not_fetchable(limit: int) -> bytes:
    raise OSError("this file has no download attached")


@dataclass(frozen=True)
class IncomingFile:
    """A document or photo a person sent. `fetch(limit)` downloads its bytes through the
    channel (raising FileTooLarge above `limit` bytes); it is only called once the engine
    knows the message is new. `ref` is the platform's handle for it (a file or media id)."""

    filename: str
    mime: str
    size: int | None = None  # bytes, when the platform says before the download
    fetch: Callable[[int], Awaitable[bytes]] = field(default=_not_fetchable, compare=False)
    ref: str = ""


@dataclass(frozen=True)
class Incoming:
    """One message from a person, whatever the platform."""

    channel: str
    user_key: str
    at: datetime
    text: str = ""
    choice_id: str | None = None
    message_id: str | None = None
    kind: Kind = Kind.TEXT
    display_name: str | None = None
    file: IncomingFile | None = None  # with kind DOCUMENT or PHOTO; `text` is the caption


@dataclass(frozen=True)
class Choice:
    """A quick answer offered with a message: a stable id and a label a person reads."""

    id: str
    label: str


@dataclass(frozen=True)
class Attachment:
    """An image or a document sent along with a message."""

    filename: str
    data: bytes
    mime: str
    is_image: bool = False


FORGET = "forget"
"""An `Outgoing.meta` key: once delivered, keep no copy of it (the answer to /delete)."""


@dataclass(frozen=True)
class Outgoing:
    """One message to a person."""

    text: str
    choices: tuple[Choice, ...] = ()
    attachment: Attachment | None = None
    meta: dict[str, str] = field(default_factory=dict, compare=False)


def reply(text: str, *choices: Choice) -> Outgoing:
    """A text reply with optional choices."""
    return Outgoing(text=text, choices=tuple(choices))
