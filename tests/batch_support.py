"""Helpers for the batch tests: a batch in the store, a person talking to the engine."""

from __future__ import annotations

from datetime import date
from itertools import count

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.messages import Incoming, Outgoing
from storage import Store, User
from storage import batches as q

_ids = count(1)

# Onboarding answers without the trek date and grade (a batch sets those).
BATCH_ANSWERS = ["yes", "30", "none", "4", "7:00", "Berlin"]


async def make_batch(store: Store, name: str = "Everest Base Camp",
                     trek: date = date(2027, 3, 20), grade: str = "difficult") -> str:
    async with store.transaction() as tx:
        return (await q.create_batch(tx, name, trek, grade)).code


class Person:
    """Someone on one channel; `say` returns the replies' texts joined."""

    def __init__(self, engine: Engine, clock: FakeClock, key: str, channel: str = "telegram",
                 name: str | None = None) -> None:
        self.engine, self.clock, self.key, self.channel, self.name = (
            engine, clock, key, channel, name)

    async def send(self, text: str) -> list[Outgoing]:
        return await self.engine.handle(Incoming(
            channel=self.channel, user_key=self.key, at=self.clock(), text=text,
            message_id=f"{self.key}-{next(_ids)}", display_name=self.name))

    async def say(self, text: str) -> str:
        return "\n".join(o.text for o in await self.send(text))

    async def row(self, store: Store) -> User:
        async with store.transaction() as tx:
            user = await tx.user(self.channel, self.key)
            assert user is not None
            return user
