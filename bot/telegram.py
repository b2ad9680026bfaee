"""The Telegram channel: python-telegram-bot updates in, `Incoming` to the engine, replies out.

Long polling by default; with a webhook URL the shared web app receives updates on
`/webhooks/telegram` (secret header checked before the body is read). Replies are not sent
here: the engine queues them in the outbox with its step, and the channel's dispatcher
(`bot/dispatch.py`) sends them through `send`. Sending, limits and retries live in
`bot/telegram_send.py`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import BotCommand, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.burst import LAST, BurstOrder
from bot.channels import Handle, StartupError
from bot.dispatch import Dispatcher, Options, queue_replies
from bot.pacing_shared import SlotStore
from bot.settings import Settings
from bot.telegram_read import BadRequest, Ignored, Read, decode, read
from bot.telegram_send import Limits, Sender, shared_pacers
from bot.web import read_body
from conversations import texts
from conversations.commands import MENU
from conversations.messages import FileTooLarge, Outgoing
from storage import Store

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
MAX_WEBHOOK_BODY = 1_000_000


def api_root(base_url: str) -> str:
    """TELEGRAM_BASE_URL as the server root: PTB's own form ends in /bot, which is dropped."""
    root = base_url.strip().rstrip("/")
    return root.removesuffix("/bot").rstrip("/")


def webhook_target(url: str) -> str:
    """TELEGRAM_WEBHOOK_URL is the server's public URL; the path is added unless present."""
    url = url.rstrip("/")
    return url if url.endswith(WEBHOOK_PATH) else url + WEBHOOK_PATH


