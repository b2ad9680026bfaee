"""One step of a conversation: the user row, the message, the clock and the transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Unpack
from zoneinfo import ZoneInfo

from conversations.context import Context, ContextData, ContextKey
from conversations.messages import Incoming, Outgoing
from conversations.states import State, parse_state
from storage import Tx, User

if TYPE_CHECKING:
    from planner import Profile


@dataclass
class Turn:
    """What a handler sees. Handlers change the user through `tx` verbs; the engine saves."""

    tx: Tx
    user: User
    incoming: Incoming
    now: datetime
    public_url: str | None = None  # where the web server is reached (calendar feed links)

    @property
    def state(self) -> State:
        return parse_state(self.user.state)

    def go(self, state: State) -> None:
        """Move the conversation to `state`."""
        self.tx.update_user(self.user, state=state.value)

    @property
    def context(self) -> Context:
        """What the conversation remembers, typed."""
        return Context.of(self.user.context)

    def update_context(self, **data: Unpack[ContextData]) -> None:
        """Remember these fields (others stay)."""
        self.tx.update_user(self.user, context={**(self.user.context or {}), **data})

    def forget_context(self, *keys: ContextKey) -> None:
        """Forget these fields; with no keys, forget everything."""
        kept = {k: v for k, v in (self.user.context or {}).items() if keys and k not in keys}
        self.tx.update_user(self.user, context=kept)

    @property
    def profile(self) -> Profile | None:
        """The stored profile as the planner's typed `Profile`; None before onboarding ends."""
        from conversations.profile import to_planner

        p = self.user.profile
        return to_planner(p) if p and p.get("trek_date") and p.get("start_date") else None

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.user.timezone or "UTC")
        except (KeyError, ValueError):
            return ZoneInfo("UTC")

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)

    @property
    def today(self) -> date:
        """The user's local date."""
        return self.local_now.date()

    @property
    def text(self) -> str:
        return self.incoming.text.strip()


Handler = Callable[[Turn], Awaitable[list[Outgoing]]]
