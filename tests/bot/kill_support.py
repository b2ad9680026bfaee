"""Kill runs: `trekbot run` subprocesses against the fake Bot API, SIGKILLed at random points
while they work, restarted, and checked against the database (the tests and bench/kills.py).

Every update's engine step leaves its keyed message-id hash in `processed_messages` in the
step's own transaction, so "processed" is read from there (the runs set TREKBOT_ID_KEY).
Kill points are not timed: each round pushes its messages, waits until a random number of
the replies went out (zero: straight after the push, while updates are being received and
saved), and kills then, with other chats in the middle of their steps.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.telegram import SECRET_HEADER
from bot.whatsapp_webhook import sign
from storage import ProcessedMessage, Store
from storage.inbox import DONE, InboxRow, derive_key, message_hash
from tests.bot.procs import Service, free_port
from tests.bot.whatsapp_harness import PHONE_ID, SECRET, TOKEN, VERIFY, text_message
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.telegram_api import WAIT_LIMIT, FakeBotApi

ID_KEY = "kill-run-id-key"
WEBHOOK_SECRET = "kill-Secret-1"
SETTLE_LIMIT = 60.0  # seconds: a safety net for the end of a run, not a delay


@dataclass
class Outcome:
    """What a run left: updates sent, processed, unprocessed; replies; inbox rows not done."""

    updates: list[int] = field(default_factory=list)
    unprocessed: list[int] = field(default_factory=list)
    kills: int = 0
    not_done: int = 0
    replies: int = 0
    seconds: float = 0.0
    per_chat: dict[int, list[int]] = field(default_factory=dict)  # update ids, in order sent
    replies_by_chat: dict[int, int] = field(default_factory=dict)  # messages the bot sent

    def replies_lost(self, per_message: int = 1) -> int:
        """Replies missing, per chat, when each message is answered by `per_message` sends."""
        return sum(max(0, len(ups) * per_message - self.replies_by_chat.get(chat, 0))
                   for chat, ups in self.per_chat.items())

    def replies_beyond(self, times: int, per_message: int = 1) -> int:
        """Sends beyond `times` answers per message, summed over chats."""
        return sum(max(0, self.replies_by_chat.get(chat, 0) - len(ups) * per_message * times)
                   for chat, ups in self.per_chat.items())


def bot_env(api: FakeBotApi, url: str, *, webhook: bool) -> dict[str, str]:
    env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url,
           "DATABASE_URL": url, "TREKBOT_ID_KEY": ID_KEY,
           "TREKBOT_INBOX_LEASE_SECONDS": "1", "TREKBOT_OUTBOX_LEASE_SECONDS": "10",
           "TREKBOT_TICK_SECONDS": "3600"}
    if webhook:
        env |= {"TELEGRAM_WEBHOOK_URL": "https://coach.example",
                "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}
    return env


async def unprocessed(store: Store, message_ids: list[Any], channel: str = "telegram"
                      ) -> list[Any]:
    """The message ids (Telegram: update ids) whose engine step is not in the database."""
    want = {message_hash(derive_key(ID_KEY), channel, str(u)): u for u in message_ids}
    async with store.transaction() as tx:
        have = set((await tx.session.execute(
            select(ProcessedMessage.message_id).where(ProcessedMessage.channel == channel)
        )).scalars())
    return sorted(u for h, u in want.items() if h not in have)


async def inbox_not_done(store: Store) -> int:
    async with store.transaction() as tx:
        return int((await tx.session.execute(
            select(func.count()).select_from(InboxRow).where(InboxRow.state != DONE)
        )).scalar_one())


async def processed_order(store: Store, update_ids: list[int]) -> list[int]:
    """The given updates in the order their steps ran (by processed_at)."""
    by_hash = {message_hash(derive_key(ID_KEY), "telegram", str(u)): u for u in update_ids}
    async with store.transaction() as tx:
        rows = (await tx.session.execute(
            select(ProcessedMessage.message_id, ProcessedMessage.processed_at,
                   ProcessedMessage.id)
            .where(ProcessedMessage.message_id.in_(list(by_hash))))).all()
    return [by_hash[h] for h, _, _ in sorted(rows, key=lambda r: (r[1], r[2]))]


async def settle(store: Store, message_ids: list[Any], channel: str = "telegram"
                 ) -> list[Any]:
    """Wait (with a safety limit) until every message is processed and the inbox is empty
    of work; returns what is still unprocessed at the limit."""
    deadline = time.monotonic() + SETTLE_LIMIT
    while time.monotonic() < deadline:
        missing = await unprocessed(store, message_ids, channel)
        if not missing and await inbox_not_done(store) == 0:
            return []
        await asyncio.sleep(0.1)
    return await unprocessed(store, message_ids, channel)


def _plan(chats: int, per_chat: int) -> list[int]:
    """Chat ids, one entry per message, chats interleaved."""
    return [5_000_000 + c for _ in range(per_chat) for c in range(chats)]


async def _kill_when(sent: Callable[[], int], rng: random.Random, sent_before: int,
                     pushed: int, service: Service) -> None:
    """SIGKILL once a random number (0 .. pushed) of this round's replies went out."""
    target = sent_before + rng.randint(0, pushed)
    deadline = time.monotonic() + WAIT_LIMIT
    while sent() < target and time.monotonic() < deadline:  # noqa: ASYNC110 - fakes differ
        await asyncio.sleep(0.01)
    await service.kill()


