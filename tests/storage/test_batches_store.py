"""Batch queries on SQLite and PostgreSQL: one-time invites, members gone with the user,
broadcast copies claimed once, alerts recorded once, one signing key."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from storage import Store
from storage import batches as q

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def people(store: Store, n: int) -> list[int]:
    async with store.transaction() as tx:
        return [(await tx.get_or_create_user("telegram", str(k), f"P{k}")).id for k in range(n)]


async def test_an_invite_signs_in_once_even_when_raced(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        batch = await q.create_batch(tx, "Everest Base Camp", date(2027, 3, 20), "difficult")
        leader = await q.leader_for(tx, "Asha")
        await q.give_batch(tx, leader.id, batch.id)
        await q.give_batch(tx, leader.id, batch.id)  # twice: still one
        await q.create_invite(tx, leader.id, "h1", NOW + timedelta(hours=24))
        await q.create_invite(tx, leader.id, "h2", NOW + timedelta(hours=1))

    async def spend(token: str, at: datetime) -> int | None:
        async with any_store.transaction() as tx:
            return await q.use_invite(tx, token, at)

    results = await asyncio.gather(*(spend("h1", NOW) for _ in range(4)))
    assert sorted(r is not None for r in results) == [False, False, False, True]
    assert await spend("h2", NOW + timedelta(hours=2)) is None  # expired
    assert await spend("nope", NOW) is None
    async with any_store.transaction() as tx:
        assert [b.code for b in await q.leader_batches(tx, leader.id)] == [batch.code]
        assert batch.code.startswith("EVEREST-")


async def test_members_leave_with_the_user_and_copies_are_claimed_once(any_store: Store
                                                                       ) -> None:
    ids = await people(any_store, 3)
    async with any_store.transaction() as tx:
        batch = await q.create_batch(tx, "Kedarkantha", date(2027, 1, 20), "easy")
        for uid in ids:
            await q.join(tx, uid, batch, NOW)
        assert await q.create_broadcast(tx, batch.id, None, "hello", NOW, "n1") == 3
        assert await q.create_broadcast(tx, batch.id, None, "hello", NOW, "n1") is None
    async with any_store.transaction() as tx:
        await tx.delete_user(ids[0])
    async with any_store.transaction() as tx:
        assert len(await q.members(tx, batch.id)) == 2
        first = await q.claim_sends(tx, NOW, timedelta(minutes=5))
    assert sorted(s.user_id for s in first) == ids[1:]
    async with any_store.transaction() as tx:
        assert await q.claim_sends(tx, NOW + timedelta(minutes=1), timedelta(minutes=5)) == []
        await q.mark_send(tx, first[0].id, q.SendStatus.SENT, NOW)
    async with any_store.transaction() as tx:  # the unmarked copy comes back after the lease
        again = await q.claim_sends(tx, NOW + timedelta(minutes=6), timedelta(minutes=5))
        assert [s.id for s in again] == [first[1].id]
        assert await q.leave(tx, ids[1]) and not await q.leave(tx, ids[1])


async def test_an_alert_is_recorded_once_and_the_key_is_shared(any_store: Store) -> None:
    [uid] = await people(any_store, 1)
    async with any_store.transaction() as tx:
        leader = await q.leader_for(tx, "Asha")
        assert await q.claim_alert(tx, leader.id, uid, "pain", "7", NOW)
        assert not await q.claim_alert(tx, leader.id, uid, "pain", "7", NOW)
        key = await q.web_secret(tx)
    async with any_store.transaction() as tx:
        assert await q.web_secret(tx) == key and len(key) > 40
