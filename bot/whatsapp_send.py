"""Sending `Outgoing` over the WhatsApp Cloud API: layout, pacing, retries and the template.

Limits: about one message every 6 seconds per person (bursts of 3) and 20 a second overall
(`Pacer`); rate-limit errors (130429, 131056) retry with a doubling backoff, as do refused
connections; error 131026 (undeliverable) becomes `UserUnreachable`, error 131047 (the
24-hour window closed) switches the rest of the messages to the approved template, and an
expired token (190) is flagged on `token_expired`. When the retries run out the
dispatcher takes over (`RetryLater`); a read timeout (the request was written, no answer)
is never retried here but becomes `MaybeDelivered`, sent once more at most by the
dispatcher. The layout itself is in `bot/whatsapp_layout.py`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn

import httpx
from pywa_async import WhatsApp
from pywa_async import types as wa_types
from pywa_async.errors import WhatsAppError
from pywa_async.types.templates import TemplateLanguage

from bot import metrics
from bot.channels import MaybeDelivered, RetryLater, UserUnreachable
from bot.pacing import KeyPacer, Sleep
from bot.whatsapp_layout import (
    ButtonsPart,
    ListPart,
    MediaPart,
    Part,
    TextPart,
    layout,
    template_components,
    template_line,
)
from conversations import whatsapp_texts as texts
from conversations.messages import Choice, Outgoing

log = logging.getLogger(__name__)

NUMBERED_KEPT = 10_000  # users whose last long choice list is remembered
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


class Pacer:
    """Per user (about one message every `per_user` seconds, bursts of `burst`; see
    `bot.pacing`) and overall (`per_second` messages a second). Time and sleep are
    injectable."""

    def __init__(self, per_user: float = 6.0, burst: int = 3, per_second: float = 20.0,
                 sleep: Sleep = asyncio.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.per_user = per_user
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._users = KeyPacer(per_user, burst, sleep=sleep, monotonic=monotonic)
        self.burst = self._users.burst
        self._sleep = sleep
        self._now = monotonic
        self._next_global = 0.0
        self._lock = asyncio.Lock()
        self.waited = 0.0  # total seconds spent waiting, for logs and tests

    async def wait(self, key: str) -> None:
        """Wait until one more message to `key` may go out, then take the slot."""
        self.waited += await self._users.wait(key)
        if self.interval > 0:
            async with self._lock:
                now = self._now()
                gap = self._next_global - now
                self._next_global = max(now, self._next_global) + self.interval
                if gap > 0:
                    self.waited += gap
                    await self._sleep(gap)


class Sender:
    """Delivers `Outgoing` messages to one person at a time, in order, through pywa."""

    def __init__(self, wa: WhatsApp, pacer: Pacer, *, template_name: str,
                 template_language: TemplateLanguage, sleep: Sleep, retries: int,
                 backoff: float, on_unreachable: Callable[[str], Awaitable[None]]) -> None:
        self.wa = wa
        self.pacer = pacer
        self.template_name = template_name
        self.template_language = template_language
        self._sleep = sleep
        self._retries = retries
        self._backoff = backoff
        self._on_unreachable = on_unreachable
        # Long choice lists sent as numbered text, per user; bounded (oldest dropped first).
        self._numbered: OrderedDict[str, tuple[Choice, ...]] = OrderedDict()
        self.token_expired = False

    def numbered(self, user_key: str) -> tuple[Choice, ...]:
        """The long choice list last sent to the person as numbered text (or none)."""
        return self._numbered.get(user_key, ())

    def _remember(self, user_key: str, choices: tuple[Choice, ...]) -> None:
        if len(choices) > 10:
            self._numbered[user_key] = choices
            self._numbered.move_to_end(user_key)
            while len(self._numbered) > NUMBERED_KEPT:
                self._numbered.popitem(last=False)
        else:
            self._numbered.pop(user_key, None)

    async def deliver(self, user_key: str, messages: list[Outgoing]) -> None:
        """Send in order; when the window turns out closed, the rest goes as the template."""
        for index, message in enumerate(messages):
            if message.choices:
                self._remember(user_key, message.choices)
            try:
                for part in layout(message):
                    await self._call(user_key, part)
            except _WindowClosed:
                log.info("the WhatsApp window closed; sending the template instead")
                await self.send_template(user_key, messages[index:])
                return

    async def send_template(self, user_key: str, messages: list[Outgoing]) -> None:
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
                if code not in RATE_LIMITED:
                    await self._refused(user_key, code)
                delay = self._backoff * (2 ** attempt)
                if code == 131056:
                    delay = max(delay, self.pacer.per_user)
                if attempt >= self._retries:
                    raise RetryLater(f"WhatsApp error {code}", delay) from None
                metrics.RETRIED.labels("whatsapp", "rate_limited").inc()
                log.warning("WhatsApp rate limit (error %s); retrying in %.1fs", code, delay)
                attempt += 1
                await self._sleep(delay)
                continue
            except (httpx.ConnectError, httpx.ConnectTimeout) as err:
                if attempt < self._retries:
                    attempt += 1
                    await self._sleep(self._backoff * (2 ** attempt))
                    continue
                raise SendFailed(f"cannot reach the Graph API: {type(err).__name__}") from None
            except httpx.ReadTimeout:
                metrics.RETRIED.labels("whatsapp", "timeout").inc()
                raise MaybeDelivered("no answer from the Graph API in time") from None
            except httpx.HTTPError as err:
                raise SendFailed(f"Graph API call failed: {type(err).__name__}") from None

    async def _refused(self, user_key: str, code: int | None) -> NoReturn:
        """Raise what a Graph error other than a rate limit means."""
        if code == WINDOW_CLOSED:
            raise _WindowClosed
        if code == UNDELIVERABLE:
            await self._on_unreachable(user_key)
            raise UserUnreachable(f"WhatsApp error {code}")
        if code == TOKEN_EXPIRED:
            self.token_expired = True
            log.error("WHATSAPP_TOKEN was refused as expired or invalid (Graph error "
                      "190): no WhatsApp message goes out until it is renewed")
        else:
            log.error("a WhatsApp send failed with Graph error %s", code)
        raise SendFailed(f"WhatsApp error {code}")

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
