"""The engine: `Incoming` in, replies out. Load the user, run one step, save; never send.

One user's messages run one at a time (a per-user lock around load-step-save, and a row
lock on PostgreSQL); different users run concurrently. Each message is one transaction,
and its platform message id is recorded in it, so a redelivery gets no second reply.

The replies are written to the outbox in that same transaction (a step is saved with its
replies or not at all; the channels' dispatchers send them) and also returned, for the
tests and the terminal. The apology after a failed step is queued in its own transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from conversations import texts
from conversations.handlers import dispatch
from conversations.messages import Incoming, Outgoing
from conversations.schedule import next_prompt_at
from conversations.turn import Turn
from storage import Store, User, UserStatus
from storage.outbox import OutboxKind

log = logging.getLogger(__name__)

MAX_TEXT = 4000  # longer messages are cut: nothing we parse needs more


class KeyedLocks:
    """One asyncio.Lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class Engine:
    """Runs conversation steps against the store."""

    def __init__(self, store: Store, clock: Callable[[], datetime],
                 public_url: str | None = None) -> None:
        self.store = store
        self.clock = clock
        self.public_url = public_url  # the web server's address, for calendar feed links
        self.locks = KeyedLocks()

    async def handle(self, incoming: Incoming) -> list[Outgoing]:
        """Handle one message; returns the replies (empty for a redelivered message)."""
        if len(incoming.text) > MAX_TEXT:
            incoming = _shorten(incoming)
        key = f"{incoming.channel}:{incoming.user_key}"
        async with self.locks.hold(key):
            try:
                return await self._step(incoming)
            except Exception:
                log.exception("handler failed for a %s message", incoming.channel)
                sorry = [Outgoing(texts.SORRY)]
                await self.enqueue(incoming.channel, incoming.user_key, sorry)
                return sorry

    async def enqueue(self, channel: str, user_key: str, messages: list[Outgoing]) -> None:
        """Queue replies in a transaction of their own (apologies, channel notices); a
        database that refuses even that is logged, never raised."""
        try:
            async with self.store.transaction() as tx:
                await tx.enqueue(channel, user_key, messages, kind=OutboxKind.REPLY,
                                 now=self.clock())
        except Exception:
            log.exception("could not queue a %s reply", channel)

    async def _step(self, incoming: Incoming) -> list[Outgoing]:
        now = self.clock()
        async with self.store.transaction() as tx:
            if incoming.message_id is not None and not await tx.mark_processed(
                incoming.channel, incoming.message_id, now
            ):
                log.info("dropped a redelivered %s message", incoming.channel)
                return []
            user = await tx.get_or_create_user(
                incoming.channel, incoming.user_key, incoming.display_name
            )
            user.last_inbound_at = incoming.at
            if user.status in (UserStatus.BLOCKED, UserStatus.UNREACHABLE):
                _welcome_back(user, now)
            turn = Turn(tx=tx, user=user, incoming=incoming, now=now,
                        public_url=self.public_url)
            replies = await dispatch(turn)
            await tx.enqueue(incoming.channel, incoming.user_key, replies,
                             kind=OutboxKind.REPLY, now=now)
            return replies


def _welcome_back(user: User, now: datetime) -> None:
    """Someone marked blocked or unreachable wrote again: they can be reached, so prompt again."""
    if user.profile and user.reminder_minutes is not None and user.timezone:
        user.status = UserStatus.ACTIVE.value
        user.next_prompt_at = next_prompt_at(user.reminder_minutes, user.timezone, now)
    else:
        user.status = UserStatus.ONBOARDING.value
    log.info("user %s can be reached again", user.id)


def _shorten(incoming: Incoming) -> Incoming:
    from dataclasses import replace

    return replace(incoming, text=incoming.text[:MAX_TEXT])
