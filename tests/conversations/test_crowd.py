"""A crowd at once: every message waits for its turn holding no connection, and gets an answer.

On PostgreSQL and SQLite, with a pool far smaller than the crowd and a pool timeout of one
second: a message takes a connection only when its turn comes (after the per-user lock and
in the store's line), so the pool is never exhausted and nobody gets the apology.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event

from bot.clock import FakeClock
from conversations import texts
from conversations.engine import Engine
from conversations.messages import Incoming
from storage import Store
from tests.conftest import _drop_pg_database, _pg_database

POOL = 3


class Checkouts:
    """The most connections checked out of the pool at once."""

    def __init__(self, store: Store) -> None:
        self.now = self.most = 0
        event.listen(store.engine.sync_engine, "checkout", self._out)
        event.listen(store.engine.sync_engine, "checkin", self._in)

    def _out(self, *_: Any) -> None:
        self.now += 1
        self.most = max(self.most, self.now)

    def _in(self, *_: Any) -> None:
        self.now -= 1


@pytest.fixture(params=["sqlite", "postgres"])
async def small_pool(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Store]:
    """A store whose pool holds POOL connections and gives up waiting for one after 1 s."""
    if request.param == "sqlite":
        store = Store(f"sqlite+aiosqlite:///{tmp_path / 'crowd.db'}", pool_size=POOL,
                      pool_timeout=1.0)
        await store.start()
        yield store
        await store.close()
        return
    url = await _pg_database()
    store = Store(url, pool_size=POOL, pool_timeout=1.0)
    await store.start()
    yield store
    await store.close()
    await _drop_pg_database(url)


def hello(clock: FakeClock, user: str, n: int, text: str = "/start") -> Incoming:
    return Incoming(channel="telegram", user_key=user, at=clock(), text=text,
                    message_id=f"{user}-{n}")


async def test_a_thousand_people_at_once_all_get_an_answer(small_pool: Store,
                                                          clock: FakeClock) -> None:
    engine = Engine(small_pool, clock)
    pool = Checkouts(small_pool)
    replies = await asyncio.gather(*(engine.handle(hello(clock, str(k), 0))
                                     for k in range(1000)))
    assert all(r for r in replies)
    assert not [r for r in replies if any(m.text == texts.SORRY for m in r)]
    assert pool.most <= POOL


async def test_one_persons_messages_wait_for_their_turn_without_a_connection(
    small_pool: Store, clock: FakeClock
) -> None:
    engine = Engine(small_pool, clock)
    pool = Checkouts(small_pool)
    texts_ = ["/start", "yes", "30", "none", "12 weeks", "moderate", "4", "7:00", "Berlin",
              "today", "plan", "should I run today?"]
    replies = await asyncio.gather(*(engine.handle(hello(clock, "solo", n, t))
                                     for n, t in enumerate(texts_)))
    assert pool.most == 1  # the others waited in the per-user lock, holding nothing
    assert all(replies) and not any(m.text == texts.SORRY for r in replies for m in r)
    async with small_pool.transaction() as tx:
        user = await tx.user("telegram", "solo")
        assert user is not None and user.state == "active"  # the answers came in order
