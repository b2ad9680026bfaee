"""The Telegram channel: python-telegram-bot updates in, `Incoming` to the engine, replies out.

Long polling by default (our own getUpdates loop: a batch is saved in the inbox before its
offset is confirmed by the next call); with a webhook URL the shared web app receives updates
on `/webhooks/telegram` (secret header checked before the body is read; answered 200 once the
update is saved). Updates are handled from the inbox (bot/inbox_worker.py), per chat in
update_id order. Replies are not sent here: the engine queues them in the outbox with its
step, and the channel's dispatcher (`bot/dispatch.py`) sends them through `send`. Sending,
limits and retries live in `bot/telegram_send.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.burst import LAST, BurstOrder
from bot.channels import Handle, StartupError
from bot.dispatch import Dispatcher, Options, queue_replies
from bot.inbox_worker import DEFAULT_LEASE, InboxWorker
from bot.pacing_shared import SlotStore
from bot.settings import Settings
from bot.telegram_read import CHANNEL, BadRequest, Ignored, Read, decode, read
from bot.telegram_send import Limits, Sender, shared_pacers
from bot.web import read_body
from conversations import texts
from conversations.commands import MENU
from conversations.messages import FileTooLarge, Outgoing
from storage import Store
from storage.inbox import NewUpdate, PayloadTooLarge

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
                 pace_slots: SlotStore | None = None,
                 lease_seconds: float = DEFAULT_LEASE) -> None:
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
        self._inbox = InboxWorker(store, CHANNEL, self._process, clock, burst=self._chats,
                                  lease_seconds=lease_seconds)
        self._polling: asyncio.Task[None] | None = None
        self._side: set[asyncio.Task[None]] = set()  # spinners of ignored button presses

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
                   pace_slots=pace_slots,
                   lease_seconds=settings.inbox_lease_seconds,
                   dispatch=settings.dispatch())

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
        app = builder.updater(None).build()  # updates come in through the inbox
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
        else:
            try:  # so polling and webhook never mix
                await app.bot.delete_webhook()
            except TelegramError as exc:
                await app.shutdown()
                raise StartupError(f"Telegram refused to drop the webhook: {exc}") from None
        await app.start()
        await self._inbox.start()
        if not self._webhook_url:
            self._polling = asyncio.create_task(self._poll())
        await self.dispatcher.start()
        log.info("Telegram channel started as @%s (%s)", app.bot.username,
                 "webhook" if self._webhook_url else "long polling")

    async def stop(self) -> None:
        if self._app is None:
            return
        polling, self._polling = self._polling, None
        if polling is not None:
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
        await self._inbox.stop()  # steps under way finish and queue their replies
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
        try:
            await self._save([update])
        except Exception:  # not saved: Telegram delivers it again
            log.exception("could not save a Telegram update")
            return Response(status_code=500)
        return Response(status_code=200)

    async def drain(self) -> None:
        """Wait until every update received so far has been handled, and the replies due
        are sent."""
        await self._inbox.drain()
        while self._side:
            await asyncio.gather(*list(self._side), return_exceptions=True)
        await self.dispatcher.drain()

    # polling --------------------------------------------------------------------
    async def _poll(self) -> None:
        """getUpdates until stopped. A batch is saved before the next call confirms it
        (offset = last update_id + 1): a kill before the save gets the batch again."""
        assert self._app is not None
        offset: int | None = None
        while True:
            try:
                updates = await self._app.bot.get_updates(
                    offset=offset, timeout=int(self._poll_timeout),
                    allowed_updates=ALLOWED_UPDATES, read_timeout=10.0)
            except TelegramError as exc:
                log.warning("getUpdates failed (%s); asking again", type(exc).__name__)
                await asyncio.sleep(1.0)
                continue
            if not updates:
                continue
            try:
                await self._save([u.to_dict() for u in updates])
            except Exception:  # not confirmed: the next getUpdates returns them again
                log.exception("could not save Telegram updates; asking again")
                await asyncio.sleep(1.0)
                continue
            offset = updates[-1].update_id + 1

    async def _save(self, payloads: list[dict[str, Any]]) -> None:
        """Put updates in the inbox (committed on return). Ignored ones are not kept; an
        ignored button press still gets its spinner stopped."""
        keep: list[NewUpdate] = []
        for payload in payloads:
            work = read(payload, self._clock())
            if isinstance(work, Ignored):
                log.debug("ignored a Telegram update: %s", work.reason)
                if work.callback_id is not None:
                    task = asyncio.create_task(self._answer(work.callback_id))
                    self._side.add(task)
                    task.add_done_callback(self._side.discard)
                continue
            keep.append(NewUpdate(CHANNEL, str(work.chat_id), work.order, "", str(work.order),
                                  payload))
        try:
            await self._inbox.receive(keep)
        except PayloadTooLarge:
            log.warning("dropped a Telegram update too large to keep")

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

    async def _process(self, update: dict[str, Any]) -> None:
        """One saved update, in its chat's turn (the inbox worker holds it)."""
        try:
            await self._work(update)
        except Exception:  # a failed send or download must not stop the chat's line
            log.exception("could not answer a Telegram update")

    async def _work(self, update: Update | dict[str, Any]) -> None:
        try:
            work = self.read(update)
        except Exception:  # read() is total on JSON
            log.exception("could not read a Telegram update")
            return
        if isinstance(work, Ignored):
            log.debug("ignored a Telegram update: %s", work.reason)
            await self._answer(work.callback_id)
            return
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


    # updates out --------------------------------------------------------------
    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        """Deliver in order (the dispatcher calls this); raises UserBlocked, UserUnreachable,
        Refused, RetryLater, MaybeDelivered or the Telegram error."""
        if self._sender is None:
            raise RuntimeError("the Telegram channel is not started")
        async with self._chats.turn(user_key, LAST, settle=False):
            await self._sender.deliver(int(user_key), messages)
