"""The outbox table through `Tx`: whole messages stored, per-chat order, leases, two
claimers on PostgreSQL, pruning; and the engine queues its replies in the step."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.messages import Attachment, Choice, Incoming, Outgoing
from storage import Store
from storage import outbox as ob
from storage.models import OutboxMessage
from storage.outbox import OutboxKind, OutboxStatus

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


async def put(store: Store, key: str, *texts: str, kind: str = OutboxKind.REPLY,
              channel: str = "telegram") -> None:
    async with store.transaction() as tx:
        await tx.enqueue(channel, key, [Outgoing(t) for t in texts], kind=kind, now=NOW)


async def claim(store: Store, at: datetime = NOW, limit: int = 100,
                channel: str = "telegram") -> list[ob.Queued]:
    async with store.transaction() as tx:
        return await tx.claim_outbox(channel, at, LEASE, limit)


async def rows(store: Store) -> list[OutboxMessage]:
    async with store.transaction() as tx:
        return list((await tx.session.execute(
            select(OutboxMessage).order_by(OutboxMessage.id))).scalars())


async def test_a_message_comes_back_whole(any_store: Store) -> None:
    message = Outgoing("*Hi* there", (Choice("a:1", "One"), Choice("b", "Two")),
                       Attachment("chart.png", b"\x89PNG\x00\xff", "image/png", True),
                       {"k": "v"})
    async with any_store.transaction() as tx:
        await tx.enqueue("whatsapp", "4915", [message], kind=OutboxKind.REPLY, now=NOW)
    [item] = await claim(any_store, channel="whatsapp")
    assert item.messages == [message] and item.messages[0].meta == {"k": "v"}
    assert (item.channel, item.user_key, item.kind, item.attempts) == (
        "whatsapp", "4915", "reply", 1)


async def test_only_the_oldest_unsent_row_of_a_chat_is_claimed(any_store: Store) -> None:
    await put(any_store, "1", "a1", "a2", "a3")
    await put(any_store, "2", "b1")
    first = await claim(any_store)
    assert [(q.user_key, q.messages[0].text) for q in first] == [("1", "a1"), ("2", "b1")]
    assert await claim(any_store) == []  # held under the lease; a2 waits behind a1
    async with any_store.transaction() as tx:
        await tx.retry_outbox(first[0], NOW + timedelta(seconds=30), "NetworkError")
        await tx.finish_outbox(first[1], OutboxStatus.SENT, NOW)
    assert await claim(any_store) == []  # a1 waits for its retry, and a2 behind it
    again = await claim(any_store, NOW + timedelta(seconds=30))
    assert [(q.messages[0].text, q.attempts) for q in again] == [("a1", 2)]
    async with any_store.transaction() as tx:
        await tx.finish_outbox(again[0], OutboxStatus.SENT, NOW)
    assert [q.messages[0].text for q in await claim(any_store, NOW + timedelta(seconds=31))
            ] == ["a2"]


async def test_a_lease_that_runs_out_gives_the_row_back(any_store: Store) -> None:
    await put(any_store, "1", "a1")
    assert len(await claim(any_store)) == 1
    assert await claim(any_store, NOW + LEASE - timedelta(seconds=1)) == []
    [back] = await claim(any_store, NOW + LEASE + timedelta(seconds=1))
    assert back.attempts == 2


async def test_two_instances_claiming_at_once_never_take_a_row_twice(any_store: Store
                                                                     ) -> None:
    for n in range(60):
        await put(any_store, str(n), f"m{n}")
    other = Store(any_store.url)  # a second instance on the same database
    ids: list[int] = []
    try:
        while True:
            got = await asyncio.gather(*(claim(s, limit=7) for s in [any_store, other] * 3))
            if not any(got):
                break
            ids += [q.id for batch in got for q in batch]
    finally:
        await other.close()
    assert len(ids) == len(set(ids)) == 60


async def test_finished_rows_are_pruned_after_the_retention(any_store: Store) -> None:
    await put(any_store, "1", "old")
    await put(any_store, "2", "waiting")
    [old, _] = await claim(any_store)
    async with any_store.transaction() as tx:
        await tx.finish_outbox(old, OutboxStatus.SENT, NOW)
        assert await ob.prune(tx.session, NOW + timedelta(days=7)) == 1
        depth = await ob.stats(tx.session, NOW + timedelta(seconds=90))
    assert [r.payload[0]["text"] for r in await rows(any_store)] == ["waiting"]
    assert depth == {"telegram": (1, 90.0)}


async def test_the_engine_queues_its_replies_in_the_step(any_store: Store) -> None:
    clock = FakeClock(NOW)
    engine = Engine(any_store, clock)
    replies = await engine.handle(Incoming("telegram", "42", NOW, "/start", message_id="m1"))
    assert replies
    assert [r.payload for r in await rows(any_store)] == [ob.dump([m]) for m in replies]
    # A redelivery: no new step, no new rows.
    assert await engine.handle(Incoming("telegram", "42", NOW, "/start", message_id="m1")
                               ) == []
    assert len(await rows(any_store)) == len(replies)


async def test_a_failed_step_queues_no_reply_but_the_apology(store: Store,
                                                            monkeypatch) -> None:
    import conversations.engine as engine_module

    async def broken(turn: object) -> list[Outgoing]:
        async with turn.tx.session.begin_nested():  # type: ignore[attr-defined]
            pass
        await turn.tx.enqueue("telegram", "42", [Outgoing("half")],  # type: ignore[attr-defined]
                              kind=OutboxKind.REPLY, now=NOW)
        raise RuntimeError("bug")

    monkeypatch.setattr(engine_module, "dispatch", broken)
    replies = await Engine(store, FakeClock(NOW)).handle(Incoming("telegram", "42", NOW, "hi"))
    from conversations import texts
    assert [r.payload[0]["text"] for r in await rows(store)] == [texts.SORRY]
    assert replies == [Outgoing(texts.SORRY)]
    async with store.transaction() as tx:
        assert (await tx.session.execute(select(func.count()).select_from(
            OutboxMessage))).scalar() == 1
