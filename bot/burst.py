"""One person's messages in platform order: per-key turns, lowest order first.

A webhook delivers a burst of one person's messages as separate requests that race each
other; taking a plain lock would handle them in arrival order. Here a newcomer that finds
the key idle waits a short window, so burst-mates that arrive with it can line up, then
turns go to the lowest order (Telegram update_id; WhatsApp timestamp, then wamid). Only that
person waits: every key has its own queue.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

Order = tuple[float, str]
LAST: Order = (float("inf"), "")  # bot-initiated sends: after what is already waiting
WINDOW = 0.05  # seconds a burst has to line up; a reply is late by at most this


@dataclass
class _Key:
    waiting: list[tuple[Order, int, asyncio.Future[None]]] = field(default_factory=list)
    busy: bool = False


class BurstOrder:
    """Per-key turns in order; `sleep` is injectable so tests control the window."""

    def __init__(self, window: float = WINDOW,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self.window = window
        self._sleep = sleep
        self._keys: dict[str, _Key] = {}
        self._seq = itertools.count()

    def waiting(self, key: str) -> int:
        """How many turns for `key` are queued (not yet started)."""
        state = self._keys.get(key)
        return len(state.waiting) if state else 0

    def __len__(self) -> int:
        return len(self._keys)

    @asynccontextmanager
    async def turn(self, key: str, order: Order, *, settle: bool = True
                   ) -> AsyncIterator[None]:
        """Hold `key` for one message. `settle=False` (a bot-initiated send) skips the window."""
        state = self._keys.setdefault(key, _Key())
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(state.waiting, (order, next(self._seq), mine))
        if not state.busy:
            state.busy = True
            if settle and self.window > 0:
                await self._sleep(self.window)
            self._pass(key, state)
        try:
            await mine
        except asyncio.CancelledError:
            if not mine.done() or mine.cancelled():
                state.waiting = [w for w in state.waiting if w[2] is not mine]
                heapq.heapify(state.waiting)
                raise
            self._pass(key, state)  # the turn came as we were cancelled: hand it on
            raise
        try:
            yield
        finally:
            self._pass(key, state)

    def _pass(self, key: str, state: _Key) -> None:
        """Give the turn to the lowest order waiting, or mark the key idle."""
        while state.waiting:
            _, _, nxt = heapq.heappop(state.waiting)
            if not nxt.done():
                nxt.set_result(None)
                return
        state.busy = False
        if self._keys.get(key) is state:
            del self._keys[key]
