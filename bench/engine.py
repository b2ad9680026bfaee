"""Benchmark of the message path: N users onboard, then days of the daily mix, via Engine.handle.

All users run concurrently, each user's messages in order (a user sends the next message
when the reply to the last one came: closed loop). The daily mix per user and day is
"today", "should I run today?", "done ..." and "progress" (the progress chart is replaced by
empty bytes: matplotlib is not what this measures). After the closed-loop days, one more
day of the mix is offered open loop: messages arrive at a fixed rate (`--rate`, default
200 messages/s) whether or not earlier ones are answered, so the latency percentiles are
those a person would see at that load.

Prints, per phase: messages/s, p50/p99 handle latency per message kind, CPU of this
process per message (on PostgreSQL the server's CPU is not included), apologies and
errors; at the end the peak RSS. Each database runs in its own process so RSS is its own.

Run: `.venv/bin/python -m bench.engine [--users N] [--days D] [--db sqlite|postgres|both]
[--rate R] [--profile FILE]`. SQLite is a file in a temporary directory; PostgreSQL is a
throw-away database created and dropped on TREKBOT_BENCH_POSTGRES_URL (default
postgresql+asyncpg://postgres@127.0.0.1:5432/test); skipped with a note when unreachable.
Targets (issue 16): SQLite >= 500 messages/s closed loop, p99 < 50 ms at 200 messages/s
offered; PostgreSQL with no errors and no apology at 1,000 concurrent users.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FakeClock  # noqa: E402
from conversations import chart, texts  # noqa: E402
from conversations.engine import Engine  # noqa: E402
from conversations.messages import Incoming  # noqa: E402
from storage import Store, User  # noqa: E402

PG_URL = os.environ.get("TREKBOT_BENCH_POSTGRES_URL",
                        "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
START = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)

# Onboarding answers of a few kinds of people (runners or not, joints, grades, zones); the
# run minutes, weeks to the trek and days a week vary by user, so (as in real use) nearly
# every user has a plan of their own and the planner's memo is not shared between users.
ONBOARDING = [
    ["/start", "yes", "{minutes}", "none", "{weeks} weeks", "moderate", "{days}", "7:00",
     "Berlin"],
    ["/start", "no", "my left knee clicks on stairs", "{weeks} weeks", "moderate", "{days}",
     "7:30 Mumbai"],
    ["/start", "sometimes", "{minutes}", "ankles", "{weeks} weeks", "difficult", "{days}",
     "6:30", "London"],
    ["/start", "yes", "{minutes}", "none", "{weeks} weeks", "difficult", "{days}",
     "8:00 New York"],
    ["/start", "no", "none", "{weeks} weeks", "easy", "{days}", "9:00", "Tokyo"],
    ["/start", "yes", "{minutes}", "hips", "{weeks} weeks", "moderate", "{days}",
     "6:00 Sydney"],
]
DONE = ["done", "done 35 min felt hard", "done, easy", "done 30 minutes ok"]


def daily_mix(day: int, user: int) -> list[tuple[str, str]]:
    """(kind, text) of one user's messages on one day."""
    return [("today", "today"), ("should_run", "should I run today?"),
            ("done", DONE[(day + user) % len(DONE)]), ("progress", "progress")]


@dataclass
class Phase:
    """Latencies by kind, wall and CPU time, apologies of one phase."""

    name: str
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sorry: int = 0
    empty: int = 0
    wall: float = 0.0
    cpu: float = 0.0

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def report(self, errors: int, offered: float | None = None) -> None:
        n = self.count
        head = f"{self.name}: {n:,} messages in {self.wall:.1f} s = {n / self.wall:,.0f} msg/s"
        if offered:
            head += f" (offered {offered:,.0f} msg/s)"
        print(head + f"; CPU {self.cpu / n * 1000:.2f} ms/message; "
              f"apologies {self.sorry}, errors logged {errors}, empty replies {self.empty}")
        kinds = sorted(self.latencies)
        everything = [x for v in self.latencies.values() for x in v]
        for kind in [*kinds, "all"]:
            xs = everything if kind == "all" else self.latencies[kind]
            print(f"  {kind:<11} n={len(xs):>6,}  p50 {pct(xs, 50) * 1000:9.1f} ms  "
                  f"p99 {pct(xs, 99) * 1000:9.1f} ms  max {max(xs) * 1000:9.1f} ms")


def pct(xs: list[float], p: float) -> float:
    if len(xs) < 2:
        return xs[0] if xs else 0.0
    return statistics.quantiles(xs, n=100, method="inclusive")[int(p) - 1]


