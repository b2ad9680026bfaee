"""Two `trekbot run` instances on one PostgreSQL database, Telegram webhook updates of the
same chats split between them: none lost, none doubled, each person's in order (issue 14)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.telegram import SECRET_HEADER
from storage import Store
from tests.bot.kill_support import (
    ID_KEY,
    WEBHOOK_SECRET,
    bot_env,
    inbox_not_done,
    processed_order,
    settle,
)
from tests.bot.procs import Service
from tests.fakes.telegram_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
CHATS, PER_CHAT = 10, 8
WARM_UP = 4_999_999


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


async def test_two_instances_share_one_persons_messages_in_order(
        api: FakeBotApi, pg_url: str, tmp_path: Path) -> None:
    env = bot_env(api, pg_url, webhook=True) | {"TREKBOT_INBOX_LEASE_SECONDS": "60"}
    one = Service(env, tmp_path, tmp_path / "one.log")
    two = Service(env, tmp_path, tmp_path / "two.log")
    await asyncio.gather(one.start(), two.start())
    ids = iter(range(700_000, 800_000))
    sent: dict[int, list[int]] = {}

    async def post(client: httpx.AsyncClient, service: Service, chat: int) -> int:
        update_id = next(ids)
        update = {"update_id": update_id, "message": api.message(chat, text="/help")}
        answer = await client.post(f"{service.url}/webhooks/telegram", json=update,
                                   headers={SECRET_HEADER: WEBHOOK_SECRET})
        assert answer.status_code == 200
        return update_id

    async def person(client: httpx.AsyncClient, chat: int) -> None:
        for k in range(PER_CHAT):  # one after another, alternating instances
            sent.setdefault(chat, []).append(await post(client, (one, two)[k % 2], chat))

    try:
        async with httpx.AsyncClient(timeout=30.0) as client:
            await post(client, one, WARM_UP)
            per_help = len(await api.wait_sent(1, WARM_UP))
            await asyncio.gather(*(person(client, 6_000_000 + c) for c in range(CHATS)))
        store = Store(pg_url, id_key=ID_KEY)
        await store.start(migrate=False)
        try:
            every = [u for ups in sent.values() for u in ups]
            assert await settle(store, every) == []  # none lost
            assert await inbox_not_done(store) == 0
            for chat, updates in sent.items():
                assert await processed_order(store, updates) == updates  # in order
                await api.wait_sent(PER_CHAT * per_help, chat)
        finally:
            await store.close()
    finally:
        await asyncio.gather(one.stop(), two.stop())
    for chat in sent:
        assert len(api.sent(chat)) == PER_CHAT * per_help  # none doubled
    assert "Traceback" not in one.log() + two.log()
