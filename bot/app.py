"""The one place where everything is wired: store, engine, channels, scheduler, web server."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.exc import SQLAlchemyError

from bot import metrics
from bot.channels import Channel, StartupError
from bot.clock import ShiftedClock, system_clock
from bot.demo_clock import demo_command
from bot.feed import feed_routes
from bot.health import Readiness
from bot.leader_outbox import LeaderOutbox
from bot.leader_web import LeaderSite
from bot.pacing_shared import SlotStore, open_slots
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.terminal import LocalCommand, TerminalChannel
from bot.web import WebServer, build_app
from conversations.engine import Engine
from conversations.messages import Outgoing
from storage import Store
from storage import batches as batch_queries
from storage import outbox as outbox_queries

log = logging.getLogger(__name__)


@dataclass
class Bot:
    """The wired program."""

    settings: Settings
    store: Store
    engine: Engine
    clock: Callable[[], datetime]
    pace_slots: SlotStore | None = None  # shared send pacing (`trekbot run` on PG or Redis)


async def open_store(settings: Settings) -> Store:
    """Open the database and apply migrations (one instance at a time on PostgreSQL)."""
    store = Store(settings.database_url, pool_size=settings.db_pool_size,
                  id_key=settings.id_key)
    try:
        await store.start()
    except (OSError, SQLAlchemyError, sqlite3.Error) as err:  # unreachable, unwritable, refused
        await store.close()
        raise StartupError(f"cannot open the database (DATABASE_URL): {_reason(err)}") from None
    return store


async def bootstrap(settings: Settings, clock: Callable[[], datetime] = system_clock) -> Bot:
    """Open the database (applying migrations) and build the engine."""
    store = await open_store(settings)
    engine = Engine(store, clock, public_url=settings.public_url)
    return Bot(settings=settings, store=store, engine=engine, clock=clock)


async def migrate(settings: Settings) -> None:
    """`trekbot migrate`: bring the schema to the newest migration, then exit."""
    store = await open_store(settings)
    await store.close()
    log.info("database migrations are at head")


def _reason(err: BaseException) -> str:
    """A one-line cause, without the URL (it may hold a password)."""
    cause = getattr(err, "orig", None) or err
    first = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first}" if first else type(cause).__name__


async def run_chat(settings: Settings, user: str, demo: bool) -> None:
    """The terminal chat for one user, until end of input."""
    shifted = ShiftedClock() if demo else None
    clock = shifted or system_clock
    bot = await bootstrap(settings, clock)
    demo_hook: list[LocalCommand] = []

    async def local_command(word: str) -> list[Outgoing] | None:
        return await demo_hook[0](word) if demo_hook else None

    try:
        channel = TerminalChannel(
            handle=bot.engine.handle,
            clock=clock,
            user_key=user,
            stdin=sys.stdin,
            stdout=sys.stdout,
            out_dir=Path.cwd() / "trekbot-out",
            local_command=local_command if demo else None,
            store=bot.store,
        )
        if shifted is not None:  # /nextday: jump to the next message time and run the tick
            scheduler = Scheduler(bot.store, shifted, {channel.name: channel},
                                  only=(channel.name, user))
            demo_hook.append(demo_command(scheduler, shifted, channel.name, user))
        await channel.run()
    finally:
        await bot.store.close()


def _timed(tick: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    async def timed() -> None:
        try:
            with metrics.TICK_SECONDS.time():
                await tick()
        except asyncio.CancelledError:  # stopped at shutdown: not an error of the job
            log.warning("a scheduler tick was stopped by the shutdown; the next start resumes it")

    return timed


def messenger_channels(bot: Bot) -> list[Channel]:
    """The messenger channels the settings ask for; `bot.pace_slots` shares their pace with
    the other instances."""
    pace_slots = bot.pace_slots
    channels: list[Channel] = []
    handle = metrics.timed_handle(bot.engine.handle)
    if bot.settings.telegram:
        from bot.telegram import TelegramChannel

        channels.append(TelegramChannel.from_settings(bot.settings, handle, bot.store,
                                                      bot.clock, pace_slots))
    if bot.settings.whatsapp:
        from bot import whatsapp

        channels.append(whatsapp.from_settings(bot.settings, handle, bot.store,
                                               bot.clock, pace_slots))
    return channels


def shared_pacing(settings: Settings) -> SlotStore | None:
    """Where the platforms' rates are counted across instances: Redis (TREKBOT_REDIS_URL),
    else PostgreSQL; None on SQLite, where one process paces itself."""
    slots = open_slots(settings.database_url, settings.redis_url)
    if slots is not None:
        log.info("send pacing is shared through %s",
                 "Redis" if settings.redis_url else "the database")
    return slots


async def run_service(settings: Settings) -> None:
    """Messenger channels, the scheduler and (for webhooks) the web server, until a signal."""
    bot = await bootstrap(settings)
    pace_slots = bot.pace_slots = shared_pacing(settings)
    try:
        channels = messenger_channels(bot)
    except BaseException:
        await _close(bot, pace_slots)
        raise
    if not channels:
        await _close(bot, pace_slots)
        raise StartupError("No messenger is configured: set TELEGRAM_BOT_TOKEN or WHATSAPP_*, "
                         "or use `trekbot chat`.")
    stop = _stop_on_signals()
    web: WebServer | None = None
    by_name = {c.name: c for c in channels}
    # Each channel's dispatcher sends its outbox (woken by the commits that queue rows).
    scheduler = Scheduler(bot.store, bot.clock, by_name,
                          dispatchers={c.name: c.dispatcher for c in channels},
                          retention=timedelta(days=settings.retention_days))
    outbox = LeaderOutbox(bot.store, bot.clock, by_name)
    jobs = AsyncIOScheduler(timezone=UTC)
    readiness = Readiness(bot.store, channels=[c.name for c in channels],
                          outbox_stats=partial(outbox_stats, bot.store, bot.clock))
    try:
        for channel in channels:
            await channel.start()
        # The web server, in every mode: /healthz, /readyz and /metrics, the webhooks, the
        # leader's page and the calendar feeds. Before the scheduler: a port in use stops
        # start-up cleanly.
        site = leader_site(bot, on_broadcast=lambda: _soon(jobs, "leader-outbox"))
        routes = [r for c in channels for r in c.routes()] + site.routes()
        routes += feed_routes(bot.store, bot.clock)
        web = WebServer(build_app(routes, readiness), settings.host, settings.port)
        await web.start()
        # run_tick itself notices a tick still running (max_instances=2 lets the fire
        # through to count it); a fire delayed by a busy loop still runs (no grace limit).
        jobs.add_job(_timed(scheduler.run_tick), "interval", seconds=settings.tick_seconds,
                     id="tick", max_instances=2, coalesce=True, misfire_grace_time=None,
                     next_run_time=bot.clock())
        jobs.add_job(outbox.tick, "interval", seconds=settings.tick_seconds,
                     id="leader-outbox", max_instances=1, coalesce=True)
        jobs.start()
        readiness.started = True
        log.info("trekbot is running with %s", ", ".join(c.name for c in channels))
        await stop.wait()
    finally:
        readiness.started = False
        await scheduler.close()  # first: a tick in progress finishes (APScheduler would cancel it)
        if jobs.running:
            jobs.shutdown(wait=False)
        if web is not None:
            await web.stop()
        for channel in reversed(channels):
            await channel.stop()
        await _close(bot, pace_slots)


async def _close(bot: Bot, pace_slots: SlotStore | None) -> None:
    if pace_slots is not None:
        await pace_slots.close()
    await bot.store.close()


async def outbox_stats(store: Store, clock: Callable[[], datetime]
                       ) -> dict[str, tuple[int, float]]:
    """Per channel: outbox rows waiting and the age of the oldest (for /metrics)."""
    async with store.transaction() as tx:
        return await outbox_queries.stats(tx.session, clock())


def _stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT/SIGTERM; a second signal exits at once."""
    stop = asyncio.Event()

    def on_signal() -> None:
        if stop.is_set():  # a second signal: the operator will not wait for the clean stop
            log.warning("second stop signal: exiting now, without waiting for work in progress")
            logging.shutdown()
            os._exit(130)
        log.info("stopping: finishing work in progress (signal again to exit at once)")
        stop.set()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)
    return stop


