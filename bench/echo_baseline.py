"""Echo baseline: a bare python-telegram-bot echo bot beside trekbot, on the same traffic.

The fake Bot API (tests/fakes/telegram_api.py) runs in a child process, so the CPU measured
here is the bot's alone. It queues N chats x M text messages at once (message n of every
chat before message n+1); the bot under test polls them and answers each with one message.

- echo: a PTB `Application` with its own `Updater` (long polling) and one
  `MessageHandler` that calls `reply_text` (no trekbot code; PTB's default: one update at
  a time, so each chat's answers stay in order).
- trekbot: the whole path with every limit off: `TelegramChannel` polls, saves to the
  inbox, a trivial handler (no engine) queues the echo in the outbox in one transaction,
  and the dispatcher sends it.

Prints, per bot: messages/s from the first queued update to the last answer, the bot
process's CPU per message, whether every chat got its answers once and in order; then the
ratio trekbot / echo of CPU per message (target of issue 14: at most 1.5x).

Run: `.venv/bin/python -m bench.echo_baseline [--chats N] [--per-chat M]
[--db sqlite|postgres] [--profile FILE]` (defaults: 100 x 10, SQLite in a temporary
directory, a few seconds). PostgreSQL is a throw-away database on TREKBOT_BENCH_POSTGRES_URL.
`--profile` writes a cProfile of the trekbot run and prints its top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import multiprocessing
import pstats
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engine import drop_pg_database, pg_database  # noqa: E402
from bot.dispatch import Options  # noqa: E402
from tests.fakes.telegram_api import FakeBotApi  # noqa: E402

FIRST_CHAT = 710_000


@dataclass(frozen=True)
class Result:
    label: str
    messages: int
    wall: float  # seconds, first update queued to last answer delivered
    cpu: float  # seconds of this process (the bot) over the same span
    ordered: bool
    sent: int

    def line(self) -> str:
        return (f"{self.label:22} {self.messages:6} messages: {self.messages / self.wall:7.0f} "
                f"messages/s, CPU {self.cpu / self.messages * 1000:5.2f} ms/message; "
                f"sent {self.sent}, in order {self.ordered}")


# the fake API, in a child process ------------------------------------------------------
def _serve(conn: Connection, chats: int, per_chat: int) -> None:
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(_api(conn, chats, per_chat))


async def _api(conn: Connection, chats: int, per_chat: int) -> None:
    """Start, say where; on "go" queue the traffic, say "done" with the check once every
    answer is in; stop on "stop"."""
    loop = asyncio.get_running_loop()
    api = FakeBotApi()
    await api.start()
    conn.send((api.base_url, api.token))
    await loop.run_in_executor(None, conn.recv)  # "go"
    total = chats * per_chat
    for n in range(per_chat):
        for c in range(chats):
            await api.say(FIRST_CHAT + c, f"{FIRST_CHAT + c}:{n}")
    seen = sent = 0
    while sent < total:
        calls = api.calls[seen:]
        seen += len(calls)
        sent += sum(1 for c in calls if c.method == "sendMessage" and c.params.get("_ok"))
        await asyncio.sleep(0.002)
    by_chat: dict[int, list[str]] = {}
    for call in api.sent():
        by_chat.setdefault(int(call.params["chat_id"]), []).append(call.params["text"])
    ordered = all(by_chat.get(FIRST_CHAT + c) == [f"{FIRST_CHAT + c}:{n}"
                                                  for n in range(per_chat)]
                  for c in range(chats))
    conn.send(("done", ordered, len(api.sent())))
    await loop.run_in_executor(None, conn.recv)  # "stop"
    await api.stop()


@asynccontextmanager
async def fake_api(chats: int, per_chat: int) -> AsyncIterator[tuple[str, str, Connection]]:
    """(base url, token, pipe) of a fake Bot API in a child process."""
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    child = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(theirs, chats, per_chat), daemon=True)
    child.start()
    try:
        url, token = await asyncio.get_running_loop().run_in_executor(None, ours.recv)
        yield url, token, ours
    finally:
        ours.send("stop")
        await asyncio.get_running_loop().run_in_executor(None, child.join, 30)
        if child.is_alive():
            child.kill()


async def measure(label: str, conn: Connection, total: int,
                  profiler: cProfile.Profile | None = None) -> Result:
    """Say "go" and wait for "done": wall and this process's CPU in between."""
    loop = asyncio.get_running_loop()
    start, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    conn.send("go")
    _, ordered, sent = await asyncio.wait_for(loop.run_in_executor(None, conn.recv), 300)
    if profiler is not None:
        profiler.disable()
    return Result(label, total, time.perf_counter() - start, time.process_time() - cpu,
                  ordered, sent)


