"""Pacing shared by several instances, on PostgreSQL and on Redis: two instances together keep
the platform's overall rate and each chat's pace (a fixed fake clock; nothing really waits)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.pacing_shared import PostgresSlots, RedisSlots, SharedPacer, SlotStore, open_slots
from bot.telegram import TelegramChannel
from bot.telegram_send import Limits
from bot.whatsapp_send import Pacer
from conversations.messages import Outgoing
from storage import Store
from tests.conftest import _drop_pg_database, _pg_database
from tests.fakes.telegram_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

REDIS_URL = os.environ.get("TREKBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NOW = 1_800_000_000.0  # the fake wall clock: fixed, so every slot is NOW + the delay given
TOLERANCE = 1e-4  # seconds: times near 1.8e9 s are doubles, ~2.4e-7 s apart
OpenSlots = Callable[..., SlotStore]


async def _redis_reachable() -> None:
    import redis.asyncio as redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        await asyncio.wait_for(client.ping(), 5)
    except Exception as err:  # noqa: BLE001 - any failure to reach the server
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI and not reachable at {REDIS_URL}: {err}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} (runs in CI)")
    finally:
        await client.aclose()


@pytest.fixture(params=["postgres", "redis"])
async def shared(request: pytest.FixtureRequest) -> AsyncIterator[OpenSlots]:
    """Opens connections to one shared pace store, one per instance; all closed afterwards."""
    opened: list[SlotStore] = []
    if request.param == "postgres":
        url = await _pg_database()
        store = Store(url)
        await store.start()  # the migrations create pace_slots
        await store.close()

        def open_one(clock: Callable[[], float] | None = lambda: NOW) -> SlotStore:
            opened.append(PostgresSlots(url, clock=clock))
            return opened[-1]
    else:
        await _redis_reachable()
        prefix = f"trekbot-test:{uuid.uuid4().hex}:"

        def open_one(clock: Callable[[], float] | None = lambda: NOW) -> SlotStore:
            opened.append(RedisSlots(REDIS_URL, clock=clock, prefix=prefix))
            return opened[-1]
    yield open_one
    for slots in opened:
        await slots.close()
    if request.param == "postgres":
        await _drop_pg_database(url)


class Sleeps:
    """Records the waits asked for, without waiting."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def in_any_second(slots: list[float]) -> int:
    """The most slots that fall in one window of one second."""
    ordered = sorted(slots)
    return max(sum(1 for s in ordered[i:] if s < start + 1.0)
               for i, start in enumerate(ordered))


async def test_two_instances_share_one_overall_rate(shared: OpenSlots) -> None:
    one = SharedPacer(shared(), "telegram", 1 / 30)
    two = SharedPacer(shared(), "telegram", 1 / 30)
    delays = await asyncio.gather(*[(one, two)[i % 2].reserve("all") for i in range(90)])
    assert sorted(delays) == pytest.approx([k / 30 for k in range(90)], abs=TOLERANCE)
    assert in_any_second([NOW + d for d in delays]) <= 31  # 30 a second, the edges counted


async def test_each_key_has_its_own_pace_and_time_gives_the_burst_back(
        shared: OpenSlots) -> None:
    now = [NOW]
    one = SharedPacer(shared(lambda: now[0]), "chat", 1.0, burst=3)
    two = SharedPacer(shared(lambda: now[0]), "chat", 1.0, burst=3)
    assert [await (one, two)[i % 2].reserve(42) for i in range(5)] == pytest.approx(
        [0, 0, 0, 1, 2], abs=TOLERANCE)
    assert await two.reserve(7) == 0.0  # another chat is not held back by chat 42
    now[0] += 60  # a quiet minute: the burst is back, no more
    assert [await one.reserve(42) for _ in range(4)] == pytest.approx([0, 0, 0, 1], abs=TOLERANCE)


async def test_the_servers_clock_keeps_the_pace_without_a_clock_given(
        shared: OpenSlots) -> None:
    one = SharedPacer(shared(None), "telegram", 1 / 30)
    two = SharedPacer(shared(None), "telegram", 1 / 30)
    began = time.monotonic()
    delays = sorted(await asyncio.gather(*[(one, two)[i % 2].reserve("all")
                                           for i in range(61)]))
    took = time.monotonic() - began
    # The k-th slot lies k/30 s after the first; reserving took `took` s of that.
    for k, delay in enumerate(delays):
        assert k / 30 - took - 0.01 <= delay <= k / 30 + 0.01