async def polling_run(api: FakeBotApi, url: str, workdir: Path, *, chats: int, per_chat: int,
                      kills: int, seed: int) -> Outcome:
    """Long polling: messages are queued at the fake Bot API; the bot fetches them."""
    rng = random.Random(seed)
    out = Outcome()
    service = Service(bot_env(api, url, webhook=False), workdir, workdir / "bot.log")
    started = time.monotonic()
    await service.start()
    plan = _plan(chats, per_chat)
    rounds = [plan[i::kills + 1] for i in range(kills + 1)]
    for n, chunk in enumerate(rounds):
        sent_before = len(api.sent())
        for chat in chunk:
            update = await api.say(chat, "/help")
            out.updates.append(update["update_id"])
            out.per_chat.setdefault(chat, []).append(update["update_id"])
        if n < kills:
            await _kill_when(lambda: len(api.sent()), rng, sent_before, len(chunk), service)
            out.kills += 1
            await service.start()
    return await _finish(_telegram_counts(api), url, service, out, started)


async def _post(client: httpx.AsyncClient, url: str, update: dict[str, Any] | bytes,
                up: asyncio.Event, headers: dict[str, str] | None = None) -> None:
    """Deliver like the platforms: again and again until the answer is 200."""
    while True:
        await up.wait()
        try:
            if isinstance(update, bytes):
                answer = await client.post(url, content=update, headers=headers)
            else:
                answer = await client.post(url, json=update,
                                           headers={SECRET_HEADER: WEBHOOK_SECRET})
            if answer.status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.05)


async def webhook_run(api: FakeBotApi, url: str, workdir: Path, *, chats: int, per_chat: int,
                      kills: int, seed: int) -> Outcome:
    """Webhook: each round's updates are posted concurrently while the bot is killed."""
    rng = random.Random(seed)
    out = Outcome()
    service = Service(bot_env(api, url, webhook=True), workdir, workdir / "bot.log",
                      port=free_port())
    started = time.monotonic()
    await service.start()
    up = asyncio.Event()
    up.set()
    hook = f"{service.url}/webhooks/telegram"
    plan = _plan(chats, per_chat)
    rounds = [plan[i::kills + 1] for i in range(kills + 1)]
    next_id = 900_000
    async with httpx.AsyncClient(timeout=httpx.Timeout(30.0)) as client:
        for n, chunk in enumerate(rounds):
            sent_before = len(api.sent())
            posts = []
            for chat in chunk:
                next_id += 1
                update = {"update_id": next_id, "message": api.message(chat, text="/help")}
                out.updates.append(next_id)
                out.per_chat.setdefault(chat, []).append(next_id)
                posts.append(asyncio.create_task(_post(client, hook, update, up)))
            if n < kills:
                await _kill_when(lambda: len(api.sent()), rng, sent_before, len(chunk),
                                 service)
                up.clear()
                out.kills += 1
                await service.start()
                up.set()
            await asyncio.gather(*posts)
    return await _finish(_telegram_counts(api), url, service, out, started)


