"""The Telegram channel: python-telegram-bot updates in, `Incoming` to the engine, replies out.

Long polling by default; with a webhook URL the shared web app receives updates on
`/webhooks/telegram` (secret header checked before the body is read). Sending, limits and
retries live in `bot/telegram_send.py`.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import BotCommand, Message, Update
from telegram.constants import ChatType
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.channels import Handle, StartupError, UserBlocked, UserUnreachable, mark_user
from bot.settings import Settings
from bot.telegram_send import Limits, Sender
from bot.web import read_body
from conversations import channel_texts, texts
from conversations.commands import MENU
from conversations.engine import KeyedLocks
from conversations.messages import FileTooLarge, Incoming, IncomingFile, Kind, Outgoing
from storage import Store, UserStatus

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
MAX_WEBHOOK_BODY = 1_000_000


@dataclass(frozen=True)
class Read:
    """What an update asks of us: the chat, and a message for the engine or a fixed notice."""

    chat_id: int
    incoming: Incoming | None = None
    notice: str | None = None


def webhook_target(url: str) -> str:
    """TELEGRAM_WEBHOOK_URL is the server's public URL; the path is added unless present."""
    url = url.rstrip("/")
    return url if url.endswith(WEBHOOK_PATH) else url + WEBHOOK_PATH


def _kind_of(message: Message) -> Kind | None:
    if message.text is not None:
        return Kind.TEXT
    if message.sticker is not None:
        return Kind.STICKER
    if message.photo:
        return Kind.PHOTO
    if message.document is not None:
        return Kind.DOCUMENT
    if message.voice is not None or message.audio is not None or message.video_note is not None:
        return Kind.VOICE
    if message.effective_attachment is not None:  # documents, locations, videos, polls, ...
        return Kind.OTHER
    return None  # service messages (pins, chat changes): nothing to answer


