"""The dispatcher: sends a channel's outbox rows, per chat in order, across chats at once.

Each channel owns one (`start` with the channel, `stop` before it). It claims due rows
(each the oldest unsent of its chat, under a lease: see `storage/outbox.py`), sends each
through the channel's `send`, and records the outcomes: the sends that end while one
transaction is recording go together in the next (one statement per status for the rows
ended), which also claims each finished chat's next row in one statement (group commit;
a chat never has more than one row in flight). An outcome is one of:

- delivered: `sent`;
- blocked / unreachable (Telegram 403, WhatsApp 131026): `failed`, and the user marked;
- refused for good (a request the platform will never take): `failed`;
- maybe delivered (a timeout after the request was written): sent once more, at most
  once per row, then taken as delivered; both counted;
- anything else (outage, 5xx, 429 / rate-limit codes): tried again with a doubling
  backoff, or after the platform's own retry-after, until the row's `not_after`: a reply
  is worth hours, a morning prompt only its grace window (then `stale`, counted).

A commit that queued rows wakes the dispatcher at once (`Store.on_outbox`); it also polls
every `poll_seconds`, for retries and for rows queued by other instances.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot import metrics
from bot.channels import MaybeDelivered, Refused, RetryLater, UserBlocked, UserUnreachable
from conversations.messages import Outgoing
from storage import Store, UserStatus, outbox
from storage.outbox import OutboxKind, OutboxStatus, Queued

log = logging.getLogger(__name__)


class Sender(Protocol):
    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None: ...


@dataclass(frozen=True)
class Options:
    """How a dispatcher works; tests shorten the poll."""

    lease: timedelta = timedelta(minutes=5)
    concurrency: int = 64  # chats sent to at once
    batch: int = 200  # rows per claim
    poll_seconds: float = 1.0
    backoff_seconds: float = 1.0  # doubled per attempt
    max_backoff_seconds: float = 300.0
    resend_after_seconds: float = 5.0  # a "maybe delivered" row is sent again this late
    stop_grace_seconds: float = 10.0


@dataclass
class DrainReport:
    """What a dispatcher did, in counts."""

    sent: int = 0
    failed: int = 0
    blocked: int = 0
    unreachable: int = 0
    stale: int = 0
    retried: int = 0
    resent: int = 0
    users_lost: dict[str, UserStatus] = field(default_factory=dict)

    def add(self, other: DrainReport) -> None:
        for name in ("sent", "failed", "blocked", "unreachable", "stale", "retried", "resent"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class _Outcome:
    status: str | None  # None: try again at `retry`
    error: str | None = None
    retry: datetime | None = None
    resend: bool = False
    lost: UserStatus | None = None


class Dispatcher:
    """Sends one channel's outbox."""

    def __init__(self, store: Store, clock: Callable[[], datetime], name: str, sender: Sender,
                 options: Options | None = None, *, only: str | None = None) -> None:
        self.only = only  # one user key: the terminal's own person
        self.store = store
        self.clock = clock
        self.name = name
        self.sender = sender
        self.options = options or Options()
        self.report = DrainReport()  # since start
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._loop: asyncio.Task[None] | None = None
        self._claiming = asyncio.Lock()  # a drain sees the tasks of a claim in progress
        # Outcomes of sends waiting to be recorded, and the task recording them.
        self._outcomes: list[tuple[Queued, _Outcome, asyncio.Future[Queued | None]]] = []
        self._recorder: asyncio.Task[None] | None = None

    # lifecycle ----------------------------------------------------------------
    def _on_commit(self, channels: set[str]) -> None:
        if self.name in channels:
            self._wake.set()

    async def start(self) -> None:
        """Send in the background until `stop`."""
        self._stopping = False
        self.store.on_outbox.append(self._on_commit)
        self._loop = asyncio.create_task(self._run(), name=f"dispatch-{self.name}")

    async def stop(self) -> None:
        """Claim nothing more; let sends in flight finish (a while), then cancel them.
        A cancelled row is not recorded: its lease brings it back (at most one repeat)."""
        self._stopping = True
        if self._on_commit in self.store.on_outbox:
            self.store.on_outbox.remove(self._on_commit)
        self._wake.set()
        if self._loop is not None:
            await asyncio.gather(self._loop, return_exceptions=True)
            self._loop = None
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks),
                                            timeout=self.options.stop_grace_seconds)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._recorder is not None:  # outcomes of sends that ended are still recorded
            await asyncio.gather(self._recorder, return_exceptions=True)

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self.pump()
            except Exception:  # the database is away: try again at the next poll
                log.exception("the %s dispatcher could not claim from the outbox", self.name)
            try:
                await asyncio.wait_for(self._wake.wait(), self.options.poll_seconds)
            except TimeoutError:
                pass

    # work ---------------------------------------------------------------------
    async def pump(self) -> int:
        """Claim due rows for free places and start sending them; returns how many."""
        async with self._claiming:
            free = self.options.concurrency - len(self._tasks)
            if free <= 0 or self._stopping:
                return 0
            async with self.store.transaction() as tx:
                items = await tx.claim_outbox(self.name, self.clock(), self.options.lease,
                                              min(free, self.options.batch),
                                              user_keys=None if self.only is None
                                              else [self.only])
            for item in items:
                task = asyncio.create_task(self._chat(item))
                self._tasks.add(task)
                task.add_done_callback(self._done)
            return len(items)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._wake.set()  # a place is free
        if not task.cancelled() and task.exception() is not None:
            log.error("a %s send failed unexpectedly", self.name, exc_info=task.exception())

    async def drain(self) -> DrainReport:
        """Send everything due now (and what falls due on the way), then return what was
        done. For the terminal, the scheduler without a running dispatcher, and tests."""
        before = DrainReport()
        before.add(self.report)
        while True:
            started = await self.pump()
            if self._tasks:
                await asyncio.wait(set(self._tasks))
                continue
            if not started:
                break
        done = DrainReport(users_lost=dict(self.report.users_lost))
        for name in ("sent", "failed", "blocked", "unreachable", "stale", "retried", "resent"):
            setattr(done, name, getattr(self.report, name) - getattr(before, name))
        return done

    async def _chat(self, item: Queued | None) -> None:
        """Send a chat's rows one after another while they are due."""
        while item is not None:
            item = await self._deliver(item)

    async def _deliver(self, item: Queued) -> Queued | None:
        """Send one row and have the outcome recorded; returns the chat's next row when
        this one is done and the next is due (claimed in the transaction that recorded
        this one). A prompt whose grace window ended before it was ever tried (the bot was
        down) is not sent."""
        late = item.kind == OutboxKind.PROMPT and self.clock() > item.not_after
        outcome = _Outcome(OutboxStatus.STALE, "late") if late else await self._attempt(item)
        if outcome.status is None and outcome.retry is not None and outcome.retry > item.not_after:
            stale = item.kind == OutboxKind.PROMPT
            outcome = _Outcome(OutboxStatus.STALE if stale else OutboxStatus.FAILED,
                               outcome.error)
            log.warning("a %s %s was given up after %d attempts (%s)", self.name, item.kind,
                        item.attempts, outcome.error)
        done: asyncio.Future[Queued | None] = asyncio.get_running_loop().create_future()
        self._outcomes.append((item, outcome, done))
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._record_all(),
                                                 name=f"record-{self.name}")
        return await done

    async def _record_all(self) -> None:
        """Record the outcomes waiting, all of them in one transaction, and again while
        more came in meanwhile (group commit: the sends finishing during one transaction
        make the next). Each chat's task gets its next row, or the error."""
        while self._outcomes:
            batch, self._outcomes = self._outcomes, []
            try:
                following = await self._record(batch)
            except Exception as err:  # nothing recorded: the leases give the rows back
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(err)
                continue
            for item, outcome, done in batch:
                self._count(item, outcome)
                if not done.done():
                    done.set_result(following.get(item.user_key))

    async def _record(self, batch: list[tuple[Queued, _Outcome, asyncio.Future[Queued | None]]]
                      ) -> dict[str, Queued]:
        """One transaction: every outcome of `batch` recorded (rows ended in one statement
        per status), then the next row of each chat whose row is done, in one claim."""
        now = self.clock()
        ended: list[tuple[Queued, str, str | None]] = []
        onward: list[str] = []
        dropped = 0
        async with self.store.transaction() as tx:
            for item, outcome, _ in batch:
                if outcome.status is None:
                    assert outcome.retry is not None
                    await tx.retry_outbox(item, outcome.retry, outcome.error or "",
                                          resend=outcome.resend)
                else:
                    ended.append((item, outcome.status, outcome.error))
            if ended:
                await tx.finish_outbox_many(ended, now)
            for item, outcome, _ in batch:
                if outcome.lost is not None:  # nothing else of theirs can arrive either
                    dropped += await outbox.drop_chat(tx.session, self.name, item.user_key,
                                                      outcome.error or "")
                    user = await tx.user(self.name, item.user_key)
                    if user is not None:
                        await tx.set_status([user.id], outcome.lost)
                elif outcome.status is not None:
                    onward.append(item.user_key)
            following: list[Queued] = []
            if onward and not self._stopping:
                following = await tx.claim_outbox(self.name, self.clock(), self.options.lease,
                                                  len(onward), user_keys=onward)
        self.report.failed += dropped
        return {item.user_key: item for item in following}

    def _count(self, item: Queued, outcome: _Outcome) -> None:
        report, kind = self.report, item.kind
        if outcome.resend:
            report.resent += 1
            metrics.RESENT.labels(self.name, kind).inc()
        if outcome.status == OutboxStatus.SENT:
            report.sent += 1
            metrics.SENT.labels(self.name, kind).inc()
        elif outcome.status == OutboxStatus.STALE:
            report.stale += 1
            metrics.STALE.labels(self.name, kind).inc()
        elif outcome.status == OutboxStatus.FAILED:
            report.failed += 1
            metrics.FAILED.labels(self.name, kind).inc()
            if outcome.lost is UserStatus.BLOCKED:
                report.blocked += 1
            elif outcome.lost is UserStatus.UNREACHABLE:
                report.unreachable += 1
            if outcome.lost is not None:
                report.users_lost[item.user_key] = outcome.lost
        elif not outcome.resend:
            report.retried += 1

    async def _attempt(self, item: Queued) -> _Outcome:
        """One send of a row, and what to do next."""
        options = self.options
        lease = options.lease.total_seconds()
        limit = lease - 30.0 if lease > 60.0 else lease / 2  # end before the lease does
        try:
            async with asyncio.timeout(limit):
                await self.sender.send(item.user_key, item.messages,
                                       scheduled=item.kind != OutboxKind.REPLY)
        except UserBlocked:
            log.info("a %s user blocked the bot; marking them blocked", self.name)
            return _Outcome(OutboxStatus.FAILED, "blocked", lost=UserStatus.BLOCKED)
        except UserUnreachable:
            log.info("a %s user cannot be reached; marking them unreachable", self.name)
            return _Outcome(OutboxStatus.FAILED, "unreachable", lost=UserStatus.UNREACHABLE)
        except Refused as err:
            log.error("%s refused a %s for good (%s)", self.name, item.kind, err)
            return _Outcome(OutboxStatus.FAILED, "refused")
        except (MaybeDelivered, TimeoutError):
            return self._maybe(item)
        except RetryLater as err:
            wait = max(err.after or 0.0, self._backoff(item))
            log.warning("%s asks to wait; a %s is tried again in %.0f s", self.name, item.kind,
                        wait)
            return _Outcome(None, "rate_limited", self.clock() + timedelta(seconds=wait))
        except Exception as err:  # outage, 5xx, network: try again later
            wait = self._backoff(item)
            log.warning("a %s %s was not sent (%s); trying again in %.0f s", self.name,
                        item.kind, type(err).__name__, wait)
            return _Outcome(None, type(err).__name__, self.clock() + timedelta(seconds=wait))
        return _Outcome(OutboxStatus.SENT)

    def _maybe(self, item: Queued) -> _Outcome:
        """A timeout after the request went out: it may have arrived. Send it once more
        (never twice), a little later; after that, take it as delivered."""
        if item.resends >= 1:
            log.warning("a %s %s timed out again after its resend; taking it as delivered",
                        self.name, item.kind)
            return _Outcome(OutboxStatus.SENT, "unconfirmed")
        log.warning("a %s %s timed out after it was sent; sending it once more", self.name,
                    item.kind)
        at = self.clock() + timedelta(seconds=self.options.resend_after_seconds)
        return _Outcome(None, "maybe_delivered", at, resend=True)

    def _backoff(self, item: Queued) -> float:
        options = self.options
        return min(options.backoff_seconds * 2 ** max(item.attempts - 1, 0),
                   options.max_backoff_seconds)


async def queue_replies(store: Store, now: datetime, channel: str, user_key: str,
                        messages: list[Outgoing]) -> None:
    """Queue a channel's own notice (not from the engine) in a transaction of its own."""
    async with store.transaction() as tx:
        await tx.enqueue(channel, user_key, messages, kind=OutboxKind.REPLY, now=now)
