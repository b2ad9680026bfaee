"""`trekbot run` with TELEGRAM_BOT_TOKEN: the wired service against a local fake Bot API."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from bot import app
from bot.channels import StartupError
from bot.clock import FakeClock
from bot.settings import load
from bot.telegram import TelegramChannel
from storage import Store
from tests.fakes.telegram_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

ANA = 2001


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def service(env: dict[str, str]) -> AsyncIterator[None]:
    task = asyncio.create_task(app.run_service(load(env)))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_run_serves_telegram_by_long_polling(api, tmp_path) -> None:
    env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url,
           "TREKBOT_HOST": "127.0.0.1", "TREKBOT_PORT": str(free_port()),
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}
    async with service(env):
        await api.say(ANA, "/help")
        [reply] = await api.wait_sent(1)
    assert int(reply.params["chat_id"]) == ANA
    assert api.called("deleteWebhook") and api.called("getUpdates")
    assert not api.called("setWebhook")


async def test_run_serves_the_webhook_on_the_shared_web_server(api, tmp_path) -> None:
    port = free_port()
    env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url,
           "TELEGRAM_WEBHOOK_URL": "https://coach.example", "TELEGRAM_WEBHOOK_SECRET": "abc-123",
           "TREKBOT_HOST": "127.0.0.1", "TREKBOT_PORT": str(port),
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}
    update = {"update_id": 77, "message": api.message(ANA, text="/help")}
    async with service(env):
        await api.wait_called("setWebhook")
        async with httpx.AsyncClient() as client:
            for _ in range(500):  # the web server starts right after the channel
                with contextlib.suppress(httpx.ConnectError):
                    health = await client.get(f"http://127.0.0.1:{port}/healthz")
                    if health.status_code == 200:
                        break
                await asyncio.sleep(0.01)
            answer = await client.post(f"http://127.0.0.1:{port}/webhooks/telegram", json=update,
                                       headers={"X-Telegram-Bot-Api-Secret-Token": "abc-123"})
            assert answer.status_code == 200
        await api.wait_sent(1)
    [hook] = api.called("setWebhook")
    assert hook.params["url"] == "https://coach.example/webhooks/telegram"
    assert not api.called("getUpdates")


async def test_a_rejected_token_stops_start_up_with_one_line(api, store: Store,
                                                             clock: FakeClock) -> None:
    wrong = "999:not-the-token"
    channel = TelegramChannel(wrong, lambda incoming: None, store, clock,  # type: ignore[arg-type]
                              base_url=api.base_url)
    with pytest.raises(StartupError) as stopped:
        await channel.start()
    assert "TELEGRAM_BOT_TOKEN" in str(stopped.value)
    assert wrong not in str(stopped.value)
