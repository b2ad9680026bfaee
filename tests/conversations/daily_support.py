"""Helpers for the daily-conversation tests: an onboarded user and a message sender."""

from __future__ import annotations

import itertools
from typing import Any

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.messages import Incoming, Outgoing
from storage import LoggedSession, Store, User

_ids = itertools.count(1)


def profile(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "running": "regular", "easy_run_minutes": 30, "joints": [], "joint_words": "",
        "trek_date": "2027-03-14", "grade": "moderate", "days_per_week": 4,
        "start_date": "2026-11-30", "training_weekdays": None, "body_weight_kg": None,
    }
    base.update(changes)
    return base


async def onboarded(store: Store, key: str = "ann", zone: str = "Europe/Berlin",
                    **changes: Any) -> int:
    """A user who finished onboarding (state active); returns the user id."""
    async with store.transaction() as tx:
        user = await tx.get_or_create_user("terminal", key)
        user.profile = profile(**changes)
        user.state = "active"
        user.status = "active"
        user.timezone = zone
        user.reminder_minutes = 7 * 60
        await tx.session.flush()
        return user.id


class Chat:
    """Sends texts as one user, each with a fresh platform message id."""

    def __init__(self, engine: Engine, clock: FakeClock, key: str = "ann") -> None:
        self.engine = engine
        self.clock = clock
        self.key = key

    async def send(self, text: str, message_id: str | None = None) -> list[Outgoing]:
        mid = message_id if message_id is not None else f"m{next(_ids)}"
        return await self.engine.handle(
            Incoming("terminal", self.key, self.clock(), text, message_id=mid))

    async def say(self, text: str) -> str:
        """The replies' text joined, for assertions on wording."""
        return "\n".join(o.text for o in await self.send(text))


async def logs(store: Store, user_id: int) -> list[LoggedSession]:
    async with store.transaction() as tx:
        return list(await tx.logs(user_id))


async def user_row(store: Store, user_id: int) -> User | None:
    async with store.transaction() as tx:
        return await tx.user_by_id(user_id)
