"""The scheduler: one periodic tick sends each due user's morning message, exactly once.

Each tick (one APScheduler interval job, never one job per user):

1. Retries prompts claimed by an earlier tick but never confirmed sent (a crash or restart
   between claim and send), once their lease has run out.
2. Claims due users in batches of `batch_size`, oldest first. In ONE committed transaction
   per batch it inserts a `sent_prompts` row per (user, local date, kind) with status
   `claimed` and moves `next_prompt_at` on. Only then does it send; the messages come from
   the stored `planned_sessions` row for the user's local date (rolled ahead of time, so
   the planner runs here only for the few not rolled yet). Sends run concurrently under a
   semaphore through the channel's own rate-limited `send(..., scheduled=True)`.
3. Marks confirmed sends `sent` in groups: at least once a second (`flush_seconds`), every
   `flush_every` sends, at the end of each batch, and in a `finally` on cancellation.
4. Does the same for evening nudges (users with `evening_nudge` on and nothing logged).
5. Rolls plans forward ahead of the due time (`bot/plan_rolling.py`): the stored row for
   each user's next morning is rebuilt as the plan stands that day, in bulk and within a
   time budget, so the push names exactly what `today` and `/plan` show. A due user not
   rolled yet is rolled in the claim transaction.

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

Where the parts live: this module runs ticks (claim, retry, deliver); the pure rules (what
to do with a due user, a prompt's messages) are in `bot/prompt_rules.py`, the sending and
recording of a batch in `bot/prompt_sending.py`, the queries in `storage/schedule_rows.py`,
and the demo's `/nextday` in `bot/demo_clock.py`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot import plan_rolling
from bot.prompt_rules import GRACE, Action, Prompt, decide, prompt_messages, zone_of
from bot.prompt_sending import Job, Recorder, Sender, TickReport
from conversations.prompts import Content, PromptKind
from planner import LogKind
from storage import Store, UserStatus
from storage import schedule_rows as q
from storage.schedule_rows import Claim, Move, Planned, PromptStatus

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
RETENTION = timedelta(days=7)  # TREKBOT_RETENTION_DAYS
SEND_TIMEOUT = 60.0  # safety margin (seconds) between a batch's last send and its lease
MAX_ATTEMPTS = 3


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
        roll_ahead: timedelta = plan_rolling.ROLL_AHEAD,
        roll_batch: int = plan_rolling.ROLL_BATCH,
        roll_budget: float = plan_rolling.ROLL_BUDGET,
        retention: timedelta = RETENTION,
    ) -> None:
        self.store = store
        self.roll_ahead, self.roll_batch, self.roll_budget = roll_ahead, roll_batch, roll_budget
        self.clock = clock
        self.channels = dict(channels)
        self.batch_size = batch_size
        self.grace = grace
        self.lease = lease
        self.send_timeout = send_timeout
        self.flush_every = flush_every
        self.flush_seconds = flush_seconds
        self.max_attempts = max_attempts
        self.retention = retention  # handled message ids and done inbox rows are kept this long
        self.only = only  # restrict to one (channel, user key): the terminal demo
        self.concurrency = concurrency  # sends in flight at once, per batch
        self._stopping = False
        self._running: set[asyncio.Task[Any]] = set()
        self.overruns = 0  # interval fires that found the previous tick still running
        self.ticks = 0  # ticks run by run_tick
        self._ticking = False
        self._again = False

    async def roll(self) -> int:
        """One batch of the rolling pass (the bench and tests); returns users rolled."""
        return await plan_rolling.roll_once(self.store, self.clock(), self.channels,
                                            ahead=self.roll_ahead, batch=self.roll_batch,
                                            only=self.only)

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
    async def run_tick(self) -> None:
        """The interval job. A fire that finds the last tick still running is logged and
        counted, and the running tick goes round once more when it is done, so work that
        did not fit in one interval is continued at once instead of waiting (or being
        dropped as APScheduler's "maximum number of running instances" would)."""
        if self._ticking:
            self.overruns += 1
            self._again = True
            log.warning("tick overran its interval (%d overruns so far); continuing the work "
                        "as soon as it is done", self.overruns)
            return
        self._ticking = True
        try:
            while True:
                self._again = False
                self.ticks += 1
                try:
                    await self.tick()
                except Exception:
                    log.exception("a scheduler tick failed")
                if not self._again or self._stopping:
                    break
        finally:
            self._ticking = False

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
            report.rolled += await plan_rolling.roll_ahead(
                self.store, self.clock, self.channels, ahead=self.roll_ahead,
                batch=self.roll_batch, budget=self.roll_budget, only=self.only,
                stopping=lambda: self._stopping)
            await self._prune()
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

    async def _prune(self) -> None:
        """Forget handled message ids and done inbox rows older than the retention period
        (past the platforms' redelivery window they dedupe nothing)."""
        if self.only is not None:  # the terminal demo keeps the database as it is
            return
        async with self.store.transaction() as tx:
            gone = await tx.prune_processed(self.clock() - self.retention)
        if gone:
            log.info("pruned %d handled message ids and inbox rows", gone)

    # claiming -------------------------------------------------------------------
    async def _claim_daily(self, report: TickReport) -> tuple[list[Job], int]:
        now = self.clock()
        async with self.store.transaction() as tx:
            rows = await q.due_users(tx, now, self.channels, self.batch_size, self.only)
            if not rows:
                return [], 0
            claims: list[Claim] = []
            moves: list[Move] = []
            stop: list[int] = []
            wanted: list[tuple[q.DueUser, Prompt]] = []
            for row in rows:
                try:
                    decision = decide(row, now, self.grace)
                except Exception:  # one bad row must not block everyone behind it
                    log.exception("could not schedule user %s; trying again tomorrow", row.id)
                    moves.append(Move(row.id, now + timedelta(days=1)))
                    continue
                if decision.move is not None:
                    moves.append(decision.move)
                if decision.action is Action.STOP:
                    report.stopped += 1
                    stop.append(row.id)
                elif decision.action is Action.STALE:
                    report.stale += 1
                elif decision.prompt is not None:
                    prompt = decision.prompt
                    claims.append(Claim(row.id, prompt.day, str(prompt.kind), now, row.due))
                    wanted.append((row, prompt))
            ids = await q.claim_prompts(tx, claims)
            await q.advance_prompts(tx, moves)
            await tx.set_status(stop, UserStatus.STOPPED)
            report.rolled_inline += await plan_rolling.roll_due(
                tx, [(row.id, row.timezone, row.due) for row, p in wanted
                     if p.kind == PromptKind.DAILY and row.plan_for_prompt != row.due])
            planned = await q.planned_on(
                tx, [row.id for row, p in wanted if p.kind == PromptKind.DAILY],
                (p.day for _, p in wanted))
            done = await q.logged_on(tx, [row.id for row, _ in wanted],
                                     (p.day for _, p in wanted), kinds=(LogKind.DONE.value,))
            jobs: list[Job] = []
            for row, prompt in wanted:
                if (row.id, prompt.day) in done:
                    prompt = replace(prompt, done=True)
                pid = ids.get((row.id, prompt.day, prompt.kind))
                if pid is None:
                    report.already_claimed += 1
                    continue
                jobs.append(self._job(pid, row.id, row.channel, row.external_id, prompt,
                                      planned.get((row.id, prompt.day)), now, report))
            report.claimed += len(jobs)
        return jobs, len(rows)

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
                tx, [Claim(r.id, days[r.id], PromptKind.NUDGE, now, r.due) for r in wanted]
            )
            jobs = []
            for row in wanted:
                pid = ids.get((row.id, days[row.id], PromptKind.NUDGE))
                if pid is None:
                    report.already_claimed += 1
                    continue
                jobs.append(self._job(pid, row.id, row.channel, row.external_id,
                                      Prompt(PromptKind.NUDGE, days[row.id]), None, now, report))
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
                done = await q.logged_on(tx, [r.user_id for r in taken],
                                         (r.local_date for r in taken),
                                         kinds=(LogKind.DONE.value,))
                for row in taken:
                    zone = zone_of(row.timezone)
                    hour = (row.due_at or row.claimed_at).astimezone(zone).hour
                    prompt = Prompt(row.kind, row.local_date, hour, row.display_name,
                                    row.plan_end, (row.user_id, row.local_date) in done)
                    jobs.append(self._job(row.id, row.user_id, row.channel, row.external_id,
                                          prompt, planned.get((row.user_id, row.local_date)),
                                          now, report))
                report.retried += len(jobs)
            if jobs:
                await self._deliver(jobs, report)
            if len(rows) < self.batch_size:
                return

    def _job(self, prompt_id: int, user_id: int, channel: str, user_key: str, prompt: Prompt,
             planned: Planned | None, now: datetime, report: TickReport) -> Job:
        """A claimed prompt with its messages: the one place they are built."""
        content, messages = prompt_messages(prompt, planned)
        report.content[content] += 1
        if content == Content.GENERIC:
            log.info("user %s has no plan row for %s (plan ends %s): generic session sent",
                     user_id, prompt.day, prompt.plan_end)
        return Job(prompt_id, user_id, channel, user_key, prompt.kind, messages, now,
                   stop_after=prompt.stops_coaching)

    # sending --------------------------------------------------------------------
    async def _deliver(self, jobs: Sequence[Job], report: TickReport) -> None:
        """Send concurrently (bounded); record outcomes in small groups, and on the way out."""
        record = Recorder(self, report)
        queue = iter(jobs)

        async def worker() -> None:
            for job in queue:  # the workers share one iterator: each job is taken once
                await record.send(job)

        # The batch must be done well before its claims' lease runs out, or another
        # instance could retry a claim still being sent: sends not done by then are
        # cancelled and left claimed, for the retry.
        held = (self.clock() - min(j.claimed_at for j in jobs)).total_seconds()
        budget = self.lease.total_seconds() - self.send_timeout - held
        try:
            # A TaskGroup: if the tick is cancelled or a send raises past `Recorder.send`,
            # the other workers are cancelled and awaited before the sends are recorded.
            async with asyncio.timeout(max(budget, 0.0)):
                async with asyncio.TaskGroup() as group:
                    for _ in range(min(self.concurrency, len(jobs))):
                        group.create_task(worker())
        except TimeoutError:
            log.warning("a batch of %d prompts ran into its lease; the rest are retried",
                        len(jobs))
        finally:
            await record.flush()
