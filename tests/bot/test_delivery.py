"""Delivery through the outbox over real HTTP against the fake Bot API and Graph API: a send
outage, answers that come late, a blocked person, a prompt gone stale; and two dispatchers
on one database (SQLite and PostgreSQL) never sending a row twice or out of order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import metrics
from bot.clock import FakeClock
from bot.dispatch import Dispatcher, Options
from bot.scheduler import Scheduler
from bot.telegram import TelegramChannel
from bot.telegram_send import Limits
from conversations.engine import Engine
from conversations.messages import Incoming, Outgoing
from storage import SentPrompt, Store, UserStatus
from storage.models import OutboxMessage
from tests.bot.queueing import queueing
from tests.bot.test_scheduler import add_user
from tests.bot.whatsapp_harness import USER, Harness, make_channel, payload, web_client
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.telegram_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FAST = Options(poll_seconds=0.02, backoff_seconds=1.0, max_backoff_seconds=4.0,
               resend_after_seconds=5.0)
WAIT = 10.0  # seconds: a safety net for waits that should end at once


async def _no_wait(_seconds: float) -> None:
    return None


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@asynccontextmanager
async def telegram(api: FakeBotApi, store: Store, clock: FakeClock, handle: Any = None,
                   read_timeout: float = 60.0) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel(
        api.token, handle or Engine(store, clock).handle, store, clock,
        base_url=api.base_url, poll_timeout=5, read_timeout=read_timeout, dispatch=FAST,
        # one attempt per call: the outbox does the retrying
        limits=Limits(overall_per_second=0, chat_per_second=0, max_attempts=1,
                      sleep=_no_wait))
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop()


async def outbox_rows(store: Store) -> list[OutboxMessage]:
    async with store.transaction() as tx:
        return list((await tx.session.execute(
            select(OutboxMessage).order_by(OutboxMessage.id))).scalars())


def counter(family: Any, *labels: str) -> float:
    return float(family.labels(*labels)._value.get())


class Echo:
    """A handle answering each message with two replies naming it; counts what it handled."""

    def __init__(self, expected: int) -> None:
        self.handled = 0
        self.expected = expected
        self.all_in = asyncio.Event()

    async def __call__(self, incoming: Incoming) -> list[Outgoing]:
        self.handled += 1
        if self.handled >= self.expected:
            self.all_in.set()
        return [Outgoing(f"re {incoming.text}"), Outgoing(f"re2 {incoming.text}")]


async def test_replies_made_during_a_send_outage_all_arrive_after_it_once_in_order(
        api: FakeBotApi, store: Store, clock: FakeClock) -> None:
    chats = [7001 + n for n in range(6)]
    echo = Echo(expected=len(chats) * 3)
    api.down["sendMessage"] = 502
    async with telegram(api, store, clock, queueing(store, clock, echo)) as channel:
        for n in range(3):
            for chat in chats:
                await api.say(chat, f"m{n}")
        await asyncio.wait_for(echo.all_in.wait(), WAIT)
        for _ in range(20):  # 20 s of outage on the fake clock, the dispatcher retrying
            clock.advance(timedelta(seconds=1))
            await channel.dispatcher.drain()
        failed_calls = len(api.called("sendMessage"))
        assert api.sent() == [] and failed_calls >= len(chats) * 4  # each chat retried
        del api.down["sendMessage"]
        for _ in range(10):
            clock.advance(timedelta(seconds=1))
            await channel.dispatcher.drain()
        await api.wait_sent(len(chats) * 6)
    for chat in chats:
        assert [c.params["text"] for c in api.sent(chat)] == [
            f"{p} m{n}" for n in range(3) for p in ("re", "re2")]
    assert {r.status for r in await outbox_rows(store)} == {"sent"}


async def test_a_late_answer_gives_at_most_two_copies_and_counts_the_resend(
        api: FakeBotApi, store: Store, clock: FakeClock) -> None:
    echo = Echo(expected=1)
    before = counter(metrics.RESENT, "telegram", "reply")
    async with telegram(api, store, clock, queueing(store, clock, echo),
                        read_timeout=0.3) as channel:
        api.answer_late("sendMessage", 1.0, times=3)  # delivered, answered too late
        await api.say(7001, "hello")
        await asyncio.wait_for(echo.all_in.wait(), WAIT)
        await channel.dispatcher.drain()
        assert [c.params["text"] for c in api.sent(7001)] == ["re hello"]
        clock.advance(timedelta(seconds=5))  # the resend, once
        await channel.dispatcher.drain()
        clock.advance(timedelta(seconds=5))
        await channel.dispatcher.drain()
        await api.wait_sent(3)
    # "re hello" timed out twice: sent twice, then taken as delivered; "re2 hello" timed
    # out once and its resend was answered in time.
    assert [c.params["text"] for c in api.sent(7001)] == [
        "re hello", "re hello", "re2 hello", "re2 hello"]
    assert counter(metrics.RESENT, "telegram", "reply") - before == 2
    assert [(r.status, r.resends) for r in await outbox_rows(store)] == [
        ("sent", 1), ("sent", 1)]


async def test_a_blocked_persons_rows_end_and_they_are_marked_blocked(
        api: FakeBotApi, store: Store, clock: FakeClock) -> None:
    async with telegram(api, store, clock) as channel:
        await api.say(7001, "/start")
        await api.wait_sent(1)
        await channel.dispatcher.drain()
        before = len(await outbox_rows(store))
        api.fail("sendMessage", 403)
        async with store.transaction() as tx:  # three messages on their way
            await tx.enqueue("telegram", "7001", [Outgoing(f"n{n}") for n in range(3)],
                             kind="reply", now=clock())
        await channel.dispatcher.drain()
        calls = len(api.called("sendMessage"))
    rows = (await outbox_rows(store))[before:]
    assert [r.status for r in rows] == ["failed"] * 3
    assert [c.params.get("text") for c in api.called("sendMessage")][-1] == "n0"
    assert calls == len(api.sent()) + 1  # n0 refused; n1 and n2 never tried
    async with store.transaction() as tx:
        user = await tx.user("telegram", "7001")
    assert user is not None and user.status == UserStatus.BLOCKED


async def test_a_morning_prompt_not_sent_within_its_grace_window_is_dropped_as_stale(
        api: FakeBotApi, store: Store) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    await add_user(store, "7001", "UTC", 7 * 60, clock(), channel="telegram")
    before = counter(metrics.STALE, "telegram", "prompt")
    api.down["sendMessage"] = 502
    async with telegram(api, store, clock) as channel:
        sched = Scheduler(store, clock, {"telegram": channel},
                          dispatchers={"telegram": channel.dispatcher})
        clock.advance_to(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
        assert (await sched.tick()).claimed == 1
        while clock() < datetime(2026, 12, 1, 10, 5, tzinfo=UTC):
            clock.advance(timedelta(minutes=5))
            await channel.dispatcher.drain()
        del api.down["sendMessage"]
        clock.advance(timedelta(minutes=5))
        await channel.dispatcher.drain()
    assert api.sent() == []
    [row] = await outbox_rows(store)
    assert (row.kind, row.status) == ("prompt", "stale")
    async with store.transaction() as tx:
        [claim] = (await tx.session.execute(select(SentPrompt))).scalars()
    assert claim.status == "expired"
    assert counter(metrics.STALE, "telegram", "prompt") - before == 1


async def test_a_whatsapp_number_that_cannot_be_reached_ends_its_rows_and_is_marked(
        store: Store, clock: FakeClock, graph: FakeGraphAPI) -> None:
    channel = make_channel(store, clock, graph)
    graph.fail(131026)
    async with web_client(channel) as web:
        await Harness(channel, graph, clock, web).deliver(payload("text", clock))
    await channel.stop()
    rows = await outbox_rows(store)
    assert rows and {r.status for r in rows} == {"failed"}
    assert len(graph.sent) == 1  # the rest of the reply was not tried
    async with store.transaction() as tx:
        user = await tx.user("whatsapp", USER)
    assert user is not None and user.status == UserStatus.UNREACHABLE


class Wire:
    """A sender shared by two dispatchers: records each row's text and who sent it."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        await asyncio.sleep(0)  # in flight: the other dispatcher gets its turn
        self.sent.extend((user_key, m.text) for m in messages)


