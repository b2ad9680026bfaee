"""Sending `Outgoing` over the Telegram Bot API: splitting, keyboards, pacing and retries.

Limits: Telegram allows about 30 messages a second overall (PTB's `AIORateLimiter`, set up
in `bot/telegram.py`) and about one a second per chat; `ChatPacer` keeps each chat to that
rate with a small burst, so a three-part reply is not held back for seconds.
`RetryAfter` waits as long as Telegram asks; network errors retry with a bounded backoff;
when those retries run out the dispatcher takes over (`RetryLater`, or the error itself).
`Forbidden` becomes `UserBlocked`. A read timeout (the request was written, the answer did
not come) is never retried here: it becomes `MaybeDelivered`, and the dispatcher sends the
message once more at most.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import warnings
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot import metrics, split
from bot.channels import MaybeDelivered, Refused, RetryLater, UserBlocked, UserUnreachable
from bot.pacing import KeyPacer
from bot.render import plain, telegram_html
from conversations.messages import Attachment, Choice, Outgoing

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes
_LONG_ID_PREFIX = "#"
_UNREACHABLE = ("chat not found", "user not found", "peer_id_invalid")


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


@dataclass(frozen=True)
class Limits:
    """Rate limits and retry policy; tests switch the waiting off."""

    overall_per_second: float = 30.0  # 0 switches the overall limiter off
    chat_per_second: float = 1.0  # 0 switches per-chat pacing off
    chat_burst: int = 3
    max_attempts: int = 5  # per API call, for RetryAfter and network errors
    backoff_seconds: float = 1.0  # doubled after each network error
    max_backoff_seconds: float = 30.0
    max_retry_after_seconds: float = 120.0
    sleep: Callable[[float], Awaitable[None]] = field(default=_sleep, compare=False)
    monotonic: Callable[[], float] = field(default=time.monotonic, compare=False)


class ChatPacer(KeyPacer):
    """Each chat to `chat_per_second` with bursts of `chat_burst` (see `bot.pacing`)."""

    def __init__(self, limits: Limits) -> None:
        rate = limits.chat_per_second
        super().__init__(1.0 / rate if rate > 0 else 0.0, limits.chat_burst,
                         sleep=limits.sleep, monotonic=limits.monotonic)


def rendered_length(text: str) -> int:
    """How long `*bold*` text is once rendered as Telegram HTML."""
    return len(telegram_html(text))


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Telegram's cut of a long text (`bot.split`, measured as rendered HTML)."""
    return split.split_text(text, limit, rendered_length)


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns that the type will become timedelta
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Sender:
    """Delivers `Outgoing` messages to one chat at a time, in order."""

    def __init__(self, bot: Bot, limits: Limits) -> None:
        self._bot = bot
        self._limits = limits
        self._pacer = ChatPacer(limits)
        self._long_ids: OrderedDict[str, str] = OrderedDict()

    # choices ------------------------------------------------------------------
    def callback_data(self, choice: Choice) -> str:
        """The choice id, or a short stand-in when it exceeds Telegram's 64 bytes."""
        if len(choice.id.encode()) <= CALLBACK_DATA_LIMIT and not choice.id.startswith(
            _LONG_ID_PREFIX
        ):
            return choice.id
        key = _LONG_ID_PREFIX + hashlib.sha256(choice.id.encode()).hexdigest()[:32]
        self._long_ids[key] = choice.id
        self._long_ids.move_to_end(key)
        while len(self._long_ids) > 5_000:
            self._long_ids.popitem(last=False)
        return key

    def choice_id(self, data: str) -> str | None:
        """Back from callback data to the choice id; None for a stand-in we no longer know."""
        if data.startswith(_LONG_ID_PREFIX):
            return self._long_ids.get(data)
        return data

    def keyboard(self, choices: tuple[Choice, ...]) -> InlineKeyboardMarkup | None:
        if not choices:
            return None
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(c.label, callback_data=self.callback_data(c))] for c in choices]
        )

    # sending ------------------------------------------------------------------
    async def deliver(self, chat_id: int, messages: list[Outgoing]) -> None:
        for message in messages:
            await self._one(chat_id, message)

    async def _one(self, chat_id: int, message: Outgoing) -> None:
        markup = self.keyboard(message.choices)
        attachment = message.attachment
        if attachment is not None and len(telegram_html(message.text)) <= CAPTION_LIMIT:
            await self._attachment(chat_id, attachment, message.text, markup)
            return
        parts = split_text(message.text)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1 and attachment is None
            await self._text(chat_id, part, markup if last else None)
        if attachment is not None:
            await self._attachment(chat_id, attachment, "", markup)

    async def _text(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        try:
            await self.call(chat_id, lambda: self._bot.send_message(
                chat_id, telegram_html(text), parse_mode=ParseMode.HTML, reply_markup=markup))
        except Refused as exc:
            if "parse entities" not in str(exc).lower():
                raise
            log.warning("Telegram refused our HTML; sending plain text instead")
            await self.call(chat_id, lambda: self._bot.send_message(
                chat_id, plain(text), reply_markup=markup))

    async def _attachment(self, chat_id: int, attachment: Attachment, caption: str,
                          markup: InlineKeyboardMarkup | None) -> None:
        common: dict[str, Any] = {"reply_markup": markup}
        if caption.strip():
            common.update(caption=telegram_html(caption), parse_mode=ParseMode.HTML)

        def upload() -> InputFile:  # a fresh file object for every attempt
            return InputFile(attachment.data, filename=attachment.filename)

        if attachment.is_image:
            await self.call(chat_id, lambda: self._bot.send_photo(chat_id, upload(), **common))
        else:
            await self.call(chat_id, lambda: self._bot.send_document(chat_id, upload(), **common))

    async def call(self, chat_id: int, request: Callable[[], Awaitable[Any]]) -> Any:
        """One API call for a chat: paced, retried on RetryAfter and network errors."""
        limits = self._limits
        backoff = limits.backoff_seconds
        for attempt in range(1, limits.max_attempts + 1):
            await self._pacer.wait(chat_id)
            try:
                return await request()
            except Forbidden as exc:
                raise UserBlocked(str(exc)) from exc
            except BadRequest as exc:
                if any(s in str(exc).lower() for s in _UNREACHABLE):
                    raise UserUnreachable(str(exc)) from exc
                raise Refused(str(exc)) from exc
            except RetryAfter as exc:
                if attempt == limits.max_attempts:
                    raise RetryLater(str(exc), retry_after_seconds(exc)) from exc
                delay = min(retry_after_seconds(exc), limits.max_retry_after_seconds)
                metrics.RETRIED.labels("telegram", "rate_limited").inc()
                log.warning("Telegram asks us to wait %.1f s before sending again", delay)
            except NetworkError as exc:  # includes TimedOut
                if isinstance(exc, TimedOut) and isinstance(exc.__cause__, httpx.ReadTimeout):
                    # Written, never answered: it may have arrived. Not retried here.
                    metrics.RETRIED.labels("telegram", "timeout").inc()
                    raise MaybeDelivered(str(exc)) from exc
                if attempt == limits.max_attempts:
                    raise
                delay = backoff
                backoff = min(backoff * 2, limits.max_backoff_seconds)
                metrics.RETRIED.labels("telegram", "network").inc()
                log.warning("Telegram send failed (%s); retrying in %.1f s",
                            type(exc).__name__, delay)
            await limits.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")
