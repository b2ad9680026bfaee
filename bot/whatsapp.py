"""The WhatsApp channel on the Cloud API: signed webhooks in, paced Graph API sends out.

Webhooks are our own Starlette routes on the shared web app (pywa's webhook server only
plugs into Flask or FastAPI, and would parse before we could check the signature on the raw
body); pywa's async client does the Graph API calls (messages, media upload, templates).
pywa hard-codes Meta's host in the httpx client it is given, so for `WHATSAPP_API_URL` the
channel owns that client and re-points its `base_url` after pywa has set it.

A POST is answered 200 as soon as its signature is checked; the work runs in background
tasks that `stop()` waits for. One person's messages run in arrival order.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import httpx
from pywa_async import WhatsApp
from pywa_async import types as wa_types
from pywa_async.errors import WhatsAppError
from pywa_async.types.templates import TemplateLanguage
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.channels import UserUnreachable
from bot.web import read_body
from bot.whatsapp_send import (
    ButtonsPart,
    ListPart,
    MediaPart,
    Pacer,
    Part,
    Sleep,
    TextPart,
    layout,
    template_components,
    template_line,
)
from bot.whatsapp_webhook import CHANNEL, parse, signature_ok
from conversations import whatsapp_texts as texts
from conversations.engine import KeyedLocks
from conversations.messages import Choice, FileTooLarge, Incoming, Kind, Outgoing
from storage import Store
from storage.models import UserStatus

log = logging.getLogger(__name__)
NUMBERED_KEPT = 10_000  # users whose last long choice list is remembered

PATH = "/webhooks/whatsapp"
DEFAULT_API_URL = "https://graph.facebook.com"
WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=10)  # treat the window as closed a little early
MAX_BODY = 1_000_000
RATE_LIMITED = (130429, 131056)  # throughput and per-user pair rate limits
WINDOW_CLOSED = 131047
UNDELIVERABLE = 131026
TOKEN_EXPIRED = 190


class SendFailed(Exception):
    """A Graph API call failed for a reason other than the person being unreachable."""


class _WindowClosed(Exception):
    pass


class _Template:
    """A send of the approved template (outside the 24-hour window)."""

    def __init__(self, line: str) -> None:
        self.line = line


Handle = Callable[[Incoming], Awaitable[list[Outgoing]]]


class WhatsAppChannel:
    """Serves people on WhatsApp through the Cloud API."""

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
    ) -> None:
        try:
            self.template_language = TemplateLanguage(template_language)
        except (ValueError, TypeError):  # pywa's lookup of an unknown code raises TypeError
            raise ValueError(f"WHATSAPP_TEMPLATE_LANGUAGE {template_language!r} is not a "
                             "WhatsApp template language code (e.g. en, en_US, de)") from None
        self._handle = handle
        self._store = store
        self._clock = clock
        self._app_secret = app_secret
        self._verify_token = verify_token
        self.template_name = template_name
        self.pacer = pacer or Pacer(sleep=sleep)
        self._sleep = sleep
        self._retries = retries
        self._backoff = backoff
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(20.0, connect=10.0))
        self.wa = WhatsApp(phone_id=phone_number_id, token=token, session=self._http)
        # pywa set Meta's host with its API version; keep the version, change the host.
        version = str(self._http.base_url).rstrip("/").rsplit("/", 1)[-1]
        base = (api_url or DEFAULT_API_URL).rstrip("/")
        if base.rsplit("/", 1)[-1].startswith("v") and base.rsplit("/", 1)[-1][1:2].isdigit():
            self._http.base_url = httpx.URL(base)
        else:
            self._http.base_url = httpx.URL(f"{base}/{version}")
        self._tasks: set[asyncio.Task[None]] = set()
        self._user_locks = KeyedLocks()
        self._send_locks = KeyedLocks()
        # Long choice lists sent as numbered text, per user; bounded (oldest dropped first).
        self._numbered: OrderedDict[str, tuple[Choice, ...]] = OrderedDict()
        self.token_expired = False

    # lifecycle ------------------------------------------------------------------
    async def start(self) -> None:
        log.info("WhatsApp channel ready on %s (Graph API at %s)", PATH,
                 self._http.base_url.host)

    async def stop(self) -> None:
        """Wait for in-flight webhook work, then close the HTTP client."""
        try:
            async with asyncio.timeout(30.0):
                await self.drain()
        except TimeoutError:
            log.warning("stopping with %d WhatsApp updates still in progress", len(self._tasks))
        await self._http.aclose()

    async def drain(self) -> None:
        """Wait until every background task started so far (and any they start) is done."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

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
            payload = json.loads(body)
        except ValueError:
            return PlainTextResponse("bad json", status_code=400)
        update = parse(payload, self._clock())
        for status in update.statuses:
            if status.status == "failed":
                log.warning("a WhatsApp message was not delivered (error %s)",
                            ",".join(map(str, status.error_codes)) or "unknown")
                if UNDELIVERABLE in status.error_codes and status.recipient:
                    self._spawn(self._mark_unreachable(status.recipient))
            else:
                log.debug("WhatsApp status %s for %s", status.status, status.message_id)
        by_user: dict[str, list[Incoming]] = {}
        for incoming in update.messages:
            by_user.setdefault(incoming.user_key, []).append(incoming)
        for user_key, messages in by_user.items():
            self._spawn(self._serve(user_key, messages))
        return PlainTextResponse("ok")

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve(self, user_key: str, messages: list[Incoming]) -> None:
        """Handle one person's messages in order and send the replies."""
        async with self._user_locks.hold(user_key):
            for incoming in messages:
                try:
                    replies = await self._handle(self._with_download(self._picked(incoming)))
                    if replies:
                        await self.send(user_key, replies)
                except UserUnreachable:
                    log.warning("a WhatsApp user cannot be reached; their replies are dropped")
                except SendFailed as err:
                    log.warning("a WhatsApp reply was not sent: %s", err)
                except Exception:
                    log.exception("could not answer a WhatsApp message")

    def _with_download(self, incoming: Incoming) -> Incoming:
        """A document or image gets its download through the Graph API (media URL, then bytes)."""
        if incoming.file is None or not incoming.file.ref:
            return incoming
        return replace(incoming, file=replace(
            incoming.file, fetch=partial(self._download, incoming.file.ref)))

    async def _download(self, media_id: str, limit: int) -> bytes:
        media = await self.wa.get_media_url(media_id)
        if media.file_size and int(media.file_size) > limit:
            raise FileTooLarge(media_id)
        data = await self.wa.get_media_bytes(media.url)
        if len(data) > limit:
            raise FileTooLarge(media_id)
        return data

    def _picked(self, incoming: Incoming) -> Incoming:
        """A number typed after a numbered list becomes that choice."""
        choices = self._numbered.get(incoming.user_key)
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
        """Deliver in order, paced. A scheduled prompt outside the 24-hour window goes out
        as the approved template. Raises UserUnreachable, or SendFailed on other errors."""
        async with self._send_locks.hold(user_key):
            if scheduled and not await self.in_window(user_key):
                await self._send_template(user_key, messages)
                return
            for index, message in enumerate(messages):
                if message.choices:
                    if len(message.choices) > 10:
                        self._numbered[user_key] = message.choices
                        self._numbered.move_to_end(user_key)
                        while len(self._numbered) > NUMBERED_KEPT:
                            self._numbered.popitem(last=False)
                    else:
                        self._numbered.pop(user_key, None)
                try:
                    for part in layout(message):
                        await self._call(user_key, part)
                except _WindowClosed:
                    log.info("the WhatsApp window closed; sending the template instead")
                    await self._send_template(user_key, messages[index:])
                    return

    async def in_window(self, user_key: str) -> bool:
        """Whether the person wrote within the last 24 hours (a little margin kept)."""
        async with self._store.transaction() as tx:
            user = await tx.user(CHANNEL, user_key)
            last = user.last_inbound_at if user is not None else None
        return last is not None and self._clock() - last < WINDOW - WINDOW_MARGIN

    async def _send_template(self, user_key: str, messages: list[Outgoing]) -> None:
        try:
            await self._call(user_key, _Template(template_line(messages)))
        except _WindowClosed:
            raise SendFailed("the template was refused as outside the window") from None

    async def _call(self, user_key: str, part: Part | _Template) -> None:
        """One Graph API call, paced, with bounded retries on rate limits."""
        attempt = 0
        while True:
            await self.pacer.wait(user_key)
            try:
                await self._post(user_key, part)
                self.token_expired = False
                return
            except WhatsAppError as err:
                code = err.code
                if code in RATE_LIMITED and attempt < self._retries:
                    delay = self._backoff * (2 ** attempt)
                    if code == 131056:
                        delay = max(delay, self.pacer.per_user)
                    log.warning("WhatsApp rate limit (error %s); retrying in %.1fs", code, delay)
                    attempt += 1
                    await self._sleep(delay)
                    continue
                if code == WINDOW_CLOSED:
                    raise _WindowClosed from None
                if code == UNDELIVERABLE:
                    await self._mark_unreachable(user_key)
                    raise UserUnreachable(f"WhatsApp error {code}") from None
                if code == TOKEN_EXPIRED:
                    self.token_expired = True
                    log.error("WHATSAPP_TOKEN was refused as expired or invalid (Graph error "
                              "190): no WhatsApp message goes out until it is renewed")
                else:
                    log.error("a WhatsApp send failed with Graph error %s", code)
                raise SendFailed(f"WhatsApp error {code}") from None
            except (httpx.ConnectError, httpx.ConnectTimeout) as err:
                if attempt < self._retries:
                    attempt += 1
                    await self._sleep(self._backoff * (2 ** attempt))
                    continue
                raise SendFailed(f"cannot reach the Graph API: {type(err).__name__}") from None
            except httpx.HTTPError as err:
                raise SendFailed(f"Graph API call failed: {type(err).__name__}") from None

    async def _post(self, to: str, part: Part | _Template) -> Any:
        wa = self.wa
        if isinstance(part, TextPart):
            return await wa.send_message(to=to, text=part.body)
        if isinstance(part, ButtonsPart):
            buttons = [wa_types.Button(title=t, callback_data=i) for i, t in part.buttons]
            return await wa.send_message(to=to, text=part.body, buttons=buttons)
        if isinstance(part, ListPart):
            rows = [wa_types.SectionRow(title=t, callback_data=i, description=d)
                    for i, t, d in part.rows]
            section = wa_types.Section(title=texts.LIST_SECTION, rows=rows)
            return await wa.send_message(to=to, text=part.body, buttons=wa_types.SectionList(
                button_title=part.button, sections=[section]))
        if isinstance(part, MediaPart):
            a = part.attachment
            if a.is_image:
                return await wa.send_image(to=to, image=a.data, caption=part.caption,
                                           mime_type=a.mime)
            return await wa.send_document(to=to, document=a.data, filename=a.filename,
                                          caption=part.caption, mime_type=a.mime)
        return await wa.send_template(
            to=to, name=self.template_name, language=self.template_language,
            params=template_components(part.line))

    async def _mark_unreachable(self, user_key: str) -> None:
        try:
            async with self._store.transaction() as tx:
                user = await tx.user(CHANNEL, user_key)
                if user is not None and user.status in (UserStatus.ACTIVE,
                                                        UserStatus.ONBOARDING):
                    await tx.set_status(user.id, UserStatus.UNREACHABLE)
        except Exception:  # a background task: log it here, nobody awaits it
            log.exception("could not mark a WhatsApp user unreachable")


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def from_settings(settings: Any, handle: Handle, store: Store,
                  clock: Callable[[], datetime]) -> WhatsAppChannel:
    """The channel as configured by the `WHATSAPP_*` settings."""
    try:
        return WhatsAppChannel(
            handle=handle, store=store, clock=clock,
            token=settings.whatsapp_token,
            phone_number_id=settings.whatsapp_phone_number_id,
            app_secret=settings.whatsapp_app_secret,
            verify_token=settings.whatsapp_verify_token,
            api_url=settings.whatsapp_api_url,
            template_name=settings.whatsapp_template_name,
            template_language=settings.whatsapp_template_language,
        )
    except ValueError as err:
        raise SystemExit(str(err)) from None

