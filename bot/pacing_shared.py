"""Pacing shared by every instance: the same per-key limits as `bot.pacing`, held in PostgreSQL
or Redis, so N instances together keep to the platform's rate (not N times it).

Each key holds one number, the time its next slot is free (GCRA, the "theoretical arrival
time"): a reservation moves it on by `interval` in one atomic step and sends may go once it
is less than `burst` intervals ahead. On PostgreSQL that step is one upsert with RETURNING on
the `pace_slots` table (the row lock orders concurrent instances); on Redis it is one Lua
script. Times come from the database's or Redis' clock, so instances whose clocks disagree
still share one timeline; tests pass a fake `clock` instead. Keys whose slot lies in the past
carry no information (a fresh key behaves the same), so they expire or are pruned. When the
store cannot be reached, sends are paced in the process instead (one warning), so an outage
of Redis slows nothing down to a halt; the platform's own rate-limit answers still apply.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.pacing import KeyPacer, Monotonic, Sleep

log = logging.getLogger(__name__)

WallClock = Callable[[], float]  # seconds since the epoch

_PG_RESERVE = text("""
WITH clock AS (
    SELECT COALESCE(CAST(:now AS double precision),
                    CAST(extract(epoch FROM clock_timestamp()) AS double precision)) AS t)
INSERT INTO pace_slots AS p (key, due)
SELECT :key, clock.t + :interval FROM clock
ON CONFLICT (key) DO UPDATE SET due = GREATEST(p.due + :interval, EXCLUDED.due)
RETURNING p.due - (SELECT t FROM clock)
""")

_PG_PRUNE = text("""
DELETE FROM pace_slots
WHERE due < COALESCE(CAST(:now AS double precision),
                     CAST(extract(epoch FROM clock_timestamp()) AS double precision)) - 60
""")

# KEYS[1]; ARGV: interval, now ('' for Redis' own clock). Returns how far ahead the key's
# next free time is after this reservation, as a string (Lua numbers become integers).
_REDIS_RESERVE = """
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local interval = tonumber(ARGV[1])
local due = tonumber(redis.call('GET', KEYS[1]) or '0')
if due < now then due = now end
due = due + interval
redis.call('SET', KEYS[1], string.format('%.17g', due),
           'PX', math.ceil((due - now) * 1000) + 60000)
return string.format('%.17g', due - now)
"""


class SlotStore(Protocol):
    """Where the shared next-free times live."""

    async def advance(self, key: str, interval: float) -> float:
        """Move `key`'s next free time on by `interval`; how far ahead it now lies."""

    async def close(self) -> None: ...


class PostgresSlots:
    """Next-free times in the `pace_slots` table (migration 0006_pacing), through a small pool
    of its own so sends never queue behind the handling of messages."""

    PRUNE_EVERY = 1_000  # reservations between deletes of expired rows

    def __init__(self, url: str, *, clock: WallClock | None = None, pool_size: int = 2) -> None:
        # A database that hangs must not hold sends for long: short connect and query limits
        # (then SharedPacer paces in the process).
        self.engine: AsyncEngine = create_async_engine(
            url, pool_size=pool_size, max_overflow=0, pool_timeout=120.0, pool_pre_ping=True,
            connect_args={"timeout": 5, "command_timeout": 5})
        self._clock = clock
        self._count = 0

    async def advance(self, key: str, interval: float) -> float:
        now = self._clock() if self._clock is not None else None
        async with self.engine.begin() as conn:
            ahead = (await conn.execute(
                _PG_RESERVE, {"key": key, "interval": interval, "now": now})).scalar_one()
            self._count += 1
            if self._count % self.PRUNE_EVERY == 0:
                await conn.execute(_PG_PRUNE, {"now": now})
        return float(ahead)

    async def close(self) -> None:
        await self.engine.dispose()


class RedisSlots:
    """Next-free times as Redis keys (`trekbot:pace:<key>`), each expiring once it is past."""

    def __init__(self, url: str, *, clock: WallClock | None = None,
                 prefix: str = "trekbot:pace:") -> None:
        import redis.asyncio as redis  # only needed when TREKBOT_REDIS_URL is set

        self.client: Any = redis.Redis.from_url(url, socket_connect_timeout=5,
                                                socket_timeout=5)
        self._script = self.client.register_script(_REDIS_RESERVE)
        self._clock = clock
        self.prefix = prefix

    async def advance(self, key: str, interval: float) -> float:
        now = "" if self._clock is None else repr(self._clock())
        ahead = await self._script(keys=[self.prefix + key], args=[repr(interval), now])
        return float(ahead)

    async def close(self) -> None:
        await self.client.aclose()


class SharedPacer:
    """`bot.pacing.KeyPacer`'s interface (`reserve`, `wait` by key) over a `SlotStore`:
    `burst` sends at once, then one every `interval` seconds, counted across instances."""

    def __init__(self, slots: SlotStore, name: str, interval: float, burst: int = 1, *,
                 sleep: Sleep = asyncio.sleep, monotonic: Monotonic = time.monotonic) -> None:
        self.slots = slots
        self.name = name
        self.interval = interval
        self.burst = max(1, burst)
        self._sleep = sleep
        self._local = KeyPacer(interval, burst, sleep=sleep, monotonic=monotonic)
        self._failing = False

    async def reserve(self, key: Hashable) -> float:
        """Take the next slot for `key`; the seconds to wait before using it."""
        if self.interval <= 0:
            return 0.0
        try:
            ahead = await self.slots.advance(f"{self.name}:{key}", self.interval)
        except Exception as err:  # noqa: BLE001 - any failure of the store: pace locally
            if not self._failing:
                log.warning("shared send pacing is unavailable (%s); pacing %s in this "
                            "process until it is back", type(err).__name__, self.name)
            self._failing = True
            return self._local.reserve(key)
        if self._failing:
            log.info("shared send pacing for %s is back", self.name)
            self._failing = False
        return max(0.0, ahead - self.burst * self.interval)

    async def wait(self, key: Hashable) -> float:
        """Wait until one more send to `key` may go out; the seconds waited."""
        delay = await self.reserve(key)
        if delay > 0:
            await self._sleep(delay)
        return delay


def open_slots(database_url: str, redis_url: str | None, *,
               clock: WallClock | None = None) -> SlotStore | None:
    """Redis when a URL is given, else the database when it is PostgreSQL, else None (SQLite:
    one process, in-process pacing)."""
    if redis_url:
        return RedisSlots(redis_url, clock=clock)
    if database_url.startswith("postgresql"):
        return PostgresSlots(database_url, clock=clock)
    return None
