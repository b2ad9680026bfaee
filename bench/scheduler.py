"""Benchmark of one scheduler tick on SQLite: 100,000 users all due, and none due.

Seeds users across timezones (each with a planned_sessions row for their local today,
already rolled for that morning as the rolling pass leaves them: `bench/rolling.py`
measures the rolling),
then prints the wall time and the peak traced memory of one tick that prepares and hands
every message to a no-op sender, and of an idle tick. Run: `.venv/bin/python
bench/scheduler.py [--users N]`. Targets: all due in under 10 s, idle under 50 ms, memory
that does not grow with the number of users (the tick works in batches).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FakeClock  # noqa: E402
from bot.scheduler import Scheduler  # noqa: E402
from conversations.messages import Outgoing  # noqa: E402
from storage import Store  # noqa: E402

ZONES = ["UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
         "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo",
         "Africa/Nairobi", "Asia/Kathmandu", "Pacific/Auckland"]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SESSION = ("*Stairs*, 20 minutes: climb at a steady pace you could keep talking at, walk "
           "down gently. Then 2 sets of 12 step-ups each leg.")


class CountingSender:
    """A channel that sends nothing and counts."""

    name = "bench"

    def __init__(self) -> None:
        self.users = 0
        self.messages = 0

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        self.users += 1
        self.messages += len(messages)


def seed(path: Path, users: int) -> None:
    """Bulk-insert users due in the last two hours, each with today's planned row."""
    db = sqlite3.connect(path)
    naive = "%Y-%m-%d %H:%M:%S.%f"
    rows, plans = [], []
    for n in range(1, users + 1):
        zone = ZONES[n % len(ZONES)]
        due = NOW - timedelta(minutes=n % 120)
        local = due.astimezone(ZoneInfo(zone))
        minutes = local.hour * 60 + local.minute
        profile = ('{"running": "sometimes", "joints": [], "trek_date": "2027-05-01", '
                   '"grade": "moderate", "days_per_week": 4}')
        at = due.replace(tzinfo=None).strftime(naive)
        rows.append((n, "bench", f"user{n}", f"User {n}", "active", "{}", profile, zone,
                     minutes, "active", at, at, n % 10 == 0,
                     NOW.replace(tzinfo=None).strftime(naive)))
        kind, text = ("recovery", "Rest") if n % 7 == 0 else ("stairs", SESSION)
        plans.append((n, local.date().isoformat(), kind, 20, False, "{}", text))
    db.executemany(
        "INSERT INTO users (id, channel, external_id, display_name, state, context, profile, "
        "timezone, reminder_minutes, status, next_prompt_at, plan_for_prompt, evening_nudge, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [r + (r[-1],) for r in rows],
    )
    db.executemany(
        "INSERT INTO planned_sessions (user_id, day, session_type, minutes, hard, details, "
        "text) VALUES (?,?,?,?,?,?,?)", plans,
    )
    db.commit()
    db.close()


def make_due_again(path: Path) -> None:
    """Undo a tick: forget the claims and put every user back to due."""
    db = sqlite3.connect(path)
    db.execute("DELETE FROM sent_prompts")
    at = (NOW - timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S.%f")
    db.execute("UPDATE users SET next_prompt_at = ?, plan_for_prompt = ?, next_nudge_at = NULL",
               (at, at))
    db.commit()
    db.close()


BATCH = 5000
TRACE = True


async def one_tick(store: Store, traced: bool) -> tuple[float, int, CountingSender]:
    sender = CountingSender()
    sched = Scheduler(store, FakeClock(NOW), {"bench": sender}, batch_size=BATCH)
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    report = await sched.tick()
    elapsed = time.perf_counter() - started
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert report.sent == sender.users
    return elapsed, peak, sender


async def main(users: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store(f"sqlite+aiosqlite:///{path}")
        await store.start()
        t0 = time.perf_counter()
        seed(path, users)
        print(f"batch size {BATCH:,}")
        print(f"seeded {users:,} users in {time.perf_counter() - t0:.1f} s")

        elapsed, _, sender = await one_tick(store, traced=False)
        print(f"all due: {sender.users:,} users, {sender.messages:,} messages prepared and "
              f"handed to the sender in {elapsed:.2f} s "
              f"({sender.users / elapsed:,.0f} users/s)")
        idle = []
        for _ in range(20):
            elapsed, _, s = await one_tick(store, traced=False)
            assert s.users == 0
            idle.append(elapsed)
        print(f"idle tick (none due, {users:,} users, {users:,} sent_prompts rows): "
              f"median {statistics.median(idle) * 1000:.1f} ms, "
              f"max {max(idle) * 1000:.1f} ms over 20")
        if not TRACE:
            await store.close()
            return
        make_due_again(path)
        elapsed, peak, sender = await one_tick(store, traced=True)
        print(f"all due, traced: {sender.users:,} users in {elapsed:.2f} s "
              f"(tracemalloc slows it), peak traced memory {peak / 1e6:.1f} MB")
        _, peak_idle, _ = await one_tick(store, traced=True)
        print(f"idle tick peak traced memory {peak_idle / 1e6:.2f} MB")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak RSS {rss:.0f} MB (includes seeding)")
        await store.close()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=100_000)
    p.add_argument("--batch", type=int, default=BATCH, help="users claimed per transaction")
    p.add_argument("--no-trace", action="store_true", help="skip the (slow) traced run")
    args = p.parse_args()
    BATCH = args.batch
    TRACE = not args.no_trace
    asyncio.run(main(args.users))
