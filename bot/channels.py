"""What every messenger channel offers the rest of the program, and the errors it raises."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from starlette.routing import BaseRoute

from conversations.messages import Incoming, Outgoing
from storage import Store, UserStatus

if TYPE_CHECKING:
    from bot.dispatch import Dispatcher

Handle = Callable[[Incoming], Awaitable[list[Outgoing]]]
"""What a channel hands each incoming message to (the engine's `handle`)."""


class StartupError(Exception):
    """The program cannot start as configured; the message is the one line the CLI prints."""


class UserBlocked(Exception):
    """The person blocked the bot: stop prompting them."""


class UserUnreachable(Exception):
    """Messages to this person cannot be delivered."""


class Refused(Exception):
    """The platform refused this message for good (sending it again cannot help)."""


class RetryLater(Exception):
    """The platform asks to wait (a rate limit); `after` in seconds, when it says."""

    def __init__(self, message: str = "", after: float | None = None) -> None:
        super().__init__(message)
        self.after = after


class MaybeDelivered(Exception):
    """The request was written but no answer came in time: it may have been delivered."""


class Channel(Protocol):
    """A messenger: turns platform updates into `Incoming`, and `Outgoing` into API calls.
    Its `dispatcher` (started and stopped with it) sends its outbox through `send`."""

    name: str
    dispatcher: Dispatcher

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


async def mark_user(store: Store, channel: str, user_key: str, status: UserStatus) -> None:
    """Record that a person blocked the bot or cannot be reached, where the status lifecycle
    allows it (a paused or stopped user stays as they chose)."""
    async with store.transaction() as tx:
        user = await tx.user(channel, user_key)
        if user is not None:
            await tx.set_status([user.id], status)