async def whatsapp_run(graph: FakeGraphAPI, url: str, workdir: Path, *, chats: int,
                       per_chat: int, kills: int, seed: int) -> Outcome:
    """WhatsApp webhook: signed bodies posted concurrently while the bot is killed."""
    rng = random.Random(seed)
    out = Outcome()
    env = {"WHATSAPP_TOKEN": TOKEN, "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
           "WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_VERIFY_TOKEN": VERIFY,
           "WHATSAPP_API_URL": graph.url, "DATABASE_URL": url, "TREKBOT_ID_KEY": ID_KEY,
           "TREKBOT_INBOX_LEASE_SECONDS": "1", "TREKBOT_OUTBOX_LEASE_SECONDS": "10",
           "TREKBOT_TICK_SECONDS": "3600"}
    service = Service(env, workdir, workdir / "bot.log", port=free_port())
    started = time.monotonic()
    await service.start()
    up = asyncio.Event()
    up.set()
    hook = f"{service.url}/webhooks/whatsapp"
    clock = FakeClock(datetime.now(UTC))
    plan = [c for _ in range(per_chat) for c in range(chats)]
    rounds = [plan[i::kills + 1] for i in range(kills + 1)]
    async with httpx.AsyncClient(timeout=httpx.Timeout(30.0)) as client:
        for n, chunk in enumerate(rounds):
            sent_before = len(graph.sent)
            posts = []
            for chat in chunk:
                number = f"4915{chat:09d}"
                wamid = f"wamid.kill{len(out.updates):06d}"
                body = json.dumps(text_message("/help", wamid, clock, user=number)).encode()
                out.per_chat.setdefault(chat, []).append(len(out.updates))
                out.updates.append(len(out.updates))
                headers = {"content-type": "application/json",
                           "x-hub-signature-256": sign(SECRET, body)}
                posts.append(asyncio.create_task(_post(client, hook, body, up, headers)))
            if n < kills:
                await _kill_when(lambda: len(graph.sent), rng, sent_before, len(chunk),
                                 service)
                up.clear()
                out.kills += 1
                await service.start()
                up.set()
            await asyncio.gather(*posts)
    ids = [f"wamid.kill{u:06d}" for u in out.updates]
    def counts() -> dict[int, int]:
        return {c: len(graph.messages_to(f"4915{c:09d}")) for c in out.per_chat}

    return await _finish(counts, url, service, out, started, channel="whatsapp", ids=ids)


def _telegram_counts(api: FakeBotApi) -> Callable[[], dict[int, int]]:
    def counts() -> dict[int, int]:
        sent: dict[int, int] = {}
        for call in api.sent():
            chat = int(call.params["chat_id"])
            sent[chat] = sent.get(chat, 0) + 1
        return sent
    return counts


async def _finish(counts: Callable[[], dict[int, int]], url: str, service: Service,
                  out: Outcome, started: float, *, channel: str = "telegram",
                  ids: list[str] | None = None) -> Outcome:
    store = Store(url, id_key=ID_KEY)
    await store.start(migrate=False)
    try:
        names = ids if ids is not None else [str(u) for u in out.updates]
        out.unprocessed = await settle(store, names, channel)
        out.not_done = await inbox_not_done(store)
        # The replies leave through the outbox after the steps: wait for them too.
        deadline = time.monotonic() + WAIT_LIMIT
        while time.monotonic() < deadline:
            out.replies_by_chat = counts()
            if out.replies_lost() == 0:
                break
            await asyncio.sleep(0.1)
    finally:
        await store.close()
        await service.stop()
    out.replies_by_chat = counts()
    out.replies = sum(out.replies_by_chat.values())
    out.seconds = time.monotonic() - started
    return out
