"""One step of a conversation: the user row, the message, the clock and the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from conversations.messages import Incoming
from conversations.states import State, parse_state
from storage import Tx, User


@dataclass
class Turn:
    """What a handler sees. Handlers change `user` in place; the engine saves it."""

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
        self.user.state = state.value

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