async def test_two_dispatchers_on_one_database_send_each_row_once_and_in_order(
        any_store: Store, clock: FakeClock) -> None:
    async with any_store.transaction() as tx:
        for n in range(4):
            for chat in range(30):
                await tx.enqueue("telegram", str(chat), [Outgoing(f"{chat}:{n}")],
                                 kind="reply", now=clock())
    other = Store(any_store.url)  # a second instance
    wire = Wire()
    try:
        a = Dispatcher(any_store, clock, "telegram", wire, Options(concurrency=8, batch=5))
        b = Dispatcher(other, clock, "telegram", wire, Options(concurrency=8, batch=5))
        await asyncio.gather(a.drain(), b.drain(), a.drain(), b.drain())
    finally:
        await other.close()
    assert len(wire.sent) == len(set(wire.sent)) == 120
    for chat in range(30):
        assert [t for k, t in wire.sent if k == str(chat)] == [f"{chat}:{n}" for n in range(4)]
    assert a.report.sent > 0 and b.report.sent > 0


async def test_the_tick_prunes_sent_rows_after_the_retention(store: Store,
                                                             clock: FakeClock) -> None:
    wire = Wire()
    async with store.transaction() as tx:
        await tx.enqueue("telegram", "1", [Outgoing("old")], kind="reply", now=clock())
    sched = Scheduler(store, clock, {"telegram": wire}, retention=timedelta(days=7))
    await sched.tick()  # sends it (no running dispatcher: the tick drains)
    async with store.transaction() as tx:
        await tx.enqueue("other", "2", [Outgoing("waiting")], kind="reply", now=clock())
    clock.advance(timedelta(days=6))
    await sched.tick()
    assert [r.status for r in await outbox_rows(store)] == ["sent", "pending"]
    clock.advance(timedelta(days=2))
    await sched.tick()
    assert [r.payload[0]["text"] for r in await outbox_rows(store)] == ["waiting"]
    assert wire.sent == [("1", "old")]


async def test_a_prompt_found_after_its_grace_window_is_not_sent(store: Store,
                                                                 clock: FakeClock) -> None:
    wire = Wire()
    async with store.transaction() as tx:
        await tx.enqueue("telegram", "1", [Outgoing("Good morning")], kind="prompt",
                         now=clock(), not_after=clock() + timedelta(hours=3))
    clock.advance(timedelta(hours=3, minutes=1))  # the bot was down all that time
    report = await Dispatcher(store, clock, "telegram", wire).drain()
    assert (report.stale, report.sent, wire.sent) == (1, 0, [])
