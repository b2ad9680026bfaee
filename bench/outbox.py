"""Outbox throughput: messages a second from the committing transaction to the fake Bot API.

Producers commit rows the way engine steps do (one transaction per message, each chat's
messages in order, all chats at once); the Telegram channel's dispatcher, woken by the
commits, sends them over real HTTP to the local fake Bot API with every limit off (no
overall or per-chat pacing). Prints, per database: messages/s from the first commit to the
last delivery, and the p50/p99 time from a message's commit to its delivery; and checks
that every chat got its messages once each and in order.

Run: `.venv/bin/python -m bench.outbox [--chats N] [--per-chat M] [--db sqlite|postgres|both]`
(defaults keep `make bench` fast). SQLite is a file in a temporary directory; PostgreSQL a
throw-away database on TREKBOT_BENCH_POSTGRES_URL, skipped with a note when unreachable.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engine import drop_pg_database, pg_database  # noqa: E402
from bot.clock import ShiftedClock  # noqa: E402
from bot.dispatch import Options  # noqa: E402
from bot.telegram import TelegramChannel  # noqa: E402
from bot.telegram_send import Limits  # noqa: E402
from conversations.messages import Incoming, Outgoing  # noqa: E402
from storage import Store  # noqa: E402
from storage.outbox import OutboxKind  # noqa: E402
from tests.fakes.telegram_api import FakeBotApi  # noqa: E402

FIRST_CHAT = 610_000


async def _unused(_incoming: Incoming) -> list[Outgoing]:
    return []


async def run(url: str, label: str, args: argparse.Namespace) -> None:
    store = Store(url)
    await store.start()
    api = FakeBotApi()
    await api.start()
    clock = ShiftedClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    channel = TelegramChannel(
        api.token, _unused, store, clock, base_url=api.base_url, poll_timeout=1,
        limits=Limits(overall_per_second=0, chat_per_second=0),
        dispatch=Options(concurrency=args.concurrency))
    committed: dict[str, float] = {}
    total = args.chats * args.per_chat
    try:
        await channel.start()
        start = time.perf_counter()

        async def producer(chat: int) -> None:
            for n in range(args.per_chat):
                text = f"{chat}:{n}"
                async with store.transaction() as tx:
                    await tx.enqueue("telegram", str(chat), [Outgoing(text)],
                                     kind=OutboxKind.REPLY, now=clock())
                committed[text] = time.perf_counter()

        delivered: dict[str, float] = {}

        async def watch() -> None:
            seen = 0
            while len(delivered) < total:
                calls = api.calls[seen:]
                seen += len(calls)
                now = time.perf_counter()
                for call in calls:
                    if call.method == "sendMessage" and call.params.get("_ok"):
                        delivered.setdefault(call.params["text"], now)
                await asyncio.sleep(0.005)

        watcher = asyncio.create_task(watch())
        await asyncio.gather(*(producer(FIRST_CHAT + c) for c in range(args.chats)))
        await asyncio.wait_for(watcher, 300)
        elapsed = time.perf_counter() - start
    finally:
        await channel.stop()
        await api.stop()
        await store.close()
    ordered = all(
        [c.params["text"] for c in api.sent(FIRST_CHAT + c)]
        == [f"{FIRST_CHAT + c}:{n}" for n in range(args.per_chat)] for c in range(args.chats))
    waits = sorted(delivered[t] - committed[t] for t in committed)
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
    print(f"{label:10} {total:6} messages, {args.chats} chats: "
          f"{total / elapsed:7.0f} messages/s commit to delivery; "
          f"commit-to-delivery p50 {statistics.median(waits) * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms; sent {len(api.sent())}, in order {ordered}")


async def main(args: argparse.Namespace) -> None:
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            await run(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", "sqlite", args)
    if args.db in ("postgres", "both"):
        found = await pg_database()
        if found is None:
            return
        url, name = found
        try:
            await run(url, "postgresql", args)
        finally:
            await drop_pg_database(name)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--chats", type=int, default=100)
    p.add_argument("--per-chat", type=int, default=10)
    p.add_argument("--concurrency", type=int, default=64, help="chats sent to at once")
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    return p.parse_args(argv)


if __name__ == "__main__":
    logging.basicConfig(level=logging.CRITICAL)
    logging.getLogger("bot").setLevel(logging.CRITICAL)
    asyncio.run(main(parse()))
