"""Kill runs at scale: `trekbot run` SIGKILLed many times while it handles Telegram updates
(long polling and webhook) on SQLite and PostgreSQL; prints updates, kills, unprocessed
updates and replies (sent; missing and extra counted per chat, each /help answered by one).
The default suite runs a small version (tests/bot/test_kills.py).

Run: .venv/bin/python -m bench.kills [--chats 40] [--per-chat 25] [--kills 10] [--pg URL]
(PostgreSQL: a server URL whose user may create databases, e.g.
postgresql+asyncpg://postgres@127.0.0.1:5432/test; leave it out for SQLite only.)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
import uuid
from pathlib import Path

from tests.bot.kill_support import Outcome, polling_run, webhook_run
from tests.fakes.telegram_api import FakeBotApi


async def _pg(server: str) -> tuple[str, str]:
    import asyncpg

    name = f"trekbot_kills_{uuid.uuid4().hex[:10]}"
    base = server.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(base)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return server.rsplit("/", 1)[0] + "/" + name, name


async def _drop(server: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


def _line(mode: str, db: str, out: Outcome) -> str:
    return (f"{mode:8} {db:10} updates {len(out.updates):5}  kills {out.kills:3}  "
            f"unprocessed {len(out.unprocessed):3}  inbox not done {out.not_done:3}  "
            f"replies sent {out.replies:5} (lost {out.replies_lost():3}, beyond one "
            f"{out.replies_beyond(1):3}, beyond two {out.replies_beyond(2):3})  "
            f"{out.seconds:6.1f} s")


async def main(args: argparse.Namespace) -> None:
    # A killed bot drops its connections to the fake API mid-request: not worth a traceback.
    logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f}")
    dbs = ["sqlite"] + (["postgresql"] if args.pg else [])
    for mode, run in (("polling", polling_run), ("webhook", webhook_run)):
        for db in dbs:
            api = FakeBotApi()
            await api.start()
            with tempfile.TemporaryDirectory() as tmp:
                name = ""
                url = f"sqlite+aiosqlite:///{Path(tmp) / 'bot.db'}"
                if db == "postgresql":
                    url, name = await _pg(args.pg)
                try:
                    out = await run(api, url, Path(tmp), chats=args.chats,
                                    per_chat=args.per_chat, kills=args.kills, seed=args.seed)
                finally:
                    await api.stop()
                    if name:
                        await _drop(args.pg, name)
            print(_line(mode, db, out), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=40)
    parser.add_argument("--per-chat", type=int, default=25)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", default=os.environ.get("TREKBOT_TEST_POSTGRES_URL"))
    asyncio.run(main(parser.parse_args()))
