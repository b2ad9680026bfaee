"""Batched outbox work: a claim limited to some chats, a batch of rows ended in one
transaction, and a dispatcher that records sends finishing together in one transaction
(keeping each chat's order and its one row in flight)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.clock import FakeClock
from bot.dispatch import Dispatcher, Options
from conversations.messages import FORGET, Outgoing
from storage import Store
from storage.db import Tx
from storage.models import OutboxMessage
from storage.outbox import OutboxKind, OutboxStatus

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


async def put(store: Store, key: str, *messages: Outgoing) -> None:
    async with store.transaction() as tx:
        await tx.enqueue("telegram", key, list(messages), kind=OutboxKind.REPLY, now=NOW)


async def statuses(store: Store) -> list[tuple[str, str, str | None, bool]]:
    async with store.transaction() as tx:
        found = (await tx.session.execute(
            select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        return [(r.payload[0]["text"], r.status, r.error, r.sent_at is not None)
                for r in found]


async def test_a_claim_for_some_chats_takes_only_their_oldest_rows(any_store: Store) -> None:
    for key in "123":
        await put(any_store, key, Outgoing(f"{key}a"), Outgoing(f"{key}b"))
    async with any_store.transaction() as tx:
        got = await tx.claim_outbox("telegram", NOW, LEASE, 10, user_keys=["1", "3"])
        assert await tx.claim_outbox("telegram", NOW, LEASE, 10, user_keys=[]) == []
    assert [q.messages[0].text for q in got] == ["1a", "3a"]


async def test_a_batch_of_rows_ends_in_one_call(any_store: Store) -> None:
    await put(any_store, "1", Outgoing("sent"), Outgoing("next"))
    await put(any_store, "2", Outgoing("blocked"))
    await put(any_store, "3", Outgoing("bye", meta={FORGET: True}))
    await put(any_store, "4", Outgoing("unsure"))
    async with any_store.transaction() as tx:
        one, two, three, four = await tx.claim_outbox("telegram", NOW, LEASE, 10)
        await tx.finish_outbox_many([(one, OutboxStatus.SENT, None),
                                     (two, OutboxStatus.FAILED, "blocked"),
                                     (three, OutboxStatus.SENT, None),
                                     (four, OutboxStatus.SENT, "unconfirmed")], NOW)
    assert await statuses(any_store) == [
        ("sent", "sent", None, True), ("next", "pending", None, False),
        ("blocked", "failed", "blocked", False), ("unsure", "sent", "unconfirmed", True)]
    async with any_store.transaction() as tx:  # the chat's next row is free to go
        [following] = await tx.claim_outbox("telegram", NOW, LEASE, 10)
    assert following.messages[0].text == "next"


class CountingStore(Store):
    """A store that counts its transactions."""

    count = 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        self.count += 1
        async with super().transaction() as tx:
            yield tx


class HeldSender:
    """Sends nothing until `release`; records what was sent, per chat."""

    def __init__(self, chats: int) -> None:
        self.chats = chats
        self.all_out = asyncio.Event()  # a send of every chat is under way
        self.sent: dict[str, list[str]] = {}
        self.gate = asyncio.Event()
        self.in_flight: dict[str, int] = {}
        self.most_in_flight = 0

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        self.in_flight[user_key] = self.in_flight.get(user_key, 0) + 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight[user_key])
        if sum(self.in_flight.values()) >= self.chats:
            self.all_out.set()
        await self.gate.wait()
        self.sent.setdefault(user_key, []).extend(m.text for m in messages)
        self.in_flight[user_key] -= 1


async def test_sends_that_finish_together_are_recorded_together(tmp_path: object) -> None:
    store = CountingStore(f"sqlite+aiosqlite:///{tmp_path}/test.db")
    await store.start()
    try:
        for chat in range(20):
            await put(store, str(chat), *(Outgoing(f"{chat}:{n}") for n in range(3)))
        sender = HeldSender(20)
        dispatcher = Dispatcher(store, FakeClock(NOW), "telegram", sender, Options())
        before = store.count
        draining = asyncio.create_task(dispatcher.drain())
        await asyncio.wait_for(sender.all_out.wait(), 10)
        sender.gate.set()
        report = await draining
        assert report.sent == 60
        assert sender.sent == {str(c): [f"{c}:{n}" for n in range(3)] for c in range(20)}
        assert sender.most_in_flight == 1
        # a claim, then far fewer than one transaction per row for the outcomes
        assert store.count - before < 20
    finally:
        await store.close()