class ErrorCount(logging.Handler):
    """Counts error records (the engine logs every handler failure)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            exc = record.exc_info[1] if record.exc_info else None
            self.first = f"{record.getMessage()}: {exc!r}"[:300]


class Bench:
    def __init__(self, engine: Engine, clock: FakeClock, users: int) -> None:
        self.engine, self.clock, self.users = engine, clock, users
        self.seq = 0

    def message(self, user: int, text: str) -> Incoming:
        self.seq += 1
        return Incoming(channel="bench", user_key=f"u{user}", at=self.clock(), text=text,
                        message_id=f"m{self.seq}", display_name=f"User {user}")

    async def send(self, phase: Phase, kind: str, msg: Incoming, arrived: float) -> None:
        replies = await self.engine.handle(msg)
        phase.latencies[kind].append(time.perf_counter() - arrived)
        if not replies:
            phase.empty += 1
        if any(r.text == texts.SORRY for r in replies):
            phase.sorry += 1

    async def closed(self, phase: Phase, script: Callable[[int], list[tuple[str, str]]]
                     ) -> None:
        async def one(user: int) -> None:
            for kind, text in script(user):
                await self.send(phase, kind, self.message(user, text), time.perf_counter())

        await timed(phase, asyncio.gather(*(one(u) for u in range(self.users))))

    async def open(self, phase: Phase, day: int, rate: float) -> None:
        """One day's mix, round by round over all users, arriving at `rate` per second."""
        order = list(range(self.users))
        random.Random(day).shuffle(order)
        plan = [(u, kind, text) for k in range(4) for u in order
                for kind, text in [daily_mix(day, u)[k]]]

        async def arrivals() -> None:
            tasks = []
            t0 = time.perf_counter()
            for i, (u, kind, text) in enumerate(plan):
                due = t0 + i / rate
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                tasks.append(asyncio.create_task(
                    self.send(phase, kind, self.message(u, text), due)))
            await asyncio.gather(*tasks)

        await timed(phase, arrivals())


async def timed(phase: Phase, work: Awaitable[object]) -> None:
    c0, t0 = time.process_time(), time.perf_counter()
    await work
    phase.wall, phase.cpu = time.perf_counter() - t0, time.process_time() - c0


def onboarding_script(user: int) -> list[tuple[str, str]]:
    slots = {"weeks": 8 + user % 17, "days": 3 + user // 17 % 4,
             "minutes": 20 + user // 68 % 30}
    return [("onboarding", text.format(**slots)) for text in ONBOARDING[user % len(ONBOARDING)]]


async def active_users(store: Store) -> int:
    from sqlalchemy import func, select

    async with store.transaction() as tx:
        stmt = select(func.count()).select_from(User).where(User.state == "active")
        return int((await tx.session.execute(stmt)).scalar_one())


async def run(url: str, args: argparse.Namespace) -> None:
    errors = ErrorCount()
    log = logging.getLogger("conversations")
    log.setLevel(logging.ERROR)
    log.propagate = False  # counted, not printed
    log.addHandler(errors)
    store = Store(url)
    await store.start()
    clock = FakeClock(START)
    bench = Bench(Engine(store, clock), clock, args.users)
    seen = 0

    def report(phase: Phase, offered: float | None = None) -> None:
        nonlocal seen
        phase.report(errors.count - seen, offered)
        seen = errors.count

    phase = Phase("onboarding")
    await bench.closed(phase, onboarding_script)
    report(phase)
    active = await active_users(store)
    print(f"  users who finished onboarding: {active:,} of {args.users:,}")

    profiler = cProfile.Profile() if args.profile else None
    daily = Phase(f"daily mix, closed loop, {args.days} days")
    for day in range(1, args.days + 1):
        clock.advance(timedelta(days=1))
        phase = Phase(f"day {day}")
        if profiler:
            profiler.enable()
        await bench.closed(phase, lambda u, d=day: daily_mix(d, u))
        if profiler:
            profiler.disable()
        for kind, xs in phase.latencies.items():
            daily.latencies[kind] += xs
        daily.sorry += phase.sorry
        daily.empty += phase.empty
        daily.wall += phase.wall
        daily.cpu += phase.cpu
    report(daily)

    if args.rate > 0:
        clock.advance(timedelta(days=1))
        phase = Phase(f"daily mix, open loop, {args.users * 4:,} arrivals")
        await bench.open(phase, args.days + 1, args.rate)
        report(phase, offered=args.rate)
    if errors.first:
        print(f"  first error: {errors.first}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB")
    await store.close()
    if profiler and args.profile:
        profiler.dump_stats(args.profile)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        print(f"profile of the closed-loop days (written to {args.profile}):")
        print(out.getvalue())


async def pg_database() -> tuple[str, str] | None:
    import asyncpg

    base = PG_URL.replace("postgresql+asyncpg://", "postgresql://")
    try:
        conn = await asyncio.wait_for(asyncpg.connect(base), timeout=5)
    except Exception as err:  # noqa: BLE001 - any failure to reach the server
        print(f"PostgreSQL not reachable at {base} ({err}); skipped")
        return None
    name = f"trekbot_bench_{uuid.uuid4().hex[:10]}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_URL.rsplit("/", 1)[0] + "/" + name, name


async def drop_pg_database(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def main(args: argparse.Namespace) -> None:
    print(f"{args.users:,} users, {args.days} days of the daily mix, database {args.db}")
    if args.db == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            await run(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", args)
        return
    found = await pg_database()
    if found is None:
        return
    url, name = found
    try:
        await run(url, args)
    finally:
        await drop_pg_database(name)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=1000)
    p.add_argument("--days", type=int, default=3, help="closed-loop days of the daily mix")
    p.add_argument("--rate", type=float, default=200.0,
                   help="open-loop arrivals per second (0: no open-loop day)")
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--profile", metavar="FILE", help="cProfile the closed-loop days")
    p.add_argument("--top", type=int, default=25, help="profile entries to print")
    return p.parse_args(argv)


if __name__ == "__main__":
    ARGS = parse()
    logging.basicConfig(level=logging.CRITICAL)  # the error counter is attached directly
    chart.weekly_chart = lambda *a, **k: b""  # progress without the chart (see above)
    if ARGS.db == "both":
        for db in ("sqlite", "postgres"):
            cmd = [sys.executable, "-m", "bench.engine", *sys.argv[1:], "--db", db]
            subprocess.run(cmd, check=True)
    else:
        asyncio.run(main(ARGS))
