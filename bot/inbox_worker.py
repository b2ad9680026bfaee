"""Handling updates from the inbox (storage/inbox.py): per chat, one at a time, in order.

A channel saves what it receives with `receive` (committed before it acknowledges) and the
worker takes each chat's turn at once: the chat's place in a `BurstOrder` (so burst-mates
arriving together line up by platform order), then, inside the turn, claims the chat's
oldest waiting row and runs the channel's `process` on it, and the next, until the chat has
none (or another instance holds it: that one carries on); a row is finished in the
transaction that claims the chat's next one. Saving wakes the work at once
(the turns start right after the commit); a poll finds what no turn took (rows from before a
restart, claims of an instance that died) every few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot.burst import BurstOrder
from storage import Store
from storage.inbox import Claimed, NewUpdate

log = logging.getLogger(__name__)

Process = Callable[[dict[str, Any]], Awaitable[None]]
POLL_SECONDS = 2.0
DEFAULT_LEASE = 60.0


class InboxWorker:
    """Runs one channel's saved updates through `process` (which must not raise)."""

    def __init__(self, store: Store, channel: str, process: Process,
                 clock: Callable[[], datetime], *, burst: BurstOrder | None = None,
                 lease_seconds: float = DEFAULT_LEASE, poll_seconds: float = POLL_SECONDS
                 ) -> None:
        self._store = store
        self._channel = channel
        self._process = process
        self._clock = clock
        self._turns = burst or BurstOrder()
        self._lease = timedelta(seconds=lease_seconds)
        self._poll_seconds = poll_seconds
        self.owner = secrets.token_hex(8)
        self._tasks: set[asyncio.Task[None]] = set()
        self._poller: asyncio.Task[None] | None = None

    # receiving ----------------------------------------------------------------
    async def receive(self, updates: list[NewUpdate]) -> None:
        """Save updates (committed when this returns), then start their chats' turns."""
        if not updates:
            return
        async with self._store.transaction() as tx:
            fresh = await tx.inbox_add(updates, self._clock())
        for item in fresh:
            self._spawn(item.chat_key, (float(item.order_ts), item.order_key))

    # lifecycle ----------------------------------------------------------------
    async def start(self) -> None:
        """Resume the inbox: on SQLite (one process) earlier claims are given back."""
        if self._store.is_sqlite:
            async with self._store.transaction() as tx:
                await tx.inbox_release(self._channel)
        self._poller = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
        await self.drain()

    async def drain(self) -> None:
        """Wait until every turn started so far (and any it starts) is over."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _poll(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:  # the database is away for a moment: try again next poll
                log.warning("could not look for waiting %s updates", self._channel,
                            exc_info=True)
            await asyncio.sleep(self._poll_seconds)

    async def sweep(self) -> None:
        """Start a turn for every chat with a row to claim and no turn of ours under way."""
        async with self._store.transaction() as tx:
            chats = await tx.inbox_waiting(self._channel, self._clock())
        for chat_key, order_ts, order_key in chats:
            if self._turns.waiting(chat_key) == 0 and not self._busy(chat_key):
                self._spawn(chat_key, (float(order_ts), order_key))

    # working ------------------------------------------------------------------
    def _busy(self, chat_key: str) -> bool:
        return any(task.get_name() == self._name(chat_key) and not task.done()
                   for task in self._tasks)

    def _name(self, chat_key: str) -> str:
        return f"inbox:{self._channel}:{chat_key}"

    def _spawn(self, chat_key: str, order: tuple[float, str]) -> None:
        task = asyncio.create_task(self._turn(chat_key, order), name=self._name(chat_key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _turn(self, chat_key: str, order: tuple[float, str]) -> None:
        try:
            async with self._turns.turn(chat_key, order):
                done: int | None = None
                while (done := await self._one(chat_key, done)) is not None:
                    pass
        except Exception:  # the database failed: the row stays and the poll retries it
            log.exception("could not take a %s update from the inbox", self._channel)

    async def _one(self, chat_key: str, done: int | None) -> int | None:
        """Finish the row `done` (processed just before) and claim the chat's oldest waiting
        row in one transaction, then process it; returns its id, None when there was none."""
        async with self._store.transaction() as tx:
            if done is not None:
                await tx.inbox_done(done, self._clock())
            row = await tx.inbox_claim(self._channel, chat_key, self._clock(), self._lease,
                                       self.owner)
        if row is None:
            return None
        keeper = asyncio.create_task(self._keep(row))
        try:
            await self._process(row.payload)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        return row.id

    async def _keep(self, row: Claimed) -> None:
        """Renew the lease while the row is worked on (a long download, a slow step)."""
        interval = self._lease.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            try:
                async with self._store.transaction() as tx:
                    await tx.inbox_renew(row.id, self.owner, self._clock() + self._lease)
            except Exception:
                log.warning("could not renew an inbox lease", exc_info=True)
