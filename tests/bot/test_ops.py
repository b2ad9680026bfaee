"""Operations: `trekbot --version`, `trekbot migrate` under a lock, /readyz, /metrics, logs."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import httpx
import pytest

from bot.health import Readiness
from bot.web import WebServer, build_app
from bot.whatsapp_webhook import sign
from storage import Store
from tests.bot.procs import TREKBOT, Service, clean_env
from tests.bot.whatsapp_harness import PHONE_ID, SECRET, TOKEN, USER, VERIFY, text_message
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.telegram_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

CHAT = 512345678  # a realistic Telegram chat id: it must not show in the logs
WEBHOOK_SECRET = "hook-Secret-4242"


@pytest.fixture
async def api():
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


def test_version_prints_the_installed_version() -> None:
    out = subprocess.run([str(TREKBOT), "--version"], capture_output=True, text=True,
                         timeout=60, env=clean_env({}))
    assert out.returncode == 0
    assert out.stdout.strip().startswith("trekbot 0.")


async def test_two_migrations_at_once_on_a_fresh_postgresql_both_succeed(
        pg_url: str, tmp_path: Path) -> None:
    async def migrate() -> tuple[int, bytes]:
        proc = await asyncio.create_subprocess_exec(
            str(TREKBOT), "migrate", cwd=tmp_path, env=clean_env({"DATABASE_URL": pg_url}),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await proc.communicate()
        assert proc.returncode is not None
        return proc.returncode, out

    results = await asyncio.gather(migrate(), migrate())
    for code, out in results:
        assert code == 0, out.decode()
    store = Store(pg_url)
    try:
        assert await store.at_head()
    finally:
        await store.close()


async def test_many_start_ups_at_once_on_one_fresh_postgresql(pg_url: str) -> None:
    stores = [Store(pg_url) for _ in range(4)]  # four engines: four connections racing
    try:
        await asyncio.wait_for(asyncio.gather(*(s.start() for s in stores)), 60)
        assert all([await s.at_head() for s in stores])
    finally:
        for s in stores:
            await s.close()


async def test_two_instances_start_together_on_a_fresh_postgresql(
        pg_url: str, api: FakeBotApi, tmp_path: Path) -> None:
    env = {"DATABASE_URL": pg_url, "TELEGRAM_BOT_TOKEN": api.token,
           "TELEGRAM_BASE_URL": api.base_url}
    a = Service(env, tmp_path, tmp_path / "a.log")
    b = Service(env, tmp_path, tmp_path / "b.log")
    try:
        await asyncio.gather(a.start(wait_ready=False), b.start(wait_ready=False))
        await asyncio.gather(a.wait_ready(), b.wait_ready())
    finally:
        codes = await asyncio.gather(a.stop(), b.stop())
    assert codes == [0, 0], a.log() + b.log()
    assert "Error" not in a.log() + b.log()


async def test_readyz_is_503_until_migrated_and_started(tmp_path: Path) -> None:
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}")
    await store.start(migrate=False)
    readiness = Readiness(store)
    web = WebServer(build_app([], readiness), "127.0.0.1", 0)
    await web.start()
    port = web.server.servers[0].sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/healthz")).status_code == 200
            early = await client.get("/readyz")
            assert early.status_code == 503
            assert early.json() == {"ready": False, "database": True, "migrations": False,
                                    "channels": False}
            await store.start()
            assert (await client.get("/readyz")).status_code == 503  # channels not started
            readiness.started = True
            ready = await client.get("/readyz")
            assert ready.status_code == 200 and ready.json()["ready"] is True
            await store.close()
            (tmp_path / "r.db").unlink()  # the database is gone
            (tmp_path / "r.db").mkdir()  # and cannot be opened any more
            gone = await client.get("/readyz")
            assert gone.status_code == 503 and gone.json()["database"] is False
    finally:
        await web.stop()
        await store.close()


def _metric(page: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    key = f"{name}{{{want}}}" if labels else name
    for line in page.splitlines():
        if line.startswith(key + " "):
            return float(line.split()[-1])
    return 0.0


async def test_polling_mode_serves_readyz_and_metrics(api: FakeBotApi, tmp_path: Path) -> None:
    service = Service({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                       "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url},
                      tmp_path, tmp_path / "bot.log")
    await service.start()
    try:
        async with httpx.AsyncClient(base_url=service.url) as client:
            ready = await client.get("/readyz")
            assert ready.status_code == 200, ready.text
            before = (await client.get("/metrics")).text
            await api.say(CHAT, "/start")
            await api.say(CHAT, "help")
            await api.wait_sent(2)
            await asyncio.sleep(0.2)  # the second reply's counter follows its send
            page = (await client.get("/metrics")).text
    finally:
        assert await service.stop() == 0
    assert _metric(before, "trekbot_updates_handled_total", channel="telegram") == 0
    assert _metric(page, "trekbot_updates_handled_total", channel="telegram") == 2
    assert _metric(page, "trekbot_handle_seconds_count", channel="telegram") == 2
    assert _metric(page, "trekbot_messages_sent_total", channel="telegram", kind="reply") >= 2
    assert "trekbot_tick_seconds_count" in page
    assert "trekbot_outbox_depth" in page


async def test_a_debug_log_of_a_conversation_holds_no_secret_number_or_body(
        api: FakeBotApi, tmp_path: Path) -> None:
    graph = FakeGraphAPI()
    await graph.start()
    port_env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "TREKBOT_LOG_LEVEL": "DEBUG", "TREKBOT_LOG_FORMAT": "json",
        "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url,
        "TELEGRAM_WEBHOOK_URL": "https://coach.example", "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WHATSAPP_TOKEN": TOKEN, "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
        "WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_VERIFY_TOKEN": VERIFY,
        "WHATSAPP_API_URL": graph.url,
    }
    service = Service(port_env, tmp_path, tmp_path / "bot.log")
    api.fail("sendMessage", 429, retry_after=1)  # retried: a warning, never an ERROR
    words = ["/start", "yes", "30", "my left knee clicks on stairs"]
    try:
        await service.start()
        async with httpx.AsyncClient(base_url=service.url) as client:
            for n, text in enumerate(words):
                update = {"update_id": 9000 + n, "message": api.message(CHAT, text=text)}
                answer = await client.post("/webhooks/telegram", json=update, headers={
                    "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
                assert answer.status_code == 200
                await api.wait_sent(n + 1, CHAT)
                raw = json.dumps(text_message(text, f"wamid.HBgL{n}MTY1MDU1NTEyMzQVAgASGBQz",
                                              _Now())).encode()
                answer = await client.post("/webhooks/whatsapp", content=raw, headers={
                    "x-hub-signature-256": sign(SECRET, raw),
                    "content-type": "application/json"})
                assert answer.status_code == 200
            for _ in range(200):
                if len(graph.successful) >= len(words):
                    break
                await asyncio.sleep(0.05)
    finally:
        assert await service.stop() == 0
        await graph.stop()
    log = service.log()
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= e.keys() for e in lines)
    assert any(e["level"] == "DEBUG" for e in lines)
    for secret in (api.token, api.token.split(":")[1], WEBHOOK_SECRET, TOKEN, SECRET, VERIFY,
                   USER, str(CHAT), "knee clicks", "HBgL"):
        assert secret not in log, secret
    assert not [e for e in lines if e["level"] in ("ERROR", "CRITICAL")], log
    assert any("wait" in e["message"] and e["level"] == "WARNING" for e in lines)
    assert len(graph.successful) >= len(words) and len(api.sent(CHAT)) >= len(words)


class _Now:
    """A clock for the payload helper: the real time (the subprocess runs on it)."""

    def __call__(self):  # noqa: ANN204
        from datetime import UTC, datetime

        return datetime.now(UTC)