class TelegramChannel:
    """Serves users on Telegram through a PTB `Application` (no PTB persistence)."""

    name = "telegram"

    def __init__(self, token: str, handle: Handle, store: Store, clock: Callable[[], datetime],
                 *, base_url: str | None = None, webhook_url: str | None = None,
                 webhook_secret: str | None = None, limits: Limits | None = None,
                 poll_timeout: float = 10.0) -> None:
        if webhook_url and not webhook_secret:
            raise ValueError("a Telegram webhook needs a secret token")
        self._token = token
        self._handle = handle
        self._store = store
        self._clock = clock
        self._base_url = base_url.rstrip("/") if base_url else None
        self._webhook_url = webhook_url
        self._secret = webhook_secret or ""
        self._limits = limits or Limits()
        self._poll_timeout = poll_timeout
        self._chats = KeyedLocks()  # one chat's updates and sends run one after another
        self._app: Application | None = None
        self._sender: Sender | None = None

    @classmethod
    def from_settings(cls, settings: Settings, handle: Handle, store: Store,
                      clock: Callable[[], datetime]) -> TelegramChannel:
        assert settings.telegram_token
        return cls(settings.telegram_token, handle, store, clock,
                   base_url=settings.telegram_base_url,
                   webhook_url=settings.telegram_webhook_url,
                   webhook_secret=settings.telegram_webhook_secret)

    # lifecycle ----------------------------------------------------------------
    async def start(self) -> None:
        # httpx logs every request URL at INFO, and Bot API URLs hold the token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder().token(self._token).concurrent_updates(True))
        if self._base_url:
            builder = builder.base_url(f"{self._base_url}/bot").base_file_url(
                f"{self._base_url}/file/bot")
        if self._limits.overall_per_second > 0:
            builder = builder.rate_limiter(AIORateLimiter(
                overall_max_rate=self._limits.overall_per_second, overall_time_period=1,
                max_retries=0))  # retries happen in Sender.call
        if self._webhook_url:
            builder = builder.updater(None)
        app = builder.build()
        app.add_handler(TypeHandler(Update, self._on_update))
        app.add_error_handler(self._on_error)
        try:
            await app.initialize()  # getMe
        except InvalidToken:
            raise StartupError("Telegram rejected TELEGRAM_BOT_TOKEN (check it with BotFather)"
                             ) from None
        except TelegramError as exc:  # unreachable server, timeout, unexpected answer
            where = (f"at {self._base_url} (TELEGRAM_BASE_URL)" if self._base_url
                     else "(is the network up?)")
            raise StartupError(f"cannot reach the Telegram Bot API {where}: "
                             f"{type(exc).__name__}") from None
        self._app = app
        self._sender = Sender(app.bot, self._limits)
        await self._set_commands()
        if self._webhook_url:
            target = webhook_target(self._webhook_url)
            try:
                await app.bot.set_webhook(target, secret_token=self._secret,
                                          allowed_updates=ALLOWED_UPDATES)
            except TelegramError as exc:
                await app.shutdown()
                raise StartupError(f"Telegram refused the webhook {target}: {exc}") from None
        await app.start()
        if app.updater is not None:
            # start_polling deletes any webhook first, so polling and webhook never mix.
            await app.updater.start_polling(timeout=int(self._poll_timeout),
                                            allowed_updates=ALLOWED_UPDATES)
        log.info("Telegram channel started as @%s (%s)", app.bot.username,
                 "webhook" if self._webhook_url else "long polling")

    async def stop(self) -> None:
        app, self._app = self._app, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def _set_commands(self) -> None:
        assert self._app is not None
        commands = [BotCommand(c, d) for c, d in MENU]
        try:
            await self._app.bot.set_my_commands(commands)
        except TelegramError as exc:
            log.warning("Could not set the Telegram command menu (%s); carrying on",
                        type(exc).__name__)

    # webhook ------------------------------------------------------------------
    def routes(self) -> list[BaseRoute]:
        if not self._webhook_url:
            return []
        return [Route(WEBHOOK_PATH, self._webhook, methods=["POST"])]

    async def _webhook(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            return Response(status_code=403)  # before reading a byte of the body
        app = self._app
        if app is None:
            return Response(status_code=503)
        body = await read_body(request, MAX_WEBHOOK_BODY)
        if body is None:
            return Response(status_code=413)
        try:
            update = Update.de_json(json.loads(body), app.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("ignored a malformed Telegram webhook body")
            return Response(status_code=400)
        await app.update_queue.put(update)
        return Response(status_code=200)

    # updates in ---------------------------------------------------------------
    def read(self, update: Update) -> Read | None:
        """Turn an update into work; None for updates we ignore by design."""
        query = update.callback_query
        if query is not None:
            return self._read_callback(update)
        # Edited messages, channel posts and member changes are ignored by design: the
        # coach answers what people send, and an edit must not log a session twice.
        message = update.message
        if message is None or message.from_user is None:
            return None
        if message.chat.type != ChatType.PRIVATE:
            # Group chats: a command gets one line pointing to the private chat; other group
            # chatter is ignored so the coach never floods a group.
            if (message.text or "").startswith("/"):
                return Read(chat_id=message.chat.id, notice=channel_texts.PRIVATE_ONLY)
            return None
        kind = _kind_of(message)
        if kind is None:
            return None
        text = message.text if kind is Kind.TEXT else (message.caption or "")
        return Read(chat_id=message.chat.id, incoming=Incoming(
            channel=self.name, user_key=str(message.chat.id), at=self._clock(), text=text or "",
            message_id=str(update.update_id), kind=kind,
            display_name=message.from_user.first_name, file=self._file_of(message)))

    def _file_of(self, message: Message) -> IncomingFile | None:
        """A document or the largest photo size, downloaded only when the engine asks."""
        if message.document is not None:
            doc = message.document
            return IncomingFile(doc.file_name or "document", doc.mime_type or "",
                                doc.file_size, partial(self._download, doc.file_id),
                                doc.file_id)
        if message.photo:
            photo = message.photo[-1]
            return IncomingFile("photo.jpg", "image/jpeg", photo.file_size,
                                partial(self._download, photo.file_id), photo.file_id)
        return None

    async def _download(self, file_id: str, limit: int) -> bytes:
        """A file through the Bot API (getFile, then the file URL), at most `limit` bytes."""
        assert self._app is not None
        file = await self._app.bot.get_file(file_id)
        if file.file_size is not None and file.file_size > limit:
            raise FileTooLarge(file_id)
        data = bytes(await file.download_as_bytearray())
        if len(data) > limit:
            raise FileTooLarge(file_id)
        return data

    def _read_callback(self, update: Update) -> Read | None:
        query = update.callback_query
        assert query is not None and self._sender is not None
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        if message is not None and message.chat.type != ChatType.PRIVATE:
            return None
        data = query.data or ""
        label = data
        markup = getattr(message, "reply_markup", None)
        for row in (markup.inline_keyboard if markup else ()):
            for button in row:
                if button.callback_data == data:
                    label = button.text
        choice_id = self._sender.choice_id(data)
        typed = Incoming(channel=self.name, user_key=str(chat_id), at=self._clock(), text=label,
                         message_id=str(update.update_id), kind=Kind.TEXT,
                         display_name=query.from_user.first_name)
        if choice_id is None:  # a stand-in id from before a restart: the label still works
            return Read(chat_id, typed)
        return Read(chat_id, replace(typed, choice_id=choice_id, kind=Kind.CHOICE))

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        work = self.read(update)
        if work is None:
            await self._answer(update)
            return
        # Take the chat's place in line before any network call, so a tap followed by a
        # typed message is handled in the order they came.
        async with self._chats.hold(str(work.chat_id)):
            await self._answer(update)
            if work.incoming is None:
                replies = [Outgoing(work.notice or "")]
            else:
                try:
                    replies = await self._handle(work.incoming)
                except Exception:
                    log.exception("handling a Telegram update failed")
                    replies = [Outgoing(texts.SORRY)]
            await self._reply(work.chat_id, replies)

    @staticmethod
    async def _answer(update: Update) -> None:
        """Answer a button press: stops the button's spinner."""
        if update.callback_query is None:
            return
        try:
            await update.callback_query.answer()
        except TelegramError as exc:
            log.warning("could not answer a callback query (%s)", type(exc).__name__)

    async def _reply(self, chat_id: int, replies: list[Outgoing]) -> None:
        assert self._sender is not None
        try:
            await self._sender.deliver(chat_id, replies)
        except UserBlocked:
            log.info("a Telegram user blocked the bot; marking them blocked")
            await self._mark(str(chat_id), UserStatus.BLOCKED)
        except UserUnreachable:
            await self._mark(str(chat_id), UserStatus.UNREACHABLE)
        except TelegramError as exc:
            log.error("could not deliver a Telegram reply (%s)", type(exc).__name__)

    async def _mark(self, user_key: str, status: UserStatus) -> None:
        await mark_user(self._store, self.name, user_key, status)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Anything that escapes a handler or the polling loop lands here: log it, keep going.
        log.error("Telegram channel error: %s", type(context.error).__name__,
                  exc_info=context.error)

    # updates out --------------------------------------------------------------
    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        """Deliver in order; raises UserBlocked / UserUnreachable, or the Telegram error."""
        if self._sender is None:
            raise RuntimeError("the Telegram channel is not started")
        async with self._chats.hold(user_key):
            await self._sender.deliver(int(user_key), messages)
