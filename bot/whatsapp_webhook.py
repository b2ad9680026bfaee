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

from bot.edge import clean_name, clean_text
from conversations.messages import Incoming, IncomingFile, Kind

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"

# Message types that carry no text we can read, by the Kind the engine answers kindly.
_KINDS = {
    "image": Kind.PHOTO,
    "sticker": Kind.STICKER,
    "audio": Kind.VOICE,
}


# Nothing to answer: a system notice (e.g. a changed number), a reaction to one of our
# messages, or a reply to a message we never sent.
_NOT_ANSWERED = frozenset({"system", "reaction", "ephemeral", "request_welcome"})


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


def _str(value: Any, limit: int) -> str | None:
    """A non-empty string of at most `limit` characters (an id), or None."""
    return value if isinstance(value, str) and 0 < len(value) <= limit else None


def _choice(typ: str, msg: dict[str, Any]) -> tuple[str, str] | None:
    """(choice id, label) of a button or list reply; None when the reply carries no id."""
    if typ == "interactive":
        inter = _obj(msg.get("interactive"))
        reply = _obj(inter.get("button_reply") or inter.get("list_reply"))
        choice_id, label = reply.get("id"), reply.get("title", "")
    else:  # a template's quick-reply button
        button = _obj(msg.get("button"))
        choice_id, label = button.get("payload") or button.get("text"), button.get("text", "")
    choice_id = clean_text(choice_id, 256)
    return (choice_id, clean_text(label) or "") if choice_id else None


def _incoming(msg: dict[str, Any], names: dict[str, str], received: datetime) -> Incoming | None:
    """One message as an `Incoming`; None for system messages, reactions and broken ones."""
    sender, typ = _str(msg.get("from"), 64), msg.get("type")
    message_id = msg.get("id")
    if sender is None or not isinstance(typ, str) or typ in _NOT_ANSWERED or (
            message_id is not None and _str(message_id, 128) is None):
        return None
    base: dict[str, Any] = {
        "channel": CHANNEL,
        "user_key": sender,
        "at": _at(msg.get("timestamp"), received),
        "message_id": message_id,
        "display_name": names.get(sender),
    }
    if typ == "text":
        body = clean_text(_obj(msg.get("text")).get("body"))
        return None if body is None else Incoming(**base, text=body)
    if typ in ("interactive", "button"):
        choice = _choice(typ, msg)
        if choice is None:
            return None
        return Incoming(**base, text=choice[1], choice_id=choice[0], kind=Kind.CHOICE)
    media = _obj(msg.get(typ))
    caption = clean_text(media.get("caption")) or ""
    kind = _KINDS.get(typ, Kind.OTHER)
    file = None
    if typ in ("document", "image") and isinstance(media.get("id"), str):
        kind = Kind.DOCUMENT if typ == "document" else Kind.PHOTO
        name = clean_name(media.get("filename")) if typ == "document" else "photo.jpg"
        file = IncomingFile(name or "document", str(media.get("mime_type") or "")[:128],
                            ref=media["id"][:256])  # the channel attaches the download
    return Incoming(**base, text=caption, kind=kind, file=file)


def _names(contacts: Any) -> dict[str, str]:
    """The profile names of the payload's contacts, by WhatsApp id."""
    names: dict[str, str] = {}
    for contact in _seq(contacts):
        wa_id, name = _obj(contact).get("wa_id"), _obj(_obj(contact).get("profile")).get("name")
        name = clean_name(name)
        if isinstance(wa_id, str) and name:
            names[wa_id] = name
    return names


def split(payload: Any) -> list[dict[str, Any]]:
    """A webhook body as one body per message (with its sender's contact), in payload
    order, for the inbox; statuses and other changes are left out."""
    if not isinstance(payload, dict):
        return []
    bodies: list[dict[str, Any]] = []
    for entry in _seq(payload.get("entry")):
        for change in _seq(_obj(entry).get("changes")):
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = _obj(change.get("value"))
            for msg in _seq(value.get("messages")):
                if not isinstance(msg, dict):
                    continue
                contacts = [c for c in _seq(value.get("contacts"))
                            if _obj(c).get("wa_id") == msg.get("from")]
                one = {"metadata": value.get("metadata"), "contacts": contacts,
                       "messages": [msg]}
                bodies.append({"object": payload.get("object"), "entry": [
                    {"id": _obj(entry).get("id"),
                     "changes": [{"field": "messages", "value": one}]}]})
    return bodies


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
