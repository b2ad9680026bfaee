"""`trekbot run` and the leader's side: the page on the shared web server once a leader was
invited, and a broadcast queued on the page sent through the running bot's channel."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
from datetime import date, timedelta
from pathlib import Path

import httpx

from bot import app
from bot.clock import system_clock
from bot.dispatch import Dispatcher
from bot.leader_auth import invite
from bot.settings import load
from conversations.messages import Outgoing
from storage import Store
from storage import batches as q


class FakeMessenger:
    """A polling messenger (no webhook routes) that records sends."""

    name = "fake"

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[Outgoing], bool]] = []
        self.got = asyncio.Event()

    def bind(self, bot: app.Bot) -> FakeMessenger:
        self.dispatcher = Dispatcher(bot.store, bot.clock, self.name, self)
        return self

    async def start(self) -> None:
        await self.dispatcher.start()

    async def stop(self) -> None:
        await self.dispatcher.stop()

    def routes(self) -> list:
        return []

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        self.sent.append((user_key, messages, scheduled))
        self.got.set()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_run_serves_the_page_and_sends_a_broadcast_at_once(tmp_path: Path,
                                                                 monkeypatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'svc.db'}"
    store = Store(url)
    await store.start()
    async with store.transaction() as tx:
        batch = await q.create_batch(tx, "Everest", date.today() + timedelta(days=60), "easy")
        user = await tx.get_or_create_user("fake", "42", "Ana")
        await q.join(tx, user.id, batch, system_clock())
    found = await invite(store, "Asha", batch.code, system_clock())
    assert found is not None
    await store.close()
    port = free_port()
    settings = load({"DATABASE_URL": url, "TREKBOT_HOST": "127.0.0.1",
                     "TREKBOT_PORT": str(port), "TREKBOT_TICK_SECONDS": "3600"},
                    env_file=tmp_path / "none.env")
    messenger = FakeMessenger()
    monkeypatch.setattr(app, "messenger_channels", lambda bot: [messenger.bind(bot)])
    service = asyncio.create_task(app.run_service(settings))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(200):
                try:
                    await client.get("/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            assert (await client.post(f"/leader/signin/{found[0]}")).status_code == 303
            page = (await client.get(f"/leader/batches/{batch.code}")).text
            token = re.search(r'name="token" value="([^"]+)"', page)
            assert token
            sent = await client.post(f"/leader/batches/{batch.code}/broadcast",
                                     data={"text": "Boots on!", "token": token.group(1)})
            assert sent.headers["location"].endswith("?sent=1")
        await asyncio.wait_for(messenger.got.wait(), 10)  # not an hour's tick later
    finally:
        signal.raise_signal(signal.SIGTERM)
        await asyncio.wait_for(service, 20)
    [(key, [message], scheduled)] = messenger.sent
    assert key == "42" and scheduled and "Boots on!" in message.text
