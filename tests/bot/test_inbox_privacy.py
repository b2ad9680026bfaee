"""/delete leaves no row from which the person's chat id, phone number or message ids can be
recovered, inbox rows included; handled ids and done inbox rows are pruned after the
retention period (issue 18)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, text

from bot.burst import BurstOrder
from bot.clock import FakeClock
from bot.scheduler import Scheduler
from bot.telegram import TelegramChannel
from bot.telegram_send import Limits
from bot.web import WebServer, build_app
from conversations import daily_texts
from conversations.engine import Engine
from storage import ProcessedMessage, Store
from storage.inbox import InboxRow
from storage.models import Base
from tests.bot.whatsapp_harness import Harness, make_channel, text_message, web_client
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.telegram_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
PHONE = "16505559876"
B64 = base64.b64encode(PHONE.encode()).decode().rstrip("=")  # as inside a real wamid
CHAT = 987654321
SECRET = "privacy-Secret"


def wamid(n: int) -> str:
    return f"wamid.HBgL{B64}VAgASGBQz{n:018d}A="


async def everything(store: Store) -> str:
    """Every value of every table, as one text to search."""
    names = [t.name for t in Base.metadata.sorted_tables] + ["alembic_version"]
    parts: list[str] = []
    async with store.transaction() as tx:
        for name in names:
            rows = await tx.session.execute(text(f'SELECT * FROM "{name}"'))
            parts += [repr(tuple(row)) for row in rows]
    return "\n".join(parts)


async def test_whatsapp_delete_leaves_no_number_and_no_message_id(
        any_store: Store, clock: FakeClock, graph: FakeGraphAPI) -> None:
    channel = make_channel(any_store, clock, graph)
    async with web_client(channel) as web:
        wa = Harness(channel, graph, clock, web)
        for n, words in enumerate(["hi", "/delete", "yes"]):
            await wa.deliver(text_message(words, wamid(n), clock, user=PHONE))
    await channel.stop()
    said = [s.body.get("text", {}).get("body", "") for s in graph.messages_to(PHONE)]
    assert daily_texts.DELETED in said
    dump = await everything(any_store)
    for secret in [PHONE, B64, *(wamid(n) for n in range(3))]:
        assert secret not in dump


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


async def test_telegram_delete_leaves_no_chat_id(api: FakeBotApi, any_store: Store,
                                                  clock: FakeClock) -> None:
    engine = Engine(any_store, clock)
    channel = TelegramChannel(api.token, engine.handle, any_store, clock, base_url=api.base_url,
                              webhook_url="https://coach.example/", webhook_secret=SECRET,
                              limits=Limits(overall_per_second=0, chat_per_second=0),
                              burst=BurstOrder(window=0))
    await channel.start()
    web = WebServer(build_app(channel.routes()), "127.0.0.1", 0)
    await web.start()
    url = f"http://127.0.0.1:{web.server.servers[0].sockets[0].getsockname()[1]}/webhooks/telegram"
    try:
        async with httpx.AsyncClient() as client:
            for n, words in enumerate(["hi", "/delete", "yes"]):
                update = {"update_id": 424242 + n, "message": api.message(CHAT, text=words)}
                answer = await client.post(url, json=update,
                                           headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
                assert answer.status_code == 200
                await channel.drain()
    finally:
        await web.stop()
        await channel.stop()
    assert daily_texts.DELETED in [c.params.get("text") for c in api.sent(CHAT)]
    dump = await everything(any_store)
    assert str(CHAT) not in dump
    assert "424242" not in dump and "424243" not in dump


async def test_handled_ids_and_done_inbox_rows_are_pruned_after_the_retention(
        any_store: Store, clock: FakeClock, graph: FakeGraphAPI) -> None:
    channel = make_channel(any_store, clock, graph)
    async with web_client(channel) as web:
        wa = Harness(channel, graph, clock, web)
        await wa.deliver(text_message("hi", wamid(1), clock, user=PHONE))
        clock.advance(timedelta(days=6))
        await wa.deliver(text_message("/help", wamid(2), clock, user=PHONE))
        scheduler = Scheduler(any_store, clock, {}, retention=timedelta(days=7))
        scheduler.channels = {"whatsapp": channel}
        clock.advance(timedelta(days=1, minutes=1))
        await scheduler.tick()
        async with any_store.transaction() as tx:
            processed = (await tx.session.execute(select(ProcessedMessage))).scalars().all()
            rows = (await tx.session.execute(select(InboxRow))).scalars().all()
        assert len(processed) == 1 and len(rows) == 1  # the 7-day-old one went, not the other
        # Within the retention a redelivery is still answered once.
        before = len(graph.sent)
        await wa.deliver(text_message("/help", wamid(2), clock, user=PHONE))
        assert len(graph.sent) == before
    await channel.stop()
