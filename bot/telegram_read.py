"""Telegram updates (JSON objects, trusted in nothing) as work for the channel: pure, no I/O.

`decode` turns a webhook body into an update object or refuses it (a 400); `read` turns an
update into a `Read` (a chat and an `Incoming` or a fixed notice) or an `Ignored`. Every field
is checked for its type; one of the wrong type counts as absent. Edits, channel posts,
service messages, group chatter and messages from bots are ignored by design.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.edge import BadJson, clean_name, clean_text, decode_json
from conversations import channel_texts
from conversations.messages import Incoming, IncomingFile, Kind

CHANNEL = "telegram"
MAX_ID = 2**53  # Telegram ids fit in 52 bits; a larger one is forged

SERVICE_FIELDS = frozenset({
    "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo",
    "delete_chat_photo", "group_chat_created", "supergroup_chat_created",
    "channel_chat_created", "message_auto_delete_timer_changed", "migrate_to_chat_id",
    "migrate_from_chat_id", "pinned_message", "invoice", "successful_payment",
    "refunded_payment", "users_shared", "chat_shared", "connected_website",
    "write_access_allowed", "passport_data", "proximity_alert_triggered", "boost_added",
    "chat_background_set", "forum_topic_created", "forum_topic_edited", "forum_topic_closed",
    "forum_topic_reopened", "general_forum_topic_hidden", "general_forum_topic_unhidden",
    "giveaway_created", "giveaway", "giveaway_winners", "giveaway_completed",
    "video_chat_scheduled", "video_chat_started", "video_chat_ended",
    "video_chat_participants_invited", "web_app_data", "gift", "unique_gift",
    "paid_message_price_changed", "checklist_tasks_done", "checklist_tasks_added",
    "direct_message_price_changed", "chat_owner_left", "chat_owner_changed",
})
_VOICE = ("voice", "audio", "video_note")
_OTHER = ("document", "video", "animation", "location", "venue", "contact", "poll", "dice",
          "game", "story", "checklist", "paid_media")


class BadRequest(Exception):
    """A webhook body that is not a Telegram update (answered 400)."""


@dataclass(frozen=True)
class Read:
    """What an update asks of us: the chat, and a message for the engine or a fixed notice."""

    chat_id: int
    incoming: Incoming | None = None
    notice: str | None = None
    callback_id: str | None = None  # a button press: its spinner is answered first
    order: int = 0  # the update_id: one chat's burst is handled in this order


@dataclass(frozen=True)
class Ignored:
    """An update we do not answer, and why (for the debug log)."""

    reason: str
    callback_id: str | None = None  # a button press still gets its spinner stopped


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _id(value: Any) -> int | None:
    """An id as Telegram sends it: an int (never a bool) inside 53 bits."""
    if isinstance(value, int) and not isinstance(value, bool) and -MAX_ID < value < MAX_ID:
        return value
    return None


def decode(body: bytes) -> dict[str, Any]:
    """A webhook body as an update object; BadRequest for anything that is not one."""
    try:
        update = decode_json(body)
    except BadJson as exc:
        raise BadRequest(str(exc)) from None
    if not isinstance(update, dict):
        raise BadRequest("not a JSON object")
    update_id = _id(update.get("update_id"))
    if update_id is None or update_id < 0:
        raise BadRequest("no valid update_id")
    return update


def _kind(message: dict[str, Any]) -> Kind | None:
    if isinstance(message.get("text"), str):
        return Kind.TEXT
    if isinstance(message.get("sticker"), dict):
        return Kind.STICKER
    if isinstance(message.get("photo"), list) and message["photo"]:
        return Kind.PHOTO
    if isinstance(message.get("document"), dict):
        return Kind.DOCUMENT
    if any(isinstance(message.get(k), dict) for k in _VOICE):
        return Kind.VOICE
    if any(isinstance(message.get(k), dict) for k in _OTHER):
        return Kind.OTHER
    return None


def read(update: dict[str, Any], at: datetime,
         choice_id: Callable[[str], str | None] = lambda _data: None) -> Read | Ignored:
    """What to do with one update. `choice_id` maps callback data back to a choice id."""
    order = _id(update.get("update_id")) or 0
    if "callback_query" in update:
        return _callback(_obj(update["callback_query"]), order, at, choice_id)
    message = update.get("message")
    if not isinstance(message, dict):
        return Ignored("not a new message (an edit, a channel post, ...)")
    return _message(message, order, at)


def _message(message: dict[str, Any], order: int, at: datetime) -> Read | Ignored:
    chat, sender = _obj(message.get("chat")), _obj(message.get("from"))
    chat_id, sender_id = _id(chat.get("id")), _id(sender.get("id"))
    if chat_id is None or sender_id is None or sender.get("is_bot") is True:
        return Ignored("no person or chat")
    if message.get("edit_date"):
        return Ignored("an edit")
    if any(message.get(k) for k in SERVICE_FIELDS & message.keys()):  # PTB writes False
        return Ignored("a service message")
    kind = _kind(message)
    if chat.get("type") != "private":
        # Group chats: a command gets one line pointing to the private chat; other group
        # chatter (and anything in channels) is ignored so the coach never floods a chat.
        if chat.get("type") in ("group", "supergroup") and kind is Kind.TEXT and str(
                message["text"]).startswith("/"):
            return Read(chat_id, notice=channel_texts.PRIVATE_ONLY, order=order)
        return Ignored("not a private chat")
    if kind is None:
        return Ignored("nothing to answer")
    raw = message.get("text") if kind is Kind.TEXT else message.get("caption")
    return Read(chat_id, order=order, incoming=Incoming(
        channel=CHANNEL, user_key=str(chat_id), at=at, text=clean_text(raw) or "",
        message_id=str(order), kind=kind, display_name=clean_name(sender.get("first_name")),
        file=_file(message)))


def _file(message: dict[str, Any]) -> IncomingFile | None:
    """A document or the largest photo size; the channel attaches the download."""
    doc = message.get("document")
    if isinstance(doc, dict) and isinstance(doc.get("file_id"), str):
        return IncomingFile(clean_name(doc.get("file_name")) or "document",
                            str(doc.get("mime_type") or "")[:128], _size(doc.get("file_size")),
                            ref=doc["file_id"][:256])
    photos = message.get("photo")
    if isinstance(photos, list) and photos and isinstance(photos[-1], dict) \
            and isinstance(photos[-1].get("file_id"), str):
        return IncomingFile("photo.jpg", "image/jpeg", _size(photos[-1].get("file_size")),
                            ref=photos[-1]["file_id"][:256])
    return None


def _size(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _label(message: dict[str, Any], data: str) -> str:
    """The text of the button pressed, from the keyboard under the message; else the data."""
    rows = _obj(message.get("reply_markup")).get("inline_keyboard")
    for row in rows if isinstance(rows, list) else ():
        for button in row if isinstance(row, list) else ():
            button = _obj(button)
            if button.get("callback_data") == data and isinstance(button.get("text"), str):
                return button["text"]
    return data


def _callback(query: dict[str, Any], order: int, at: datetime,
              choice_id: Callable[[str], str | None]) -> Read | Ignored:
    query_id = query.get("id") if isinstance(query.get("id"), str) and query["id"] else None
    sender = _obj(query.get("from"))
    message = _obj(query.get("message"))
    chat = _obj(message.get("chat"))
    # A press under a message we can no longer see (or sent before we knew the chat) comes
    # without the message: the person's own id is their private chat.
    chat_id = _id(chat.get("id")) if chat else _id(sender.get("id"))
    if query_id is None or chat_id is None or _id(sender.get("id")) is None:
        return Ignored("a button press without a person", query_id)
    if chat and chat.get("type") != "private":
        return Ignored("a button press outside a private chat", query_id)
    data = clean_text(query.get("data"), 256) or ""
    label = clean_text(_label(message, data)) or ""
    typed = Incoming(channel=CHANNEL, user_key=str(chat_id), at=at, text=label,
                     message_id=str(order), kind=Kind.TEXT,
                     display_name=clean_name(sender.get("first_name")))
    known = choice_id(data) if data else None
    if known is None:  # a stand-in id from before a restart, or data we never sent: the label
        return Read(chat_id, typed, callback_id=query_id, order=order)
    return Read(chat_id, Incoming(**{**typed.__dict__, "choice_id": known, "kind": Kind.CHOICE}),
                callback_id=query_id, order=order)
