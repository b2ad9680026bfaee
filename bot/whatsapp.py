"""The WhatsApp channel on the Cloud API: signed webhooks in, paced Graph API sends out.

Webhooks are our own Starlette routes on the shared web app (pywa's webhook server only
plugs into Flask or FastAPI, and would parse before we could check the signature on the raw
body); pywa's async client does the Graph API calls (messages, media upload, templates).
pywa hard-codes Meta's host in the httpx client it is given, so for `WHATSAPP_API_URL` the
channel owns that client and re-points its `base_url` after pywa has set it.

A POST is answered 200 once its signature is checked and its messages are saved in the
inbox; they are handled from there (bot/inbox_worker.py), one person's messages one at a
time in WhatsApp's order (timestamp, then wamid), across instances. Replies leave through
the outbox: the engine queues them with its step and the channel's dispatcher
(`bot/dispatch.py`) sends them through `send`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import httpx
from pywa_async import WhatsApp
from pywa_async.types.templates import TemplateLanguage
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.burst import BurstOrder, Order
from bot.channels import Handle, StartupError, mark_user
from bot.dispatch import Dispatcher, Options
from bot.edge import BadJson, decode_json
from bot.inbox_worker import DEFAULT_LEASE, InboxWorker
from bot.pacing import Sleep
from bot.pacing_shared import SlotStore
from bot.web import read_body
from bot.whatsapp_send import UNDELIVERABLE, Pacer, Sender
from bot.whatsapp_webhook import CHANNEL, parse, signature_ok, split
from conversations.engine import KeyedLocks
from conversations.messages import FileTooLarge, Incoming, Kind, Outgoing
from storage import Store
from storage.inbox import NewUpdate, PayloadTooLarge
from storage.models import UserStatus

log = logging.getLogger(__name__)
PATH = "/webhooks/whatsapp"
DEFAULT_API_URL = "https://graph.facebook.com"
WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=10)  # treat the window as closed a little early
MAX_BODY = 1_000_000


class WhatsAppChannel:
    """Serves people on WhatsApp through the Cloud API (sending in `bot/whatsapp_send.py`)."""

    name = CHANNEL

    def __init__(
        self,
        *,
        handle: Handle,
        store: Store,
        clock: Callable[[], datetime],
        token: str,
        phone_number_id: str,
        app_secret: str,
        verify_token: str,
        api_url: str | None = None,
        template_name: str = "daily_session",
        template_language: str = "en",
        pacer: Pacer | None = None,
        sleep: Sleep = asyncio.sleep,
        retries: int = 4,
        backoff: float = 2.0,
        burst: BurstOrder | None = None,
        lease_seconds: float = DEFAULT_LEASE,
        read_timeout: float = 60.0,
        dispatch: Options | None = None,
    ) -> None:
        try:
            language = TemplateLanguage(template_language)
        except (ValueError, TypeError):  # pywa's lookup of an unknown code raises TypeError
            raise ValueError(f"WHATSAPP_TEMPLATE_LANGUAGE {template_language!r} is not a "
                             "WhatsApp template language code (e.g. en, en_US, de)") from None
        self._handle = handle
        self._store = store
        self._clock = clock
        self._app_secret = app_secret
        self._verify_token = verify_token
        # A read timeout well above a real answer's time: a send that times out after it
        # was written may have arrived, and is sent again at most once (bot/dispatch.py).
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(read_timeout, connect=10.0))
        wa = WhatsApp(phone_id=phone_number_id, token=token, session=self._http)
        # pywa set Meta's host with its API version; keep the version, change the host.
        version = str(self._http.base_url).rstrip("/").rsplit("/", 1)[-1]
        base = (api_url or DEFAULT_API_URL).rstrip("/")
        if base.rsplit("/", 1)[-1].startswith("v") and base.rsplit("/", 1)[-1][1:2].isdigit():
            self._http.base_url = httpx.URL(base)
        else:
            self._http.base_url = httpx.URL(f"{base}/{version}")
        self._tasks: set[asyncio.Task[None]] = set()
        self._user_turns = burst or BurstOrder()  # one person's messages in platform order
        self._inbox = InboxWorker(store, CHANNEL, self._process, clock,
                                  burst=self._user_turns, lease_seconds=lease_seconds)
        self._send_locks = KeyedLocks()
        self._sender = Sender(wa, pacer or Pacer(sleep=sleep), template_name=template_name,
                              template_language=language, sleep=sleep, retries=retries,
                              backoff=backoff, on_unreachable=self._mark_unreachable)
        self.dispatcher = Dispatcher(store, clock, self.name, self, dispatch)

    @property
    def pacer(self) -> Pacer:
        return self._sender.pacer

    @property
    def token_expired(self) -> bool:
        """Whether the Graph API refused WHATSAPP_TOKEN on the last call."""
        return self._sender.token_expired

    # lifecycle ------------------------------------------------------------------
    async def start(self) -> None:
        await self._inbox.start()
        await self.dispatcher.start()
        log.info("WhatsApp channel ready on %s (Graph API at %s)", PATH,
                 self._http.base_url.host)

    async def stop(self) -> None:
        """Wait for in-flight webhook work, then close the HTTP client."""
        try:
            async with asyncio.timeout(30.0):
                await self._inbox.stop()
                await self.drain()
        except TimeoutError:
            log.warning("stopping with %d WhatsApp updates still in progress", len(self._tasks))
        await self.dispatcher.stop()
        await self._http.aclose()

    async def drain(self) -> None:
        """Wait until every message received so far (and any background task) is done,
        and the replies due are sent."""
        await self._inbox.drain()
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self.dispatcher.drain()

    def routes(self) -> list[BaseRoute]:
        return [
            Route(PATH, self._verify, methods=["GET"]),
            Route(PATH, self._receive, methods=["POST"]),
        ]

    # webhook --------------------------------------------------------------------
    async def _verify(self, request: Request) -> Response:
        """Meta's subscription handshake: echo hub.challenge when the verify token matches."""
        params = request.query_params
        token = params.get("hub.verify_token") or ""
        if params.get("hub.mode") == "subscribe" and _same(token, self._verify_token):
            return PlainTextResponse(params.get("hub.challenge") or "")
        log.warning("refused a WhatsApp webhook verification with a wrong token")
        return PlainTextResponse("forbidden", status_code=403)

    async def _receive(self, request: Request) -> Response:
        header = request.headers.get("x-hub-signature-256")
        if not header:  # refused before a byte of the body is read
            log.warning("refused a WhatsApp webhook without a signature")
            return PlainTextResponse("signature required", status_code=401)
        body = await read_body(request, MAX_BODY)
        if body is None:
            return PlainTextResponse("too large", status_code=413)
        if not signature_ok(self._app_secret, body, header):
            log.warning("refused a WhatsApp webhook with a wrong signature")
            return PlainTextResponse("bad signature", status_code=403)
        try:
            payload = decode_json(body)
        except BadJson:
            return PlainTextResponse("bad json", status_code=400)
        now = self._clock()
        update = parse(payload, now)
        try:
            await self._inbox.receive(_saved(split(payload), now))
        except PayloadTooLarge:
            log.warning("dropped a WhatsApp message too large to keep")
        except Exception:  # not saved: Meta delivers it again
            log.exception("could not save a WhatsApp webhook")
            return PlainTextResponse("try again", status_code=500)
        for status in update.statuses:
            if status.status == "failed":
                log.warning("a WhatsApp message was not delivered (error %s)",
                            ",".join(map(str, status.error_codes)) or "unknown")
                if UNDELIVERABLE in status.error_codes and status.recipient:
                    self._spawn(self._mark_unreachable(status.recipient))
            else:
                log.debug("WhatsApp status %s for %s", status.status, status.message_id)
        return PlainTextResponse("ok")

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, payload: dict[str, Any]) -> None:
        """One saved message, in its person's turn (the inbox worker holds it)."""
        for incoming in parse(payload, self._clock()).messages:
            try:  # the engine queues the replies; the dispatcher sends them
                await self._handle(self._with_download(self._picked(incoming)))
            except Exception:
                log.exception("could not answer a WhatsApp message")

    def _with_download(self, incoming: Incoming) -> Incoming:
        """A document or image gets its download through the Graph API (media URL, then bytes)."""
        if incoming.file is None or not incoming.file.ref:
            return incoming
        return replace(incoming, file=replace(
            incoming.file, fetch=partial(self._download, incoming.file.ref)))

    async def _download(self, media_id: str, limit: int) -> bytes:
        media = await self._sender.wa.get_media_url(media_id)
        if media.file_size and int(media.file_size) > limit:
            raise FileTooLarge(media_id)
        data = await self._sender.wa.get_media_bytes(media.url)
        if len(data) > limit:
            raise FileTooLarge(media_id)
        return data

    def _picked(self, incoming: Incoming) -> Incoming:
        """A number typed after a numbered list becomes that choice."""
        choices = self._sender.numbered(incoming.user_key)
        text = incoming.text.strip()
        if incoming.kind is Kind.TEXT and choices and text.isdigit():
            n = int(text)
            if 1 <= n <= len(choices):
                chosen = choices[n - 1]
                return replace(incoming, text=chosen.label, choice_id=chosen.id,
                               kind=Kind.CHOICE)
        return incoming

    # sending --------------------------------------------------------------------
    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        """Deliver in order, paced (the dispatcher calls this). A scheduled prompt outside
        the 24-hour window goes out as the approved template. Raises UserUnreachable,
        RetryLater, MaybeDelivered, or SendFailed on other errors."""
        await self._send(user_key, messages, scheduled)

    async def _send(self, user_key: str, messages: list[Outgoing], scheduled: bool) -> None:
        async with self._send_locks.hold(user_key):
            if scheduled and not await self.in_window(user_key):
                await self._sender.send_template(user_key, messages)
                return
            await self._sender.deliver(user_key, messages)

    async def in_window(self, user_key: str) -> bool:
        """Whether the person wrote within the last 24 hours (a little margin kept)."""
        async with self._store.transaction() as tx:
            user = await tx.user(CHANNEL, user_key)
            last = user.last_inbound_at if user is not None else None
        return last is not None and self._clock() - last < WINDOW - WINDOW_MARGIN

    async def _mark_unreachable(self, user_key: str) -> None:
        try:
            await mark_user(self._store, CHANNEL, user_key, UserStatus.UNREACHABLE)
        except Exception:  # a background task: log it here, nobody awaits it
            log.exception("could not mark a WhatsApp user unreachable")