async def test_whatsapp_instances_keep_one_persons_pace_and_the_overall_rate(
        shared: OpenSlots) -> None:
    sleeps = Sleeps()
    one = Pacer(per_user=6.0, burst=3, per_second=0, sleep=sleeps, slots=shared())
    two = Pacer(per_user=6.0, burst=3, per_second=0, sleep=sleeps, slots=shared())
    for i in range(6):
        await (one, two)[i % 2].wait("919876543210")
    assert sleeps.seconds == pytest.approx([6.0, 12.0, 18.0], abs=TOLERANCE)  # from NOW: 6 s apart

    sleeps.seconds.clear()
    one = Pacer(per_user=6.0, burst=3, per_second=20, sleep=sleeps, slots=shared())
    two = Pacer(per_user=6.0, burst=3, per_second=20, sleep=sleeps, slots=shared())
    await asyncio.gather(*[(one, two)[i % 2].wait(f"91{i:010d}") for i in range(40)])
    assert sorted(sleeps.seconds) == pytest.approx([k / 20 for k in range(1, 40)], abs=TOLERANCE)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


async def _unused_handle(_incoming: Any) -> list[Outgoing]:
    raise AssertionError("no update is handled in this test")


async def test_two_telegram_instances_stay_within_30_a_second_against_the_bot_api(
        shared: OpenSlots, api: FakeBotApi, store: Store, clock: FakeClock) -> None:
    sleeps = Sleeps()
    limits = Limits(overall_per_second=30, chat_per_second=1, chat_burst=3, sleep=sleeps)
    instances = [TelegramChannel(api.token, _unused_handle, store, clock, base_url=api.base_url,
                                 limits=limits, poll_timeout=1, pace_slots=shared())
                 for _ in range(2)]
    for channel in instances:
        await channel.start()
    try:
        chats = range(5001, 5061)
        await asyncio.gather(*[instances[i % 2].send(str(chat), [Outgoing(f"hi {chat}")])
                               for i, chat in enumerate(chats)])
    finally:
        for channel in instances:
            await channel.stop()
    assert {int(c.params["chat_id"]) for c in api.sent()} == set(chats)
    # One chat each: no per-chat waits; the overall slots of both instances interleave.
    slots = [0.0, *sleeps.seconds]
    assert sorted(slots) == pytest.approx([k / 30 for k in range(60)], abs=TOLERANCE)
    assert in_any_second([NOW + s for s in slots]) <= 31


async def test_a_chat_keeps_its_pace_across_telegram_instances(
        shared: OpenSlots, api: FakeBotApi, store: Store, clock: FakeClock) -> None:
    sleeps = Sleeps()
    limits = Limits(overall_per_second=0, chat_per_second=1, chat_burst=3, sleep=sleeps)
    instances = [TelegramChannel(api.token, _unused_handle, store, clock, base_url=api.base_url,
                                 limits=limits, poll_timeout=1, pace_slots=shared())
                 for _ in range(2)]
    for channel in instances:
        await channel.start()
    try:
        for i in range(6):
            await instances[i % 2].send("5001", [Outgoing(f"part {i}")])
    finally:
        for channel in instances:
            await channel.stop()
    assert [c.params["text"] for c in api.sent(5001)] == [f"part {i}" for i in range(6)]
    assert sleeps.seconds == pytest.approx([1.0, 2.0, 3.0], abs=TOLERANCE)  # burst 3, then 1/s


async def test_sqlite_keeps_in_process_pacing_and_postgres_or_redis_share_it() -> None:
    assert open_slots("sqlite+aiosqlite:///x.db", None) is None
    database = open_slots("postgresql+asyncpg://u@h/db", None)
    redis = open_slots("sqlite+aiosqlite:///x.db", "redis://h:6379/0")
    assert isinstance(database, PostgresSlots) and isinstance(redis, RedisSlots)
    await database.close()
    await redis.close()


@pytest.mark.parametrize("where", ["postgresql+asyncpg://postgres@127.0.0.1:1/none",
                                   "redis://127.0.0.1:1/0"])
async def test_an_unreachable_store_paces_in_the_process_instead_of_failing_sends(
        where: str, caplog: pytest.LogCaptureFixture) -> None:
    sleeps = Sleeps()
    now = [100.0]
    slots = open_slots(where, where if where.startswith("redis") else None)
    assert slots is not None
    pacer = SharedPacer(slots, "telegram:chat", 1.0, burst=2, sleep=sleeps,
                        monotonic=lambda: now[0])
    try:
        waited = [await pacer.wait(42) for _ in range(4)]
    finally:
        await slots.close()
    assert waited == [0.0, 0.0, 1.0, 2.0]  # burst 2, then a slot a second (clock fixed)
    warnings = [r for r in caplog.records if "shared send pacing is unavailable" in r.message]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING"
