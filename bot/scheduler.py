"""The scheduler: one periodic tick sends each due user's morning message, exactly once.

Each tick (one APScheduler interval job, never one job per user):

1. Retries prompts claimed by an earlier tick but never confirmed sent (a crash or restart
   between claim and send), once their lease has run out.
2. Claims due users in batches of `batch_size`, oldest first. In ONE committed transaction
   per batch it inserts a `sent_prompts` row per (user, local date, kind) with status
   `claimed` and moves `next_prompt_at` on. Only then does it send; the messages come from
   the stored `planned_sessions` row for the user's local date (the planner is never run
   here). Sends run concurrently under a semaphore through the channel's own rate-limited
   `send(..., scheduled=True)`.
3. Marks confirmed sends `sent` in groups: at least once a second (`flush_seconds`), every
   `flush_every` sends, at the end of each batch, and in a `finally` on cancellation.
4. Does the same for evening nudges (users with `evening_nudge` on and nothing logged).

Exactly once, and the trade-off. The unique (user, local date, kind) rules out a second
prompt from a second claim: two ticks, two instances, a restart or a reminder time moved
later in the day cannot produce one. What remains is the gap between a channel accepting
a message and our `sent` mark, which no database transaction can close (the messengers
have no idempotency key). We choose not to lose prompts: a claim that was never marked
`sent` is sent again by a later tick, after the lease (so a live instance still sending
it is not overtaken) and only while its morning is within the grace window, at most
`max_attempts` times in all. A clean stop or a cancelled tick records every confirmed
send in a `finally`, so it repeats nothing; only a hard kill (power loss, SIGKILL) between
a delivery and the next flush can repeat the prompts of that unflushed group (those
confirmed within the last `flush_seconds`, at most `flush_every`). A sender that has held its claim
close to the lease stops and leaves it for the retry, so two instances never send the
same claim at once.

Batches: 5,000 users per claim transaction by default. Due users are scattered over the
users table, so on SQLite each batch rewrites pages shared by few of its users; bigger
batches share pages and cut the writes (the 100,000-user bench runs about twice as fast
as with 1,000). Memory stays bounded by the batch, and 5,000 sends at a messenger's 30
messages a second still finish well inside the 5-minute lease.

Downtime: a prompt due within the last `grace` (3 hours) is still sent; an older one is
skipped and `next_prompt_at` moves to the next future reminder. Paused, stopped, blocked
or unreachable users and deleted rows are never selected. On the eve of the trek the user
gets one good-luck message instead of the session and then status `stopped`; a user whose
trek date has come without an eve message is stopped silently.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.channels import UserBlocked, UserUnreachable
from bot.terminal import LocalCommand
from conversations import prompt_texts, prompts
from conversations.formatting import short_moment
from conversations.messages import Outgoing
from conversations.prompts import Content, PromptKind
from conversations.schedule import NUDGE_MINUTES, local_moment, next_prompt_at, nudge_allowed
from storage import Store, UserStatus
from storage import prompts as q
from storage.prompts import PromptStatus

log = logging.getLogger(__name__)

GRACE = timedelta(hours=3)
LEASE = timedelta(minutes=5)
SEND_TIMEOUT = 60.0  # safety margin (seconds) between a batch's last send and its lease
MAX_ATTEMPTS = 3


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
    content: Counter[str] = field(default_factory=Counter)

    def busy(self) -> bool:
        return any((self.claimed, self.retried, self.stale, self.stopped, self.expired,
                    self.failed, self.blocked, self.unreachable))


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


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _trek_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


class Scheduler:
    """Runs ticks against the store, sending through the channels by their name."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        channels: Mapping[str, Sender],
        *,
        batch_size: int = 5000,
        concurrency: int = 64,
        grace: timedelta = GRACE,
        lease: timedelta = LEASE,
        send_timeout: float = SEND_TIMEOUT,
        flush_every: int = 1000,
        flush_seconds: float = 1.0,
        max_attempts: int = MAX_ATTEMPTS,
        only: tuple[str, str] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.channels = dict(channels)
        self.batch_size = batch_size
        self.grace = grace
        self.lease = lease
        self.send_timeout = send_timeout
        self.flush_every = flush_every
        self.flush_seconds = flush_seconds
        self.max_attempts = max_attempts
        self.only = only  # restrict to one (channel, user key): the terminal demo
        self.concurrency = concurrency  # sends in flight at once, per batch
        self._stopping = False
        self._running: set[asyncio.Task[Any]] = set()

    async def close(self, grace_seconds: float = 10.0) -> None:
        """At shutdown: claim no more; let running ticks finish their batch for `grace_seconds`
        seconds, then cancel them (confirmed sends are still recorded on the way out)."""
        self._stopping = True
        running = [t for t in self._running if not t.done()]
        if not running:
            return
        _, pending = await asyncio.wait(running, timeout=grace_seconds)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # the tick -------------------------------------------------------------------
    async def tick(self) -> TickReport:
        """Send everything due now; returns counts. Safe to run concurrently."""
        report = TickReport()
        if not self.channels or self._stopping:
            return report
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await self._retry_claimed(report)
            for claim in (self._claim_daily, self._claim_nudges):
                while not self._stopping:
                    jobs, selected = await claim(report)
                    if jobs:
                        await self._deliver(jobs, report)
                    if selected < self.batch_size:
                        break
        finally:
            if task is not None:
                self._running.discard(task)
            if report.busy():
                log.info(
                    "tick: %d claimed, %d sent, %d retried, %d stale, %d already claimed, "
                    "%d stopped, %d blocked, %d unreachable, %d failed, %d expired; %s",
                    report.claimed, report.sent, report.retried, report.stale,
                    report.already_claimed, report.stopped, report.blocked,
                    report.unreachable, report.failed, report.expired,
                    dict(report.content),
                )
        return report

    # claiming -------------------------------------------------------------------
    async def _claim_daily(self, report: TickReport) -> tuple[list[Job], int]:
        now = self.clock()
        async with self.store.transaction() as tx:
            rows = await q.due_users(tx, now, self.channels, self.batch_size, self.only)
            if not rows:
                return [], 0
            claims: list[dict[str, Any]] = []
            moves: list[dict[str, Any]] = []
            stop: list[int] = []
            plan: dict[int, tuple[q.DueUser, date, int, str]] = {}
            for row in rows:
                try:
                    self._decide(row, now, report, claims, moves, stop, plan)
                except Exception:  # one bad row must not block everyone behind it
                    log.exception("could not schedule user %s; trying again tomorrow", row.id)
                    moves.append({"uid": row.id, "npa": now + timedelta(days=1)})
            ids = await q.claim_prompts(tx, claims)
            await q.advance_prompts(tx, moves)
            await q.set_status(tx, stop, UserStatus.STOPPED)
            daily_ids = [uid for uid, (_, _, _, kind) in plan.items()
                         if kind == PromptKind.DAILY]
            planned = await q.planned_on(tx, daily_ids, (p[1] for p in plan.values()))
            jobs: list[Job] = []
            for uid, (row, day, hour, kind) in plan.items():
                pid = ids.get((uid, day, kind))
                if pid is None:
                    report.already_claimed += 1
                    continue
                if kind == PromptKind.TREK_EVE:
                    messages = prompts.trek_eve(row.display_name)
                    report.content[Content.TREK_EVE] += 1
                else:
                    messages = self._daily(row.display_name, day, hour, row.plan_end,
                                           planned.get((uid, day)), uid, report)
                jobs.append(Job(pid, uid, row.channel, row.external_id, kind, messages, now,
                                stop_after=kind == PromptKind.TREK_EVE))
            report.claimed += len(jobs)
        return jobs, len(rows)

    def _decide(self, row: q.DueUser, now: datetime, report: TickReport,
                claims: list[dict[str, Any]], moves: list[dict[str, Any]], stop: list[int],
                plan: dict[int, tuple[q.DueUser, date, int, str]]) -> None:
        """What to do with one due user: stop, skip as stale, or claim a prompt; and when
        the next one is due."""
        zone = zone_of(row.timezone)
        local = row.due.astimezone(zone)
        day = local.date()
        nxt = None
        if row.reminder_minutes is not None:
            nxt = next_prompt_at(row.reminder_minutes, zone, max(now, row.due))
        nudge_at = row.next_nudge_at
        trek = _trek_date(row.trek_date)
        if trek is not None and day >= trek:
            report.stopped += 1
            stop.append(row.id)
            return
        if row.due < now - self.grace:
            report.stale += 1
        elif trek is not None and day == trek - timedelta(days=1):
            claims.append(self._claim(row.id, day, PromptKind.TREK_EVE, now, row.due))
            plan[row.id] = (row, day, local.hour, PromptKind.TREK_EVE)
            nxt, nudge_at = None, None
        else:
            claims.append(self._claim(row.id, day, PromptKind.DAILY, now, row.due))
            plan[row.id] = (row, day, local.hour, PromptKind.DAILY)
            if row.evening_nudge and nudge_allowed(row.reminder_minutes):
                nudge_at = local_moment(day, NUDGE_MINUTES, zone)
        move = {"uid": row.id, "npa": nxt}
        if nudge_at != row.next_nudge_at:
            move["nna"] = nudge_at
        moves.append(move)

    async def _claim_nudges(self, report: TickReport) -> tuple[list[Job], int]:
        now = self.clock()
        async with self.store.transaction() as tx:
            rows = await q.due_nudges(tx, now, self.channels, self.batch_size, self.only)
            if not rows:
                return [], 0
            days = {row.id: row.due.astimezone(zone_of(row.timezone)).date() for row in rows}
            logged = await q.logged_on(tx, list(days), days.values())
            await q.clear_nudges(tx, list(days))
            wanted = []
            for row in rows:
                day = days[row.id]
                if row.due < now - self.grace:
                    report.stale += 1
                elif not row.evening_nudge or (row.id, day) in logged:
                    report.nudges_skipped += 1
                else:
                    wanted.append(row)
            ids = await q.claim_prompts(
                tx, [self._claim(r.id, days[r.id], PromptKind.NUDGE, now, r.due) for r in wanted]
            )
            jobs = []
            for row in wanted:
                pid = ids.get((row.id, days[row.id], PromptKind.NUDGE))
                if pid is None:
                    report.already_claimed += 1
                    continue
                report.content[Content.NUDGE] += 1
                jobs.append(Job(pid, row.id, row.channel, row.external_id, PromptKind.NUDGE,
                                prompts.nudge(days[row.id]), now))
            report.claimed += len(jobs)
        return jobs, len(rows)

    async def _retry_claimed(self, report: TickReport) -> None:
        """Resend prompts claimed before the lease and never confirmed sent."""
        while not self._stopping:
            now = self.clock()
            jobs: list[Job] = []
            async with self.store.transaction() as tx:
                rows = await q.stale_claims(tx, now - self.lease, self.channels,
                                            self.batch_size, self.only)
                dropped, expired, failed, taken = [], [], [], []
                for row in rows:
                    due = row.due_at or row.claimed_at
                    if row.user_status != UserStatus.ACTIVE:
                        dropped.append(row.id)
                    elif due < now - self.grace:
                        expired.append(row.id)
                    elif row.attempts >= self.max_attempts:
                        failed.append(row.id)
                    elif await q.reclaim(tx, row.id, row.claimed_at, now):
                        taken.append(row)
                await q.mark(tx, dropped, PromptStatus.DROPPED)
                await q.mark(tx, expired, PromptStatus.EXPIRED)
                await q.mark(tx, failed, PromptStatus.FAILED)
                report.expired += len(expired)
                report.failed += len(failed)
                planned = await q.planned_on(tx, [r.user_id for r in taken],
                                             (r.local_date for r in taken))
                for row in taken:
                    zone = zone_of(row.timezone)
                    hour = (row.due_at or row.claimed_at).astimezone(zone).hour
                    if row.kind == PromptKind.TREK_EVE:
                        messages = prompts.trek_eve(row.display_name)
                    elif row.kind == PromptKind.NUDGE:
                        messages = prompts.nudge(row.local_date)
                    else:
                        messages = self._daily(row.display_name, row.local_date, hour,
                                               row.plan_end,
                                               planned.get((row.user_id, row.local_date)),
                                               row.user_id, report)
                    jobs.append(Job(row.id, row.user_id, row.channel, row.external_id,
                                    row.kind, messages, now,
                                    stop_after=row.kind == PromptKind.TREK_EVE))
                report.retried += len(jobs)
            if jobs:
                await self._deliver(jobs, report)
            if len(rows) < self.batch_size:
                return

    def _claim(self, user_id: int, day: date, kind: str, now: datetime, due: datetime
               ) -> dict[str, Any]:
        return {"user_id": user_id, "local_date": day, "kind": str(kind), "claimed_at": now,
                "due_at": due}

    def _daily(self, name: str | None, day: date, hour: int, plan_end: date | None,
               row: tuple[str, str] | None, user_id: int, report: TickReport
               ) -> list[Outgoing]:
        content, messages = prompts.daily(
            day, hour, name, row[0] if row else None, row[1] if row else None,
            plan_covers_day=plan_end is not None and plan_end >= day,
        )
        report.content[content] += 1
        if content == Content.GENERIC:
            log.info("user %s has no plan row for %s (plan ends %s): generic session sent",
                     user_id, day, plan_end)
        return messages

    # sending --------------------------------------------------------------------
    async def _deliver(self, jobs: Sequence[Job], report: TickReport) -> None:
        """Send concurrently (bounded); record outcomes in small groups, and on the way out."""
        done: list[Job] = []
        lost: dict[str, list[Job]] = {"blocked": [], "unreachable": []}
        first_pending = [0.0]

        async def flush() -> None:
            batch, done[:] = done[:], []
            gone = {k: v[:] for k, v in lost.items()}
            for v in lost.values():
                v.clear()
            if not batch and not any(gone.values()):
                return
            at = self.clock()
            try:
                async with self.store.transaction() as tx:
                    await q.mark(tx, [j.prompt_id for j in batch], PromptStatus.SENT, at)
                    await q.set_status(tx, [j.user_id for j in batch if j.stop_after],
                                       UserStatus.STOPPED)
                    for status, group in gone.items():
                        await q.mark(tx, [j.prompt_id for j in group], PromptStatus.FAILED)
                        await q.set_status(tx, [j.user_id for j in group], status)
            except BaseException:
                # Not recorded (cancelled mid-write?): hand them to the final flush.
                done.extend(batch)
                for status, group in gone.items():
                    lost[status].extend(group)
                raise

        async def one(job: Job) -> None:
            channel = self.channels[job.channel]
            try:
                await channel.send(job.user_key, job.messages, scheduled=True)
            except UserBlocked:
                report.blocked += 1
                lost["blocked"].append(job)
                log.info("user %s blocked the bot on %s", job.user_id, job.channel)
                return
            except UserUnreachable:
                report.unreachable += 1
                lost["unreachable"].append(job)
                log.info("user %s is unreachable on %s", job.user_id, job.channel)
                return
            except Exception as err:  # one user's failure never stops the tick
                report.failed += 1
                log.warning("%s prompt to user %s on %s failed (%s); retried later",
                            job.kind, job.user_id, job.channel, type(err).__name__)
                return
            report.sent += 1
            if not done:
                first_pending[0] = time.monotonic()
            done.append(job)
            if (len(done) >= self.flush_every
                    or time.monotonic() - first_pending[0] >= self.flush_seconds):
                await flush()

        queue = iter(jobs)

        async def worker() -> None:
            for job in queue:  # the workers share one iterator: each job is taken once
                await one(job)

        # The batch must be done well before its claims' lease runs out, or another
        # instance could retry a claim still being sent: sends not done by then are
        # cancelled and left claimed, for the retry.
        held = (self.clock() - min(j.claimed_at for j in jobs)).total_seconds()
        budget = self.lease.total_seconds() - self.send_timeout - held
        try:
            # A TaskGroup: if the tick is cancelled or a send raises past `one`, the other
            # workers are cancelled and awaited before the confirmed sends are recorded.
            async with asyncio.timeout(max(budget, 0.0)):
                async with asyncio.TaskGroup() as group:
                    for _ in range(min(self.concurrency, len(jobs))):
                        group.create_task(worker())
        except TimeoutError:
            log.warning("a batch of %d prompts ran into its lease; the rest are retried",
                        len(jobs))
        finally:
            await flush()


