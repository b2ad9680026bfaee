"""The SQLite driver set-up: one hand-over to the connection's thread per statement, the loop
never waits for another writer's lock, and a failed statement leaves no lock behind."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import aiosqlite
import pytest
from sqlalchemy.exc import IntegrityError

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import LoggedSession, Store
from tests.conversations.daily_support import Chat, logs, onboarded

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path) -> Any:
    s = Store(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    await s.start()
    yield s
    await s.close()


async def test_a_daily_message_takes_few_hand_overs(store: Store, monkeypatch) -> None:
    """Each hand-over to SQLite's thread wakes it and then the event loop; plain aiosqlite
    under SQLAlchemy made about four per statement (16 for "today", 30 for "done")."""
    calls = 0
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kw: Any) -> Any:
        nonlocal calls
        calls += 1
        return await real(self, fn, *args, **kw)

    clock = FakeClock(NOW)
    await onboarded(store)
    chat = Chat(Engine(store, clock), clock)
    await chat.say("today")  # the pool's connection is open from here on
    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    seen = {}
    for text in ["today", "should I run today?", "done 30 minutes", "progress"]:
        calls = 0
        reply = await chat.say(text)
        assert reply
        seen[text] = calls
    # today: BEGIN IMMEDIATE, mark the message, read user and log, save the user, queue the
    # reply in the outbox, commit
    assert seen["today"] <= 6, seen
    assert seen["should I run today?"] <= 6, seen
    assert seen["done 30 minutes"] <= 10, seen
    assert sum(seen.values()) <= 28, seen


async def test_the_loop_runs_while_another_store_holds_the_write_lock(store: Store) -> None:
    """Two Stores on one file: while one holds SQLite's write lock, the other's writer
    waits in its connection's thread, not in the event loop, and lands after the commit."""
    other = Store(store.url)
    await other.start(migrate=False)
    holding, release = asyncio.Event(), asyncio.Event()
    ticks = 0

    async def first() -> None:
        async with store.transaction() as tx:
            await tx.get_or_create_user("terminal", "a")
            await tx.session.flush()  # the write lock is taken here
            holding.set()
            await release.wait()

    async def second() -> None:
        await holding.wait()
        async with other.transaction() as tx:
            await tx.get_or_create_user("terminal", "b")

    async def ticker() -> None:
        nonlocal ticks
        await holding.wait()
        while ticks < 50:  # the loop keeps running while `second` waits for the lock
            ticks += 1
            await asyncio.sleep(0)
        release.set()

    try:
        await asyncio.wait_for(asyncio.gather(first(), second(), ticker()), timeout=30)
    finally:
        await other.close()
    assert ticks == 50
    async with store.transaction() as tx:
        assert await tx.user("terminal", "a") is not None
        assert await tx.user("terminal", "b") is not None


async def test_a_failed_first_statement_leaves_no_lock(store: Store) -> None:
    """A transaction whose first write fails is rolled back, so its connection holds no
    write lock when it goes back to the pool: another Store can write at once."""
    with pytest.raises(IntegrityError):
        async with store.transaction() as tx:
            tx.session.add(LoggedSession(user_id=999, day=date(2026, 12, 1), kind="done"))
            await tx.session.flush()  # no such user: the foreign key fails
    other = Store(store.url)
    await other.start(migrate=False)
    try:
        async def write() -> None:
            async with other.transaction() as tx:
                await tx.get_or_create_user("terminal", "b")

        await asyncio.wait_for(write(), timeout=5)  # SQLite's busy timeout is 10 s
    finally:
        await other.close()


async def test_logs_written_in_a_step_are_read_back_in_day_order(store: Store) -> None:
    uid = await onboarded(store)
    async with store.transaction() as tx:
        assert list(await tx.logs(uid)) == []
        await tx.log(uid, date(2026, 12, 3), "done")
        await tx.log(uid, date(2026, 12, 1), "skipped")
        assert [r.day.day for r in await tx.logs(uid)] == [1, 3]
        skipped = (await tx.logs(uid))[0]
        await tx.unlog(skipped)
        assert [r.kind for r in await tx.logs(uid)] == ["done"]
    assert [r.kind for r in await logs(store, uid)] == ["done"]


async def test_a_write_statement_outside_the_log_verbs_is_seen(store: Store) -> None:
    from sqlalchemy import delete, insert

    uid = await onboarded(store)
    table = LoggedSession.__table__
    async with store.transaction() as tx:
        assert list(await tx.logs(uid)) == []
        await tx.session.execute(insert(table).values(user_id=uid, day=date(2026, 12, 2),
                                                      kind="done"))
        assert [r.kind for r in await tx.logs(uid)] == ["done"]
        await tx.session.execute(delete(table).where(table.c.user_id == uid))
        assert list(await tx.logs(uid)) == []


async def test_the_user_and_their_log_come_in_one_read(store: Store) -> None:
    uid = await onboarded(store)
    async with store.transaction() as tx:
        await tx.log(uid, date(2026, 12, 2), "done")
        await tx.log(uid, date(2026, 12, 1), "done")
    async with store.transaction() as tx:
        user = await tx.get_or_create_user("terminal", "ann", with_logs=True)
        assert user.id == uid
        assert [r.day.day for r in await tx.logs(uid)] == [1, 2]
        new = await tx.get_or_create_user("terminal", "bob", with_logs=True)
        assert list(await tx.logs(new.id)) == []
