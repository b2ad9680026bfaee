"""`trekbot run` with the WHATSAPP_* settings: the real web server, real HTTP both ways."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket

import httpx

from bot import app
from bot.settings import load
from bot.whatsapp_webhook import sign
from conversations import texts
from tests.bot.whatsapp_harness import PHONE_ID, SECRET, TOKEN, USER, VERIFY, payload
from tests.fakes.graph_api import FakeGraphAPI


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_trekbot_run_serves_whatsapp(tmp_path, graph: FakeGraphAPI) -> None:
    port = _free_port()
    settings = load({
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "TREKBOT_HOST": "127.0.0.1", "TREKBOT_PORT": str(port),
        "WHATSAPP_TOKEN": TOKEN, "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
        "WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_VERIFY_TOKEN": VERIFY,
        "WHATSAPP_API_URL": graph.url,
    }, env_file=tmp_path / "none.env")
    service = asyncio.create_task(app.run_service(settings))
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as web:
            for _ in range(500):
                try:
                    if (await web.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert not service.done(), service
                await asyncio.sleep(0.01)
            hello = await web.get("/webhooks/whatsapp", params={
                "hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "42"})
            assert hello.text == "42"
            raw = json.dumps(payload("text")).encode()
            r = await web.post("/webhooks/whatsapp", content=raw,
                               headers={"x-hub-signature-256": sign(SECRET, raw)})
            assert r.status_code == 200
            for _ in range(500):
                if graph.sent:
                    break
                await asyncio.sleep(0.01)
    finally:
        os.kill(os.getpid(), signal.SIGTERM)  # run_service stops on SIGTERM
        await asyncio.wait_for(service, 10)
    [sent] = graph.messages_to(USER)
    assert sent.body["text"]["body"] == texts.HELP
    assert sent.path.endswith(f"/{PHONE_ID}/messages") and sent.path.startswith("/v")