# the bare echo bot ---------------------------------------------------------------------
async def echo(args: argparse.Namespace) -> Result:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def answer(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        await message.reply_text(message.text)

    async with fake_api(args.chats, args.per_chat) as (url, token, conn):
        app = (ApplicationBuilder().token(token).base_url(f"{url}/bot")
               .base_file_url(f"{url}/file/bot").build())
        app.add_handler(MessageHandler(filters.TEXT, answer))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                return await measure("echo (bare PTB)", conn, args.chats * args.per_chat)
            finally:
                await app.updater.stop()
                await app.stop()


# trekbot ---------------------------------------------------------------------------------
async def trekbot(url: str, args: argparse.Namespace,
                  profiler: cProfile.Profile | None) -> Result:
    from bot.clock import ShiftedClock
    from bot.telegram import TelegramChannel
    from bot.telegram_send import Limits
    from conversations.messages import Incoming, Outgoing
    from storage import Store
    from storage.outbox import OutboxKind

    store = Store(url)
    await store.start()
    clock: Callable[[], datetime] = ShiftedClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))

    async def handle(incoming: Incoming) -> list[Outgoing]:
        """Echo, the way an engine step queues its replies: in its own transaction."""
        reply = [Outgoing(incoming.text)]
        async with store.transaction() as tx:
            await tx.enqueue(incoming.channel, incoming.user_key, reply,
                             kind=OutboxKind.REPLY, now=clock())
        return reply

    try:
        async with fake_api(args.chats, args.per_chat) as (base, token, conn):
            channel = TelegramChannel(token, handle, store, clock, base_url=base,
                                      poll_timeout=1,
                                      limits=Limits(overall_per_second=0, chat_per_second=0),
                                      dispatch=Options(concurrency=args.concurrency))
            await channel.start()
            try:
                return await measure("trekbot (echo handler)", conn,
                                     args.chats * args.per_chat, profiler)
            finally:
                await channel.stop()
    finally:
        await store.close()


async def main(args: argparse.Namespace) -> None:
    base = await echo(args)
    print(base.line())
    profiler = cProfile.Profile() if args.profile else None
    ours: Result | None = None
    if args.db == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            ours = await trekbot(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", args,
                                 profiler)
    else:
        found = await pg_database()
        if found is None:
            return
        url, name = found
        try:
            ours = await trekbot(url, args, profiler)
        finally:
            await drop_pg_database(name)
    print(f"{ours.line()} ({args.db})")
    per = ours.cpu / base.cpu
    print(f"ratio trekbot / echo: CPU per message {per:.2f}x (target <= 1.5x), "
          f"wall {ours.wall / base.wall:.2f}x")
    if profiler is not None and args.profile:
        profiler.dump_stats(args.profile)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(40)
        print(f"profile of the trekbot run (written to {args.profile}):")
        print(out.getvalue())


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--chats", type=int, default=100)
    p.add_argument("--per-chat", type=int, default=10)
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--concurrency", type=int, default=Options().concurrency,
                   help="chats trekbot's dispatcher sends to at once")
    p.add_argument("--profile", metavar="FILE", help="cProfile the trekbot run into FILE")
    return p.parse_args(argv)


def _quiet() -> None:
    logging.basicConfig(level=logging.CRITICAL)
    for name in ("bot", "httpx", "telegram"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


if __name__ == "__main__":
    _quiet()
    asyncio.run(main(parse()))

