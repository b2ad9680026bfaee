"""The WhatsApp webhook: handshake, signatures, recorded payloads in, replies out over HTTP."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

import pytest

from bot.clock import FakeClock
from bot.whatsapp import PATH
from conversations import daily_texts, texts
from conversations.engine import Engine
from conversations.messages import Incoming, Kind, Outgoing
from storage import Store
from tests.bot.whatsapp_harness import (
    PHONE_ID,
    TOKEN,
    USER,
    VERIFY,
    Harness,
    make_channel,
    payload,
    text_message,
    web_client,
)
from tests.fakes.graph_api import FakeGraphAPI


@pytest.fixture
async def wa(store: Store, clock: FakeClock, graph: FakeGraphAPI) -> AsyncIterator[Harness]:
    seen: list[Incoming] = []
    sleeps: list[float] = []
    channel = make_channel(store, clock, graph, seen=seen, sleeps=sleeps)
    await channel.start()
    async with web_client(channel) as web:
        yield Harness(channel, graph, clock, web, seen, sleeps)
    await channel.stop()


def bodies(graph: FakeGraphAPI, to: str = USER) -> list[str]:
    out = []
    for s in graph.messages_to(to):
        if s.type == "text":
            out.append(s.body["text"]["body"])
        elif s.type == "interactive":
            out.append(s.body["interactive"]["body"]["text"])
    return out


# handshake -------------------------------------------------------------------------
async def test_handshake_echoes_the_challenge(wa: Harness) -> None:
    r = await wa.web.get(PATH, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY,
                                       "hub.challenge": "1158201444"})
    assert r.status_code == 200
    assert r.text == "1158201444"


@pytest.mark.parametrize("params", [
    {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
    {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"},
    {"hub.challenge": "1"},
])
async def test_handshake_refuses_a_wrong_token(wa: Harness, params: dict[str, str]) -> None:
    r = await wa.web.get(PATH, params=params)
    assert r.status_code == 403
    assert "1" not in r.text


# signatures ------------------------------------------------------------------------
@pytest.mark.parametrize("signature,status", [
    (None, 401),
    ("sha256=" + "0" * 64, 403),
    ("sha1=abc", 403),
    ("", 401),
])
async def test_unsigned_or_badly_signed_posts_are_refused_unread(
    wa: Harness, store: Store, signature: str | None, status: int
) -> None:
    r = await wa.post(payload("text", wa.clock), signature=signature)
    assert r.status_code == status
    await wa.channel.drain()
    assert wa.seen == [] and wa.graph.sent == []
    async with store.transaction() as tx:
        assert await tx.user("whatsapp", USER) is None


async def test_a_signature_of_another_body_is_refused(wa: Harness) -> None:
    from bot.whatsapp_webhook import sign

    good = json.dumps(payload("text", wa.clock)).encode()
    tampered = good.replace(b'"help"', b'"hack"')
    r = await wa.post(tampered, signature=sign("test-app-secret", good))
    assert r.status_code == 403
    await wa.channel.drain()
    assert wa.seen == []


async def test_signed_garbage_gets_400_and_nothing_runs(wa: Harness) -> None:
    r = await wa.post(b"{not json")
    assert r.status_code == 400
    await wa.channel.drain()
    assert wa.seen == []


# recorded payloads -------------------------------------------------------------------
async def test_text_message_is_answered_through_the_graph_api(wa: Harness, store: Store) -> None:
    await wa.deliver(payload("text", wa.clock))
    assert [(i.kind, i.text, i.display_name) for i in wa.seen] == [
        (Kind.TEXT, "help", "Sheena Nelson")]
    assert wa.seen[0].message_id.startswith("wamid.")
    sent = wa.graph.messages_to(USER)
    assert len(sent) == 1
    assert sent[0].path.endswith(f"/{PHONE_ID}/messages")
    assert sent[0].authorization == f"Bearer {TOKEN}"
    assert sent[0].body["messaging_product"] == "whatsapp"
    assert bodies(wa.graph) == [texts.HELP]  # WhatsApp markup: *bold* kept as is
    async with store.transaction() as tx:
        user = await tx.user("whatsapp", USER)
    assert user is not None and user.last_inbound_at == wa.clock()


@pytest.mark.parametrize("name,choice_id,label", [
    ("button_reply", "running:regular", "Yes, regularly"),
    ("list_reply", "days:4", "4 days a week"),
    ("template_button", "done", "Done"),
])
async def test_button_list_and_template_replies_become_choices(
    wa: Harness, name: str, choice_id: str, label: str
) -> None:
    await wa.deliver(payload(name, wa.clock))
    assert len(wa.seen) == 1
    seen = wa.seen[0]
    assert (seen.kind, seen.choice_id, seen.text, seen.user_key) == (
        Kind.CHOICE, choice_id, label, USER)
    assert len(wa.graph.messages_to(USER)) == 1  # answered


async def test_statuses_are_never_answered(wa: Harness, caplog: pytest.LogCaptureFixture
                                           ) -> None:
    caplog.set_level(logging.DEBUG)
    await wa.deliver(payload("status"))
    assert wa.seen == [] and wa.graph.sent == []
    assert any("131047" in r.getMessage() for r in caplog.records)


async def test_a_batch_is_handled_per_user_in_order(wa: Harness) -> None:
    await wa.deliver(payload("batch", wa.clock))
    mine = [(i.kind, i.text) for i in wa.seen if i.user_key == USER]
    assert mine == [(Kind.TEXT, "help"), (Kind.PHOTO, "my boots"), (Kind.VOICE, ""),
                    (Kind.OTHER, "")]
    theirs = [(i.kind, i.display_name) for i in wa.seen if i.user_key == "919876543210"]
    assert theirs == [(Kind.STICKER, "Ravi Kumar")]
    assert bodies(wa.graph) == [texts.HELP, texts.NOT_TEXT, texts.NOT_TEXT, texts.NOT_TEXT]
    assert bodies(wa.graph, "919876543210") == [texts.NOT_TEXT]


async def test_a_redelivered_message_is_answered_once(wa: Harness) -> None:
    body = payload("text", wa.clock)
    await wa.deliver(body)
    await wa.deliver(body)
    assert len(wa.graph.messages_to(USER)) == 1


async def test_redelivery_to_another_instance_on_the_same_database_is_dropped(
    tmp_path, clock: FakeClock, graph: FakeGraphAPI
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    first, second = Store(url), Store(url)
    await first.start()
    await second.start()
    a = make_channel(first, clock, graph)
    b = make_channel(second, clock, graph)  # a second process, or the first after a restart
    body = payload("button_reply", clock)
    try:
        async with web_client(a) as web_a, web_client(b) as web_b:
            await Harness(a, graph, clock, web_a).deliver(body)
            await Harness(b, graph, clock, web_b).deliver(body)
    finally:
        await a.stop()
        await b.stop()
        await first.close()
        await second.close()
    assert len(graph.messages_to(USER)) == 1


@pytest.mark.parametrize("word", ["menu", "Help", "MENU!"])
async def test_plain_help_and_menu_work_without_a_slash(
    wa: Harness, store: Store, word: str
) -> None:
    async with store.transaction() as tx:
        user = await tx.get_or_create_user("whatsapp", USER)
        user.state = "active"
    await wa.deliver(text_message(word, "wamid.MENU1", wa.clock))
    assert bodies(wa.graph) == [daily_texts.HELP]


async def test_the_answer_comes_before_the_work_and_stop_waits_for_it(
    store: Store, clock: FakeClock, graph: FakeGraphAPI
) -> None:
    release = asyncio.Event()
    engine = Engine(store, clock)

    async def slow(incoming: Incoming) -> list[Outgoing]:
        await release.wait()
        return await engine.handle(incoming)

    channel = make_channel(store, clock, graph, handle=slow)
    async with web_client(channel) as web:
        response = await Harness(channel, graph, clock, web).post(payload("text", clock))
        assert response.status_code == 200
        assert graph.sent == []  # answered before the reply was even worked out
        stopping = asyncio.create_task(channel.stop())
        await asyncio.sleep(0.05)
        assert not stopping.done()
        release.set()
        await stopping
    assert len(graph.messages_to(USER)) == 1


async def test_one_persons_messages_from_separate_posts_run_in_order(wa: Harness) -> None:
    for n in range(5):
        r = await wa.post(text_message(f"msg {n}", f"wamid.ORDER{n}", wa.clock))
        assert r.status_code == 200
    await wa.channel.drain()
    assert [i.text for i in wa.seen] == [f"msg {n}" for n in range(5)]


async def test_info_logs_hold_no_token_and_no_message_text(
    wa: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await wa.deliver(text_message("my secret knee story", "wamid.LOG1", wa.clock))
    wa.graph.fail(190)
    await wa.deliver(text_message("second secret", "wamid.LOG2", wa.clock))
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "190" in logged  # the expired token is reported loudly...
    assert TOKEN not in logged and "secret" not in logged  # ...without the token or texts
    assert texts.HELP[:30] not in logged


async def test_a_failed_status_for_an_undeliverable_message_marks_the_user(
    wa: Harness, store: Store
) -> None:
    async with store.transaction() as tx:
        user = await tx.get_or_create_user("whatsapp", USER)
        user.status = "active"
    body = payload("status")
    body["entry"][0]["changes"][0]["value"]["statuses"][1]["errors"][0]["code"] = 131026
    await wa.deliver(body)
    assert wa.graph.sent == []
    async with store.transaction() as tx:
        user = await tx.user("whatsapp", USER)
    assert user is not None and user.status == "unreachable"


async def test_a_delivered_status_changes_nothing(wa: Harness, store: Store) -> None:
    async with store.transaction() as tx:
        user = await tx.get_or_create_user("whatsapp", USER)
        user.status = "active"
    await wa.deliver(payload("status"))  # delivered + failed with 131047 (window closed)
    async with store.transaction() as tx:
        user = await tx.user("whatsapp", USER)
    assert user is not None and user.status == "active"


@pytest.mark.parametrize("body", [
    {"entry": ["not an object"]},
    {"entry": [{"changes": [{"field": "messages", "value": ["x"]}]}]},
    {"entry": [{"changes": [{"field": "messages", "value": {
        "contacts": [{"wa_id": USER, "profile": "Ana"}],
        "messages": [{"from": USER, "id": "wamid.odd1", "type": "text", "text": "hi"}]}}]}]},
    {"entry": [{"changes": [{"field": "messages", "value": {
        "messages": [{"from": USER, "id": "wamid.odd2", "type": "interactive",
                      "interactive": "x"},
                     {"from": USER, "id": "wamid.odd3", "type": "button", "button": 7}],
        "statuses": [{"id": "w", "status": "failed", "errors": "x"}]}}]}]},
])
async def test_a_signed_body_of_an_unexpected_shape_is_acknowledged_not_a_500(
    wa: Harness, body: dict
) -> None:
    r = await wa.post(body)
    assert r.status_code == 200
    await wa.channel.drain()


async def test_an_unsigned_post_is_refused_before_its_body_is_read(wa: Harness) -> None:
    pulled: list[int] = []

    async def body() -> AsyncIterator[bytes]:
        pulled.append(1)
        yield json.dumps(payload("text", wa.clock)).encode()

    r = await wa.web.post(PATH, content=body())
    assert r.status_code == 401 and pulled == []


async def test_a_chunked_body_over_the_limit_is_refused_without_buffering_it(
    wa: Harness
) -> None:
    from bot.whatsapp import MAX_BODY
    from bot.whatsapp_webhook import sign

    raw = b'{"entry": [], "pad": "' + b"x" * MAX_BODY + b'"}'

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: sent chunked
        for start in range(0, len(raw), 64_000):
            yield raw[start:start + 64_000]

    r = await wa.web.post(PATH, content=chunks(),
                          headers={"x-hub-signature-256": sign("test-app-secret", raw)})
    assert r.status_code == 413
    await wa.channel.drain()
    assert wa.seen == []
