"""What a tick queues (`Job`, one outbox row each) and what it did (`TickReport`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from conversations.messages import Outgoing


class Sender(Protocol):
    """What the scheduler needs of a channel."""

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None: ...


@dataclass
class TickReport:
    """What one tick did, in counts (never message bodies)."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    stale: int = 0  # due longer ago than the grace window: skipped
    already_claimed: int = 0  # someone else (or an earlier tick) holds the claim
    stopped: int = 0  # trek day reached
    blocked: int = 0
    unreachable: int = 0
    failed: int = 0
    expired: int = 0  # an unsent claim older than the grace window
    nudges_skipped: int = 0  # something was logged, or the setting is off
    rolled: int = 0  # plans rolled forward ahead of their morning
    rolled_inline: int = 0  # due users rolled in the claim (not rolled ahead in time)
    content: Counter[str] = field(default_factory=Counter)

    def busy(self) -> bool:
        return any((self.claimed, self.retried, self.stale, self.stopped, self.expired,
                    self.failed, self.blocked, self.unreachable, self.rolled))


@dataclass
class Job:
    """One claimed prompt ready to send."""

    prompt_id: int
    user_id: int
    channel: str
    user_key: str
    kind: str
    messages: list[Outgoing]
    claimed_at: datetime
    due: datetime  # when the prompt was due: it is worth sending until due + grace
    stop_after: bool = False  # the trek-eve message: the user's coaching ends with it
