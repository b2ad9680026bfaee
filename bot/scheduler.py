"""The scheduler: one periodic tick sends each due user's morning message, exactly once.

Each tick (one APScheduler interval job, never one job per user):

1. Retries prompts claimed by an earlier tick but never confirmed sent (a crash or restart
   between claim and send), once their lease has run out.
2. Claims due users in batches of `batch_size`, oldest first. In ONE committed transaction
   per batch it inserts a `sent_prompts` row per (user, local date, kind) with status
   `claimed`, moves `next_prompt_at` on, and queues the prompt's messages in the outbox
   (one row per prompt, linked to its claim). The messages come from the stored
   `planned_sessions` row for the user's local date (rolled ahead of time, so the planner
   runs here only for the few not rolled yet).
3. The channels' dispatchers send the rows (`bot/dispatch.py`): woken by the commit when
   they run (`trekbot run`), or drained at the end of the tick when the scheduler was
   given none (the terminal demo, tests). A row's outcome moves its claim to `sent`,
   `failed` or `expired`; blocked and unreachable users are marked.
4. Does the same for evening nudges (users with `evening_nudge` on and nothing logged).
5. Rolls plans forward ahead of the due time (`bot/plan_rolling.py`): the stored row for
   each user's next morning is rebuilt as the plan stands that day, in bulk and within a
   time budget, so the push names exactly what `today` and `/plan` show. A due user not
   rolled yet is rolled in the claim transaction.
6. Prunes finished outbox rows older than the retention (`TREKBOT_RETENTION_DAYS`).

Exactly once, and the trade-off. The unique (user, local date, kind) rules out a second
prompt from a second claim: two ticks, two instances, a restart or a reminder time moved
later in the day cannot produce one. A claim and its outbox row commit together, so there
is never a claim without a message or a message without a claim. What remains is the gap
between a channel accepting a message and the dispatcher's `sent` mark, which no
database transaction can close (the messengers have no idempotency key): a hard kill
(SIGKILL, power loss) in that gap sends that one row again after its lease. A prompt
still unsent when its grace window ends is dropped as stale. Claims older than the
outbox (no row) are still retried after the lease, by queuing a row for them.

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
from datetime import date, datetime, timedelta
from typing import Any

from bot import plan_rolling
from bot.dispatch import Dispatcher, DrainReport
from bot.prompt_rules import GRACE, Action, Prompt, decide, prompt_messages, zone_of
from bot.prompt_sending import Job, Sender, TickReport
from conversations.prompts import Content, PromptKind
from conversations.schedule import session_day
from planner import LogKind
from storage import Store, Tx, UserStatus, outbox
from storage import schedule_rows as q
from storage.schedule_rows import Claim, Move, Planned, PromptStatus

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
RETENTION = timedelta(days=7)  # TREKBOT_RETENTION_DAYS
SEND_TIMEOUT = 60.0  # safety margin (seconds) between a batch's last send and its lease
MAX_ATTEMPTS = 3


def _retried(row: q.StaleClaim) -> Prompt:
    """The prompt of a claim being sent again, as it was first built (a preview stays one)."""
    local = (row.due_at or row.claimed_at).astimezone(zone_of(row.timezone))
    return Prompt(row.kind, row.local_date, local.hour, row.display_name, row.plan_end,
                  preview=row.kind == PromptKind.DAILY and session_day(local) != row.local_date)


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
        dispatchers: Mapping[str, Dispatcher] | None = None,
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
        self.only = only  # restrict to one (channel, user key): the terminal demo
        self.concurrency = concurrency  # sends in flight at once, per batch
        self._stopping = False
        self._running: set[asyncio.Task[Any]] = set()
        self.overruns = 0  # interval fires that found the previous tick still running
        self.ticks = 0  # ticks run by run_tick
        self._ticking = False
        self._again = False
        self.retention = retention  # sent outbox rows, handled ids, done inbox rows
        # Without running dispatchers (the channels' own), the tick sends what it queued.
        self._drain = dispatchers is None
        self.dispatchers = dict(dispatchers) if dispatchers is not None else {
            name: Dispatcher(store, clock, name, channel)
            for name, channel in self.channels.items()}

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
                        await self._deliver(report)
                    if selected < self.batch_size:
                        break
            await self._deliver(report)  # retries that came due since the last tick
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
                (p.session_day for _, p in wanted))
            done = await q.logged_on(tx, [row.id for row, _ in wanted],
                                     (p.session_day for _, p in wanted),
                                     kinds=(LogKind.DONE.value,))
            jobs: list[Job] = []
            given: list[tuple[int, date]] = []
            for row, prompt in wanted:
                if (row.id, prompt.session_day) in done:
                    prompt = replace(prompt, done=True)
                pid = ids.get((row.id, prompt.day, prompt.kind))
                if pid is None:
                    report.already_claimed += 1
                    continue
                if prompt.kind == PromptKind.DAILY and not prompt.preview:
                    given.append((row.id, prompt.day))
                jobs.append(self._job(pid, row.id, row.channel, row.external_id, prompt,
                                      planned.get((row.id, prompt.session_day)), now, row.due,
                                      report))
            await q.give(tx, given)  # the day's row stays as the push names it
            await self._queue(tx, jobs, now)
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
                                      Prompt(PromptKind.NUDGE, days[row.id]), None, now,
                                      row.due, report))
            await self._queue(tx, jobs, now)
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
                prompts = [_retried(row) for row in taken]
                planned = await q.planned_on(tx, [r.user_id for r in taken],
                                             (p.session_day for p in prompts))
                done = await q.logged_on(tx, [r.user_id for r in taken],
                                         (p.session_day for p in prompts),
                                         kinds=(LogKind.DONE.value,))
                for row, prompt in zip(taken, prompts, strict=True):
                    key = (row.user_id, prompt.session_day)
                    jobs.append(self._job(row.id, row.user_id, row.channel, row.external_id,
                                          replace(prompt, done=key in done), planned.get(key),
                                          now, row.due_at or row.claimed_at, report))
                await self._queue(tx, jobs, now)
                report.retried += len(jobs)
            if jobs:
                await self._deliver(report)
            if len(rows) < self.batch_size:
                return

    def _job(self, prompt_id: int, user_id: int, channel: str, user_key: str, prompt: Prompt,
             planned: Planned | None, now: datetime, due: datetime,
             report: TickReport) -> Job:
        """A claimed prompt with its messages: the one place they are built."""
        content, messages = prompt_messages(prompt, planned)
        report.content[content] += 1
        if content == Content.GENERIC:
            log.info("user %s has no plan row for %s (plan ends %s): generic session sent",
                     user_id, prompt.day, prompt.plan_end)
        return Job(prompt_id, user_id, channel, user_key, prompt.kind, messages, now, due,
                   stop_after=prompt.stops_coaching)

    # sending --------------------------------------------------------------------
    async def _queue(self, tx: Tx, jobs: Sequence[Job], now: datetime) -> None:
        """Queue the claimed prompts in the claim's own transaction. The trek-eve message's
        user stops here: the message is on its way and nothing else is due."""
        await tx.enqueue_rows([
            outbox.row(j.channel, j.user_key, j.messages, kind=outbox.OutboxKind.PROMPT,
                       now=now, not_after=max(j.due + self.grace, now), prompt_id=j.prompt_id)
            for j in jobs])
        await tx.set_status([j.user_id for j in jobs if j.stop_after], UserStatus.STOPPED)

    async def _deliver(self, report: TickReport) -> None:
        """Without running dispatchers, send what is due now and count the outcomes."""
        if not self._drain:
            return
        for dispatcher in self.dispatchers.values():
            _count(report, await dispatcher.drain())

    async def _prune(self) -> None:
        """Drop finished outbox rows, handled message ids and done inbox rows older than the
        retention (past the platforms' redelivery window the ids dedupe nothing)."""
        if self.only is not None:  # the terminal demo keeps the database as it is
            return
        async with self.store.transaction() as tx:
            before = self.clock() - self.retention
            gone = await outbox.prune(tx.session, before)
            handled = await tx.prune_processed(before)
        if gone or handled:
            log.info("pruned %d sent outbox rows, %d handled ids and inbox rows", gone, handled)


def _count(report: TickReport, done: DrainReport) -> None:
    report.sent += done.sent
    report.blocked += done.blocked
    report.unreachable += done.unreachable
    report.failed += done.failed - done.blocked - done.unreachable
    report.expired += done.stale