def _order(incoming: Incoming) -> Order:
    """WhatsApp's order for one person's messages: when sent, then the message id."""
    return (incoming.at.timestamp(), incoming.message_id or "")


def _saved(bodies: list[dict[str, Any]], now: datetime) -> list[NewUpdate]:
    """One-message bodies as inbox rows (messages we do not answer are not kept)."""
    rows: list[NewUpdate] = []
    for body in bodies:
        for incoming in parse(body, now).messages:
            stamp, wamid = _order(incoming)
            # A message without an id (none seen in practice) is keyed by its content.
            message_id = wamid or hashlib.sha256(
                json.dumps(body, sort_keys=True).encode()).hexdigest()
            rows.append(NewUpdate(CHANNEL, incoming.user_key, int(stamp), wamid, message_id,
                                  body))
    return rows


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def from_settings(settings: Any, handle: Handle, store: Store,
                  clock: Callable[[], datetime], pace_slots: SlotStore | None = None
                  ) -> WhatsAppChannel:
    """The channel as configured by the `WHATSAPP_*` settings; `pace_slots` shares the pace
    with the other instances."""
    pacer = Pacer(per_user=settings.whatsapp_seconds_per_user,
                  per_second=settings.whatsapp_max_per_second, slots=pace_slots)
    try:
        return WhatsAppChannel(
            handle=handle, store=store, clock=clock,
            token=settings.whatsapp_token,
            phone_number_id=settings.whatsapp_phone_number_id,
            app_secret=settings.whatsapp_app_secret,
            verify_token=settings.whatsapp_verify_token,
            api_url=settings.whatsapp_api_url,
            lease_seconds=settings.inbox_lease_seconds,
            dispatch=settings.dispatch(),
            template_name=settings.whatsapp_template_name,
            template_language=settings.whatsapp_template_language,
            read_timeout=settings.send_read_timeout,
            pacer=pacer,
        )
    except ValueError as err:
        raise StartupError(str(err)) from None