class TelegramChannel:
    """Serves users on Telegram through a PTB `Application` (no PTB persistence)."""

    name = "telegram"

    def __init__(self, token: str, handle: Handle, store: Store, clock: Callable[[], datetime],
                 *, base_url: str | None = None, webhook_url: str | None = None,
                 webhook_secret: str | None = None, limits: Limits | None = None,
                 poll_timeout: float = 10.0, burst: BurstOrder | None = None,
                 read_timeout: float = 60.0, dispatch: Options | None = None,
                 pace_slots: SlotStore | None = None) -> None:
        if webhook_url and not webhook_secret:
            raise ValueError("a Telegram webhook needs a secret token")
        self._token = token
        self._handle = handle
        self._store = store
        self._clock = clock
        self._base_url = api_root(base_url) if base_url else None
        self._webhook_url = webhook_url
        self._secret = webhook_secret or ""
        self._limits = limits or Limits()
        self._pace_slots = pace_slots  # shared pacing across instances, or None (in-process)
        self._poll_timeout = poll_timeout
        self._read_timeout = read_timeout
        self.dispatcher = Dispatcher(store, clock, self.name, self, dispatch)
        # One chat's updates (in update_id order) and sends run one after another.
        self._chats = burst or BurstOrder()
        self._app: Application | None = None
        self._sender: Sender | None = None
        self._queued = 0  # webhook updates put on PTB's queue, and those finished
        self._finished = 0
        self._idle = asyncio.Condition()

    @classmethod
    def from_settings(cls, settings: Settings, handle: Handle, store: Store,
                      clock: Callable[[], datetime], pace_slots: SlotStore | None = None
                      ) -> TelegramChannel:
        assert settings.telegram_token
        return cls(settings.telegram_token, handle, store, clock,
                   base_url=settings.telegram_base_url,
                   webhook_url=settings.telegram_webhook_url,
                   webhook_secret=settings.telegram_webhook_secret,
                   read_timeout=settings.send_read_timeout,
                   limits=Limits(overall_per_second=settings.telegram_max_per_second),
                   pace_slots=pace_slots)

    # lifecycle ----------------------------------------------------------------
    async def start(self) -> None:
        # httpx logs every request URL at INFO, and Bot API URLs hold the token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder().token(self._token).concurrent_updates(True)
            # Well above a real answer's time: a send that times out after it was written
            # may have arrived, and is sent again at most once (bot/dispatch.py).
            .read_timeout(self._read_timeout).write_timeout(self._read_timeout))
        if self._base_url:
            builder = builder.base_url(f"{self._base_url}/bot").base_file_url(
                f"{self._base_url}/file/bot")
        if self._limits.overall_per_second > 0 and self._pace_slots is None:
            builder = builder.rate_limiter(AIORateLimiter(
                overall_max_rate=self._limits.overall_per_second, overall_time_period=1,
                max_retries=0))  # retries happen in Sender.call
        if self._webhook_url:
            builder = builder.updater(None)
        app = builder.build()
        app.add_handler(TypeHandler(Update, self._on_update))  # long polling
        app.add_handler(TypeHandler(dict, self._on_update))  # webhook bodies, already checked
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
        if self._pace_slots is not None:
            chat, overall = shared_pacers(self._limits, self._pace_slots)
            self._sender = Sender(app.bot, self._limits, chat_pacer=chat, overall_pacer=overall)
        else:
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
        await self.dispatcher.start()
        log.info("Telegram channel started as @%s (%s)", app.bot.username,
                 "webhook" if self._webhook_url else "long polling")

    async def stop(self) -> None:
        if self._app is None:
            return
        if self._app.updater is not None and self._app.updater.running:
            await self._app.updater.stop()
        await self.dispatcher.stop()
        app, self._app = self._app, None
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
            update = decode(body)
        except BadRequest as exc:
            log.warning("refused a Telegram webhook body: %s", exc)
            return Response(status_code=400)
        self._queued += 1
        await app.update_queue.put(update)
        return Response(status_code=200)

    async def drain(self) -> None:
        """Wait until every webhook update received so far has been handled, and the
        replies due are sent."""
        async with self._idle:
            await self._idle.wait_for(lambda: self._finished >= self._queued)
        await self.dispatcher.drain()

    async def _done(self) -> None:
        async with self._idle:
            self._finished += 1
            self._idle.notify_all()

    # updates in ---------------------------------------------------------------
    def read(self, update: Update | dict[str, Any]) -> Read | Ignored:
        """Turn an update into work, or say why it is ignored (see bot/telegram_read.py).
        A document or photo gets its download through this channel's Bot API."""
        payload = update if isinstance(update, dict) else update.to_dict()
        choice_id = self._sender.choice_id if self._sender is not None else (lambda d: d)
        work = read(payload, self._clock(), choice_id)
        if isinstance(work, Read) and work.incoming is not None and work.incoming.file:
            file = replace(work.incoming.file, fetch=partial(self._download,
                                                             work.incoming.file.ref))
            work = replace(work, incoming=replace(work.incoming, file=file))
        return work

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

    async def _on_update(self, update: object, _context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self._work(update)
        finally:
            await self._done()

    async def _work(self, update: object) -> None:
        try:
            work = self.read(update) if isinstance(update, Update | dict) else Ignored("?")
        except Exception:  # read() is total on JSON; this is PTB failing to re-serialise
            log.exception("could not read a Telegram update")
            return
        if isinstance(work, Ignored):
            log.debug("ignored a Telegram update: %s", work.reason)
            await self._answer(work.callback_id)
            return
        # Take the chat's place in line before any network call, so a tap followed by a
        # typed message is handled in the order they came.
        async with self._chats.turn(str(work.chat_id), (work.order, "")):
            await self._answer(work.callback_id)
            if work.incoming is None:  # a notice of our own (e.g. "use the private chat")
                await self._queue(work.chat_id, [Outgoing(work.notice or "")])
                return
            try:
                await self._handle(work.incoming)  # the engine queues its replies
            except Exception:
                log.exception("handling a Telegram update failed")
                await self._queue(work.chat_id, [Outgoing(texts.SORRY)])

    async def _queue(self, chat_id: int, messages: list[Outgoing]) -> None:
        try:
            await queue_replies(self._store, self._clock(), self.name, str(chat_id), messages)
        except Exception:
            log.exception("could not queue a Telegram notice")

    async def _answer(self, callback_id: str | None) -> None:
        """Answer a button press: stops the button's spinner."""
        if callback_id is None or self._app is None:
            return
        try:
            await self._app.bot.answer_callback_query(callback_id)
        except TelegramError as exc:
            log.warning("could not answer a callback query (%s)", type(exc).__name__)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Anything that escapes a handler or the polling loop lands here: log it, keep going.
        log.error("Telegram channel error: %s", type(context.error).__name__,
                  exc_info=context.error)

    # updates out --------------------------------------------------------------
    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        """Deliver in order (the dispatcher calls this); raises UserBlocked, UserUnreachable,
        Refused, RetryLater, MaybeDelivered or the Telegram error."""
        if self._sender is None:
            raise RuntimeError("the Telegram channel is not started")
        async with self._chats.turn(user_key, LAST, settle=False):
            await self._sender.deliver(int(user_key), messages)
