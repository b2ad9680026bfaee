"""WhatsApp webhooks: the signature check on the raw body and Cloud API payloads as `Incoming`.

Pure functions, no I/O: the channel (bot/whatsapp.py) calls them from its Starlette routes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from conversations.messages import Incoming, IncomingFile, Kind

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"

# Message types that carry no text we can read, by the Kind the engine answers kindly.
_KINDS = {
    "image": Kind.PHOTO,
    "sticker": Kind.STICKER,
    "audio": Kind.VOICE,
}


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """Whether `X-Hub-Signature-256` is `sha256=` + HMAC-SHA256(body, app secret)."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256="):].strip().lower())


def sign(secret: str, body: bytes) -> str:
    """The header value Meta would send for `body` (used by tests and tools)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Status:
    """A delivery status for a message we sent (sent, delivered, read, failed)."""

    message_id: str
    recipient: str
    status: str
    error_codes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Update:
    """What one webhook body holds: messages in order, and delivery statuses."""

    messages: tuple[Incoming, ...]
    statuses: tuple[Status, ...]


def _obj(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else (payload fields are untrusted)."""
    return value if isinstance(value, dict) else {}


def _seq(value: Any) -> list[Any]:
    """A JSON array, or an empty one for anything else."""
    return value if isinstance(value, list) else []


def _at(raw: Any, received: datetime) -> datetime:
    """When the person sent it: the payload timestamp, never later than receipt."""
    try:
        sent = datetime.fromtimestamp(int(raw), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return received
    return min(sent, received)


def _incoming(msg: dict[str, Any], names: dict[str, str], received: datetime) -> Incoming | None:
    sender = msg.get("from")
    if not isinstance(sender, str) or not sender:
        return None
    typ = msg.get("type")
    if typ == "system":  # e.g. "the customer changed their number": nothing to answer
        return None
    base: dict[str, Any] = {
        "channel": CHANNEL,
        "user_key": sender,
        "at": _at(msg.get("timestamp"), received),
        "message_id": msg.get("id") if isinstance(msg.get("id"), str) else None,
        "display_name": names.get(sender),
    }
    if typ == "text":
        return Incoming(**base, text=str(_obj(msg.get("text")).get("body", "")))
    if typ == "interactive":
        inter = _obj(msg.get("interactive"))
        reply = inter.get("button_reply") or inter.get("list_reply")
        if isinstance(reply, dict) and reply.get("id"):
            return Incoming(**base, text=str(reply.get("title", "")),
                            choice_id=str(reply["id"]), kind=Kind.CHOICE)
        return Incoming(**base, kind=Kind.OTHER)
    if typ == "button":  # a template's quick-reply button
        button = _obj(msg.get("button"))
        payload = button.get("payload") or button.get("text")
        if payload:
            return Incoming(**base, text=str(button.get("text", "")), choice_id=str(payload),
                            kind=Kind.CHOICE)
        return Incoming(**base, kind=Kind.OTHER)
    kind = _KINDS.get(str(typ), Kind.OTHER)
    media = _obj(msg.get(str(typ)))
    caption = media.get("caption", "")
    file = None
    if typ in ("document", "image") and isinstance(media.get("id"), str):
        kind = Kind.DOCUMENT if typ == "document" else Kind.PHOTO
        name = media.get("filename") if typ == "document" else "photo.jpg"
        file = IncomingFile(str(name or "document"), str(media.get("mime_type") or ""),
                            ref=media["id"])  # the channel attaches the download
    return Incoming(**base, text=str(caption or ""), kind=kind, file=file)


def _names(contacts: Any) -> dict[str, str]:
    """The profile names of the payload's contacts, by WhatsApp id."""
    names: dict[str, str] = {}
    for contact in _seq(contacts):
        wa_id, name = _obj(contact).get("wa_id"), _obj(_obj(contact).get("profile")).get("name")
        if isinstance(wa_id, str) and isinstance(name, str):
            names[wa_id] = name
    return names


def parse(payload: Any, received: datetime) -> Update:
    """A webhook body (already JSON-decoded) as messages and statuses, in payload order.

    Anything malformed is skipped (logged at debug), never raised: Meta would only redeliver.
    """
    messages: list[Incoming] = []
    statuses: list[Status] = []
    if not isinstance(payload, dict):
        return Update((), ())
    for entry in _seq(payload.get("entry")):
        for change in _seq(_obj(entry).get("changes")):
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = _obj(change.get("value"))
            names = _names(value.get("contacts"))
            for msg in _seq(value.get("messages")):
                incoming = _incoming(msg, names, received) if isinstance(msg, dict) else None
                if incoming is None:
                    log.debug("skipped a WhatsApp system or malformed message")
                    continue
                messages.append(incoming)
            for st in _seq(value.get("statuses")):
                if not isinstance(st, dict):
                    continue
                codes = tuple(int(e["code"]) for e in _seq(st.get("errors"))
                              if isinstance(e, dict) and str(e.get("code", "")).isdigit())
                statuses.append(Status(str(st.get("id", "")), str(st.get("recipient_id", "")),
                                       str(st.get("status", "")), codes))
    return Update(tuple(messages), tuple(statuses))
