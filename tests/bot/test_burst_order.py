"""One person's burst, fired concurrently at the webhook, is handled in platform order:
Telegram by update_id, WhatsApp by timestamp then wamid; other people do not wait (issue 17)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bot.burst import BurstOrder
from bot.clock import FakeClock
from bot.telegram import TelegramChannel
from bot.telegram_send import Limits
from bot.web import WebServer, build_app
from conversations.messages import Incoming, Outgoing
from storage import Store
from tests.bot.whatsapp_harness import Harness, make_channel, text_message, web_client
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.telegram_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
SECRET = "burst-Secret"
BURST = 20


def settle_until(turns: list[BurstOrder], key: str, count: int):
    """A window that ends once `count` turns for `key` are queued (no clock involved)."""
    async def settle(_seconds: float) -> None:
        async def queued() -> None:
            while turns[0].waiting(key) < count:  # noqa: ASYNC110 - BurstOrder has no event
                await asyncio.sleep(0)
        await asyncio.wait_for(queued(), 10)
    return settle


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


async def test_a_telegram_burst_is_handled_in_update_id_order(api, any_store: Store,
                                                               clock: FakeClock) -> None:
    seen: list[tuple[str, str | None]] = []

    async def handle(incoming: Incoming) -> list[Outgoing]:
        seen.append((incoming.user_key, incoming.message_id))
        return [Outgoing("ok")]

    holder: list[BurstOrder] = []
    turns = BurstOrder(window=1.0, sleep=settle_until(holder, "1001", BURST))
    holder.append(turns)
    channel = TelegramChannel(api.token, handle, any_store, clock, base_url=api.base_url,
                              webhook_url="https://coach.example/", webhook_secret=SECRET,
                              limits=Limits(overall_per_second=0, chat_per_second=0),
                              burst=turns)
    await channel.start()
    web = WebServer(build_app(channel.routes()), "127.0.0.1", 0)
    await web.start()
    url = f"http://127.0.0.1:{web.server.servers[0].sockets[0].getsockname()[1]}/webhooks/telegram"
    ids = list(range(5000, 5000 + BURST))
    random.Random(3).shuffle(ids)
    try:
        async with httpx.AsyncClient() as client:
            posts = [client.post(url, json={"update_id": uid, "message": api.message(
                1001, text=f"m{uid}")}, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
                for uid in ids]
            other = client.post(url, json={"update_id": 1, "message": api.message(
                2002, text="hi")}, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            answers = await asyncio.gather(*posts, other)
            assert {a.status_code for a in answers} == {200}
            await asyncio.wait_for(channel.drain(), 10)
    finally:
        await web.stop()
        await channel.stop()
    ana = [m for k, m in seen if k == "1001"]
    assert ana == [str(u) for u in sorted(ids)]
    assert ("2002", "1") in seen


async def test_a_whatsapp_burst_is_handled_in_timestamp_then_wamid_order(
        graph: FakeGraphAPI, any_store: Store, clock: FakeClock) -> None:
    seen: list[Incoming] = []
    holder: list[BurstOrder] = []
    turns = BurstOrder(window=1.0, sleep=settle_until(holder, "491700000001", BURST))
    holder.append(turns)
    channel = make_channel(any_store, clock, graph, seen=seen, turns=turns,
                           handle=lambda i: _record(seen, i))
    base = int(clock().timestamp()) - 100
    # Two messages per second of sending time: the wamid breaks the tie.
    order = [(base + n // 2, f"wamid.{n:03d}") for n in range(BURST)]
    shuffled = order[:]
    random.Random(5).shuffle(shuffled)
    async with web_client(channel) as web:
        wa = Harness(channel, graph, clock, web)  # type: ignore[arg-type]
        bodies = []
        for stamp, wamid in shuffled:
            body = text_message("hi", wamid, clock, user="491700000001")
            body["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(stamp)
            bodies.append(body)
        answers = await asyncio.gather(*(wa.post(b) for b in bodies))
        assert {a.status_code for a in answers} == {200}
        await channel.drain()
    await channel.stop()
    assert [i.message_id for i in seen] == [w for _, w in order]
    assert [i.at for i in seen] == sorted(i.at for i in seen)
    assert clock() - seen[-1].at >= timedelta(seconds=90)


async def _record(seen: list[Incoming], incoming: Incoming) -> list[Outgoing]:
    seen.append(incoming)
    return []
