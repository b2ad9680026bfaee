"""WhatsApp webhook figures: time to answer a signed POST, and to get every reply out.

Runs the real channel and engine (SQLite file in a temporary folder) behind the Starlette
app in-process, with replies going over HTTP to the local fake Graph API. Pacing is off so
the figures show the bot's own cost. Prints: webhook acknowledgements per second, median
and p95 acknowledgement latency, and messages answered end to end per second.
Run: `.venv/bin/python -m bench.whatsapp_webhook` (or `make bench`).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import ShiftedClock
from storage import Store
from tests.bot.whatsapp_harness import Harness, make_channel, text_message, web_client
from tests.fakes.graph_api import FakeGraphAPI

USERS = 50
PER_USER = 6


async def main() -> None:
    graph = FakeGraphAPI()
    await graph.start()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await store.start()
        clock = ShiftedClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
        channel = make_channel(store, clock, graph)  # type: ignore[arg-type]
        async with web_client(channel) as web:
            wa = Harness(channel, graph, clock, web)  # type: ignore[arg-type]
            bodies = [text_message("help", f"wamid.B{u}x{n}", clock, user=f"4900{u:06d}")
                      for n in range(PER_USER) for u in range(USERS)]
            latencies = []
            start = time.perf_counter()
            for body in bodies:
                t = time.perf_counter()
                r = await wa.post(body)
                latencies.append(time.perf_counter() - t)
                assert r.status_code == 200
            acked = time.perf_counter() - start
            await channel.drain()
            total = time.perf_counter() - start
        await channel.stop()
        await store.close()
    await graph.stop()
    n = len(bodies)
    assert len(graph.successful) == n, len(graph.successful)
    latencies.sort()
    print(f"whatsapp webhook: {n} messages from {USERS} users")
    print(f"  acknowledged: {n / acked:.0f}/s, latency median "
          f"{statistics.median(latencies) * 1000:.1f} ms, "
          f"p95 {latencies[int(n * 0.95)] * 1000:.1f} ms")
    print(f"  answered end to end (engine + SQLite + Graph API over HTTP): {n / total:.0f}/s")


if __name__ == "__main__":
    asyncio.run(main())