async def demo_next_day(
    scheduler: Scheduler, clock: Any, channel: str, user_key: str
) -> list[Outgoing]:
    """The demo clock's /nextday: jump to the user's next message time and run the tick.

    An evening nudge due before the next morning goes out first, as it would in real time.
    """
    async with scheduler.store.transaction() as tx:
        prompt_at, nudge_at = await q.next_times(tx, channel, user_key)
        zone_name = None
        user = await tx.user(channel, user_key)
        if user is not None:
            zone_name = user.timezone
    if prompt_at is None:
        return [Outgoing(prompt_texts.DEMO_NOTHING_SCHEDULED)]
    zone = zone_of(zone_name)
    sender = scheduler.channels[channel]
    stops = [t for t in (nudge_at, prompt_at) if t is not None and t <= prompt_at]
    for moment in sorted(stops):
        clock.advance_to(moment)
        when = short_moment(moment.astimezone(zone))
        await sender.send(user_key, [Outgoing(prompt_texts.DEMO_JUMP.format(when=when))])
        report = await scheduler.tick()
        if not report.sent:
            await sender.send(user_key,
                              [Outgoing(prompt_texts.DEMO_NOTHING_SENT.format(when=when))])
    return []


def demo_command(scheduler: Scheduler, clock: Any, channel: str, user_key: str
                 ) -> LocalCommand:
    """The terminal's local command hook: understands /nextday."""

    async def command(word: str) -> list[Outgoing] | None:
        if word.split()[0] != "/nextday":
            return None
        return await demo_next_day(scheduler, clock, channel, user_key)

    return command
