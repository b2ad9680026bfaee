"""Test support for the WhatsApp channel: recorded payloads, signing, a channel wired to a
fake Graph API server and a fake clock, and a web client for its webhook routes."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from bot.burst import BurstOrder
from bot.clock import FakeClock
from bot.web import build_app
from bot.whatsapp import PATH, WhatsAppChannel
from bot.whatsapp_send import Pacer
from bot.whatsapp_webhook import sign
from conversations.engine import Engine
from conversations.messages import Incoming, Outgoing
from storage import Store
from tests.fakes.graph_api import FakeGraphAPI

PAYLOADS = Path(__file__).parent.parent / "fakes" / "whatsapp_payloads"
SECRET = "test-app-secret"
VERIFY = "test-verify-token"
TOKEN = "EAAtest-token-never-logged"
PHONE_ID = "106540352242922"
USER = "16505551234"


def payload(name: str, clock: FakeClock | None = None) -> dict[str, Any]:
    """A recorded webhook body; message timestamps moved to the fake clock's now."""
    data = json.loads((PAYLOADS / f"{name}.json").read_text())
    if clock is not None:
        stamp = str(int(clock().timestamp()))
        for entry in data["entry"]:
            for change in entry["changes"]:
                for msg in change["value"].get("messages", []):
                    msg["timestamp"] = stamp
    return data


def text_message(text: str, wamid: str, clock: FakeClock, user: str = USER) -> dict[str, Any]:
    """The recorded text payload with another body, message id and sender."""
    data = copy.deepcopy(payload("text", clock))
    value = data["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = user
    msg = value["messages"][0]
    msg.update({"from": user, "id": wamid, "text": {"body": text}})
    return data


@dataclass
class Harness:
    channel: WhatsAppChannel
    graph: FakeGraphAPI
    clock: FakeClock
    web: httpx.AsyncClient
    seen: list[Incoming] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    async def post(self, body: dict[str, Any] | bytes, *, signature: str | None | bool = True
                   ) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"content-type": "application/json"}
        if signature is True:
            headers["x-hub-signature-256"] = sign(SECRET, raw)
        elif isinstance(signature, str):
            headers["x-hub-signature-256"] = signature
        return await self.web.post(PATH, content=raw, headers=headers)

    async def deliver(self, body: dict[str, Any]) -> httpx.Response:
        """Post a signed webhook and wait for its background work."""
        response = await self.post(body)
        assert response.status_code == 200
        await self.channel.drain()
        return response


def make_channel(store: Store, clock: FakeClock, graph: FakeGraphAPI, *,
                 seen: list[Incoming] | None = None, sleeps: list[float] | None = None,
                 per_user: float = 0.0, burst: int = 3, per_second: float = 0,
                 engine: Engine | None = None,
                 handle: Any = None, turns: BurstOrder | None = None) -> WhatsAppChannel:
    engine = engine or Engine(store, clock)
    sleeps = sleeps if sleeps is not None else []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    async def recording(incoming: Incoming) -> list[Outgoing]:
        if seen is not None:
            seen.append(incoming)
        return await engine.handle(incoming)

    pacer = Pacer(per_user=per_user, burst=burst, per_second=per_second, sleep=fake_sleep,
                  monotonic=lambda: clock().timestamp())
    return WhatsAppChannel(
        handle=handle or recording, store=store, clock=clock, token=TOKEN,
        phone_number_id=PHONE_ID, app_secret=SECRET, verify_token=VERIFY,
        api_url=graph.url, template_name="daily_session", template_language="en",
        pacer=pacer, sleep=fake_sleep, burst=turns or BurstOrder(window=0),
    )


def web_client(channel: WhatsAppChannel) -> httpx.AsyncClient:
    app = build_app(channel.routes())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bot")
