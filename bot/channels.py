"""What every messenger channel offers the rest of the program, and the errors it raises."""

from __future__ import annotations

from typing import Protocol

from starlette.routing import BaseRoute

from conversations.messages import Outgoing


class UserBlocked(Exception):
    """The person blocked the bot: stop prompting them."""


class UserUnreachable(Exception):
    """Messages to this person cannot be delivered."""


class Channel(Protocol):
    """A messenger: turns platform updates into `Incoming`, and `Outgoing` into API calls."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        """Deliver messages in order (rate-limited). `scheduled` marks a bot-initiated prompt.

        Raises UserBlocked or UserUnreachable when the person cannot be reached.
        """
        ...

    def routes(self) -> list[BaseRoute]:
        """Webhook routes to mount on the shared web app (empty for polling channels)."""
        ...
