"""A per-key token bucket: `burst` sends at once, then one every `interval` seconds.

Shared by the messenger channels to keep each user (or chat) to the platform's rate. The
slot is taken before sleeping, so concurrent senders to one key queue up instead of going
out together. Clock and sleep are injectable (tests use a fake clock and never wait). Memory
stays bounded: once more than `max_keys` keys are held, keys whose bucket has refilled are
dropped, which changes nothing, as a forgotten key starts again with a full bucket.
`Pacing` is what senders rely on (`wait` by key); `bot.pacing_shared` holds the same limits
across instances, in PostgreSQL or Redis.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Protocol

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]


class Pacing(Protocol):
    """A per-key pace: `wait(key)` returns once one more send to `key` may go out."""

    async def wait(self, key: Hashable) -> float:
        """Wait for the next slot of `key`; the seconds waited."""


class KeyPacer:
    """One token bucket per key; `interval <= 0` switches pacing off."""

    def __init__(self, interval: float, burst: int = 1, *, sleep: Sleep = asyncio.sleep,
                 monotonic: Monotonic = time.monotonic, max_keys: int = 10_000) -> None:
        self.interval = interval
        self.burst = max(1, burst)
        self.max_keys = max_keys
        self._sleep = sleep
        self._now = monotonic
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, at)

    def __len__(self) -> int:
        """How many keys are remembered."""
        return len(self._buckets)

    def reserve(self, key: Hashable) -> float:
        """Take the next slot for `key`; the seconds to wait before using it."""
        if self.interval <= 0:
            return 0.0
        now = self._now()
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) / self.interval)
        delay = 0.0
        if tokens < 1.0:
            delay = (1.0 - tokens) * self.interval
            tokens = 1.0
        self._buckets[key] = (tokens - 1.0, now + delay)
        if len(self._buckets) > self.max_keys:
            self._forget_full(now)
        return delay

    async def wait(self, key: Hashable) -> float:
        """Wait until one more send to `key` may go out; the seconds waited."""
        delay = self.reserve(key)
        if delay > 0:
            await self._sleep(delay)
        return delay

    def _forget_full(self, now: float) -> None:
        full_after = self.burst * self.interval
        for key, (_tokens, at) in list(self._buckets.items()):
            if now - at > full_after:
                del self._buckets[key]
