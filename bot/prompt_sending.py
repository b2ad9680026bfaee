"""Sending one claimed batch: what a tick sends (`Job`), what it did (`TickReport`), and
the `Recorder` that sends each job and records confirmed sends and lost users in groups.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.channels import UserBlocked, UserUnreachable
from conversations.messages import Outgoing
from storage import Store, UserStatus
from storage import schedule_rows as q
from storage.schedule_rows import PromptStatus

log = logging.getLogger(__name__)


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
    stop_after: bool = False  # the trek-eve message: the user's coaching ends with it


class Batching(Protocol):
    """What a `Recorder` needs of the scheduler."""

    store: Store
    clock: Callable[[], datetime]
    flush_every: int
    flush_seconds: float

    @property
    def channels(self) -> Mapping[str, Sender]: ...


class Recorder:
    """One batch's sends: each job sent, its outcome counted, and confirmed sends and lost
    users recorded in groups (`flush_every` sends or `flush_seconds`, and at the end)."""

    def __init__(self, scheduler: Batching, report: TickReport) -> None:
        self.scheduler = scheduler
        self.report = report
        self.done: list[Job] = []
        self.lost: dict[UserStatus, list[Job]] = {UserStatus.BLOCKED: [],
                                                  UserStatus.UNREACHABLE: []}
        self.first_pending = 0.0

    async def send(self, job: Job) -> None:
        """Send one job through its channel; a failure is counted, never raised."""
        channel = self.scheduler.channels[job.channel]
        report = self.report
        try:
            await channel.send(job.user_key, job.messages, scheduled=True)
        except UserBlocked:
            report.blocked += 1
            self.lost[UserStatus.BLOCKED].append(job)
            log.info("user %s blocked the bot on %s", job.user_id, job.channel)
            return
        except UserUnreachable:
            report.unreachable += 1
            self.lost[UserStatus.UNREACHABLE].append(job)
            log.info("user %s is unreachable on %s", job.user_id, job.channel)
            return
        except Exception as err:  # one user's failure never stops the tick
            report.failed += 1
            log.warning("%s prompt to user %s on %s failed (%s); retried later",
                        job.kind, job.user_id, job.channel, type(err).__name__)
            return
        report.sent += 1
        await self._confirmed(job)

    async def _confirmed(self, job: Job) -> None:
        if not self.done:
            self.first_pending = time.monotonic()
        self.done.append(job)
        if (len(self.done) >= self.scheduler.flush_every
                or time.monotonic() - self.first_pending >= self.scheduler.flush_seconds):
            await self.flush()

    async def flush(self) -> None:
        """Record the confirmed sends and the lost users so far, in one transaction."""
        batch, self.done = self.done, []
        gone = {status: group[:] for status, group in self.lost.items()}
        for group in self.lost.values():
            group.clear()
        if not batch and not any(gone.values()):
            return
        at = self.scheduler.clock()
        try:
            async with self.scheduler.store.transaction() as tx:
                await q.mark(tx, [j.prompt_id for j in batch], PromptStatus.SENT, at)
                await tx.set_status([j.user_id for j in batch if j.stop_after],
                                    UserStatus.STOPPED)
                for status, group in gone.items():
                    await q.mark(tx, [j.prompt_id for j in group], PromptStatus.FAILED)
                    await tx.set_status([j.user_id for j in group], status)
        except BaseException:
            # Not recorded (cancelled mid-write?): hand them to the final flush.
            self.done.extend(batch)
            for status, group in gone.items():
                self.lost[status].extend(group)
            raise
