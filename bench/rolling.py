"""Benchmark of rolling plans forward: users rolled per second on SQLite.

Seeds users (mixed profiles, each with its own few weeks of logged history: done, skipped,
hard, a pain or a sickness here and there) whose next morning is within the rolling
horizon and not rolled yet, then runs the scheduler's rolling pass until none is left
(`Scheduler.roll`, one batch per call, as the tick does) and prints users rolled per
second, and the same for users with nothing logged (only marked). Run:
`.venv/bin/python -m bench.rolling [--users N]`. The rolling runs ahead of the due time,
off the tick's sending path: at 100,000 users it has to keep up with 100,000 a day.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FakeClock  # noqa: E402
from bot.scheduler import Scheduler  # noqa: E402
from conversations.messages import Outgoing  # noqa: E402
from planner.api import _adapted  # noqa: E402
from storage import Store  # noqa: E402

NOW = datetime(2026, 12, 21, 3, 0, tzinfo=UTC)
START = date(2026, 11, 30)
NAIVE = "%Y-%m-%d %H:%M:%S.%f"


class NoSender:
    name = "bench"

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        return None


def _profile(rng: random.Random) -> str:
    running = rng.choice(["regular", "sometimes", "no"])
    return json.dumps({
        "running": running, "easy_run_minutes": None if running == "no" else rng.choice(
            [15, 30, 45]), "joints": rng.choice([[], ["knee"], ["back"]]), "joint_words": "",
        "trek_date": (START + timedelta(weeks=rng.randint(8, 20))).isoformat(),
        "grade": rng.choice(["easy", "moderate", "difficult"]),
        "days_per_week": rng.randint(3, 6), "start_date": START.isoformat(),
        "training_weekdays": None, "body_weight_kg": None,
    })


def seed(path: Path, users: int, with_logs: bool) -> None:
    rng = random.Random(7)
    db = sqlite3.connect(path)
    due = (NOW + timedelta(hours=2)).replace(tzinfo=None).strftime(NAIVE)
    stamp = NOW.replace(tzinfo=None).strftime(NAIVE)
    db.executemany(
        "INSERT INTO users (id, channel, external_id, state, context, profile, timezone, "
        "reminder_minutes, status, next_prompt_at, evening_nudge, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(n, "bench", f"u{n}", "active", "{}", _profile(rng), "UTC", 300, "active", due, False,
          stamp, stamp) for n in range(1, users + 1)])
    if with_logs:
        logs = []
        for n in range(1, users + 1):
            for d in sorted(rng.sample(range(20), 10)):
                kind = rng.choices(["done", "skipped", "pain", "sick"], [8, 2, 1, 1])[0]
                logs.append((n, (START + timedelta(days=d)).isoformat(), kind,
                             rng.randint(20, 60) if kind == "done" else None,
                             rng.choice([None, None, 8]) if kind == "done" else None,
                             rng.randint(3, 7) if kind == "pain" else None,
                             "knee" if kind == "pain" else None,
                             rng.choice(["above_neck", "fever"]) if kind == "sick" else None,
                             stamp))
        db.executemany(
            "INSERT INTO logged_sessions (user_id, day, kind, minutes, effort, pain, pain_area, "
            "sickness, created_at) VALUES (?,?,?,?,?,?,?,?,?)", logs)
    db.commit()
    db.close()


async def run(users: int, with_logs: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roll.db"
        store = Store(f"sqlite+aiosqlite:///{path}")
        await store.start()
        seed(path, users, with_logs)
        _adapted.cache_clear()
        sched = Scheduler(store, FakeClock(NOW), {"bench": NoSender()})
        started = time.perf_counter()
        rolled = 0
        while (n := await sched.roll()) > 0:
            rolled += n
        elapsed = time.perf_counter() - started
        kind = "with 10 logged days each" if with_logs else "with nothing logged"
        print(f"rolled {rolled:,} users {kind} in {elapsed:.2f} s "
              f"({rolled / elapsed:,.0f} users/s; batch {sched.roll_batch})")
        with sqlite3.connect(path) as db:
            left = db.execute("SELECT COUNT(*) FROM users WHERE plan_for_prompt IS NULL OR "
                              "plan_for_prompt != next_prompt_at").fetchone()[0]
        assert left == 0, left
        await store.close()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=2000)
    args = p.parse_args()
    asyncio.run(run(args.users, with_logs=True))
    asyncio.run(run(args.users * 10, with_logs=False))
