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
import contextlib
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.telegram import SECRET_HEADER
from storage import ProcessedMessage, Store
from storage.inbox import DONE, InboxRow, derive_key, message_hash
from tests.bot.procs import Service, free_port
from tests.fakes.telegram_api import FakeBotApi

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


def bot_env(api: FakeBotApi, url: str, *, webhook: bool) -> dict[str, str]:
    env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url,
           "DATABASE_URL": url, "TREKBOT_ID_KEY": ID_KEY,
           "TREKBOT_INBOX_LEASE_SECONDS": "1", "TREKBOT_TICK_SECONDS": "3600"}
    if webhook:
        env |= {"TELEGRAM_WEBHOOK_URL": "https://coach.example",
                "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}
    return env


async def unprocessed(store: Store, update_ids: list[int]) -> list[int]:
    """The update ids whose engine step is not in the database."""
    want = {message_hash(derive_key(ID_KEY), "telegram", str(u)): u for u in update_ids}
    async with store.transaction() as tx:
        have = set((await tx.session.execute(
            select(ProcessedMessage.message_id).where(ProcessedMessage.channel == "telegram")
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


async def settle(store: Store, update_ids: list[int]) -> list[int]:
    """Wait (with a safety limit) until every update is processed and the inbox is empty
    of work; returns what is still unprocessed at the limit."""
    deadline = time.monotonic() + SETTLE_LIMIT
    while time.monotonic() < deadline:
        missing = await unprocessed(store, update_ids)
        if not missing and await inbox_not_done(store) == 0:
            return []
        await asyncio.sleep(0.1)
    return await unprocessed(store, update_ids)


def _plan(chats: int, per_chat: int) -> list[int]:
    """Chat ids, one entry per message, chats interleaved."""
    return [5_000_000 + c for _ in range(per_chat) for c in range(chats)]


async def _kill_when(api: FakeBotApi, rng: random.Random, sent_before: int, pushed: int,
                     service: Service) -> None:
    """SIGKILL once a random number (0 .. pushed) of this round's replies went out."""
    target = sent_before + rng.randint(0, pushed)
    with contextlib.suppress(TimeoutError):
        await api.wait_sent(target)
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
            await _kill_when(api, rng, sent_before, len(chunk), service)
            out.kills += 1
            await service.start()
    return await _finish(api, url, service, out, started)


async def _post(client: httpx.AsyncClient, url: str, update: dict[str, Any],
                up: asyncio.Event) -> None:
    """Deliver like Telegram: again and again until the answer is 200."""
    while True:
        await up.wait()
        try:
            answer = await client.post(url, json=update, headers={SECRET_HEADER: WEBHOOK_SECRET})
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
                await _kill_when(api, rng, sent_before, len(chunk), service)
                up.clear()
                out.kills += 1
                await service.start()
                up.set()
            await asyncio.gather(*posts)
    return await _finish(api, url, service, out, started)


async def _finish(api: FakeBotApi, url: str, service: Service, out: Outcome,
                  started: float) -> Outcome:
    store = Store(url, id_key=ID_KEY)
    await store.start(migrate=False)
    try:
        out.unprocessed = await settle(store, out.updates)
        out.not_done = await inbox_not_done(store)
    finally:
        await store.close()
        await service.stop()
    out.replies = len(api.sent())
    out.seconds = time.monotonic() - started
    return out