def _soon(jobs: AsyncIOScheduler, job_id: str) -> None:
    """Run an interval job now (a broadcast was queued) instead of at its next tick."""
    job = jobs.get_job(job_id)
    if job is not None:
        job.modify(next_run_time=datetime.now(UTC))


async def has_leaders(store: Store) -> bool:
    async with store.transaction() as tx:
        return await batch_queries.any_leader(tx)


def leader_site(bot: Bot, on_broadcast: Callable[[], None] | None = None) -> LeaderSite:
    """The leader's page; its cookie is Secure when the public address is https."""
    return LeaderSite(bot.store, bot.clock, secure=bot.settings.base_url.startswith("https:"),
                      on_broadcast=on_broadcast)


async def run_dashboard(settings: Settings) -> None:
    """The web server alone: the leader's page (and /healthz), until a signal. Broadcasts
    queued here are sent by the running bot (`trekbot run`) at its next tick."""
    bot = await bootstrap(settings)
    stop = _stop_on_signals()
    routes = leader_site(bot).routes() + feed_routes(bot.store, bot.clock)
    web = WebServer(build_app(routes), settings.host, settings.port)
    try:
        await web.start()
        log.info("the leader's page is at %s/leader", settings.base_url)
        await stop.wait()
    finally:
        await web.stop()
        await bot.store.close()
