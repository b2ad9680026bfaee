"""A 10,000-update hostile run against the Telegram webhook: counts per row of issue 17's table.

Runs the real channel and engine in webhook mode over HTTP against the local fake Bot API, on a
SQLite file (default) or a fresh database on a PostgreSQL server (`--postgres URL`), with the
updates of tests/fakes/telegram_fuzz.py (seeded, so two runs post the same bodies). Prints, per
row: updates posted, HTTP statuses, apologies, unanswered, callback spinners left, replies to
updates that should be ignored, and ERROR log records.
Run: `.venv/bin/python -m bench.telegram_fuzz [--updates 10000] [--postgres URL]`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import FakeClock
from storage import Store
from tests.fakes.telegram_fuzz import mixed, run


async def _pg(url: str) -> tuple[str, str]:
    import asyncpg  # a fresh database, dropped afterwards

    base = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(base)
    name = f"trekbot_fuzz_{int(time.time())}"
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return url.rsplit("/", 1)[0] + "/" + name, name


async def main(count: int, seed: int, postgres: str | None, batch: int) -> None:
    logging.getLogger().setLevel(logging.ERROR)  # counted by the tally, not printed
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'fuzz.db'}"
        name = None
        if postgres:
            url, name = await _pg(postgres)
        store = Store(url)
        await store.start()
        clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
        cases = mixed(count, seed)
        began = time.perf_counter()
        tally = await run(cases, store, clock, batch=batch,
                          progress=lambda n: print(f"\r{n}/{count}", end="", file=sys.stderr))
        took = time.perf_counter() - began
        await store.close()
        if postgres and name:
            import asyncpg
            conn = await asyncpg.connect(postgres.replace("postgresql+asyncpg://", "postgresql://"))
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.close()
    print(file=sys.stderr)
    print(f"telegram fuzz: {count} updates, seed {seed}, "
          f"{'postgresql' if postgres else 'sqlite'}, {took:.0f} s")
    print(tally.table())
    problems = tally.problems()
    print(f"problems: {sum(problems.values())}" + "".join(
        f"\n  {k}: {v}" for k, v in sorted(problems.items())))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--postgres", metavar="URL", default=None)
    parser.add_argument("--batch", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.seed, args.postgres, args.batch))
