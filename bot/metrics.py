"""Prometheus metrics (prefix `trekbot_`), served as text on `/metrics`.

Counts only: no user ids, no texts. Channels and dispatchers update them; the outbox depth
and age are read from the database when `/metrics` is scraped.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from conversations.messages import Incoming, Outgoing

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES = Counter("trekbot_updates_handled_total", "Messages from people handled by the engine",
                  ["channel"], registry=REGISTRY)
HANDLE_SECONDS = Histogram(
    "trekbot_handle_seconds", "Time to handle one message (load, step, save)", ["channel"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=REGISTRY)
SENT = Counter("trekbot_messages_sent_total", "Messages delivered to the platform",
               ["channel", "kind"], registry=REGISTRY)  # kind: reply or prompt
FAILED = Counter("trekbot_messages_failed_total",
                 "Messages the platform refused for good (blocked, unreachable, given up)",
                 ["channel", "kind"], registry=REGISTRY)
RETRIED = Counter("trekbot_send_retries_total", "Sends retried, by reason",
                  ["channel", "reason"], registry=REGISTRY)  # rate_limited, network, timeout
MAYBE_DELIVERED = Counter(
    "trekbot_sends_maybe_delivered_total",
    "Sends that timed out after the request was written, then sent once more",
    ["channel"], registry=REGISTRY)
OUTBOX_DEPTH = Gauge("trekbot_outbox_depth", "Outbox messages waiting to be sent", ["channel"],
                     registry=REGISTRY)
OUTBOX_OLDEST = Gauge("trekbot_outbox_oldest_age_seconds",
                      "Age of the oldest outbox message waiting to be sent", ["channel"],
                      registry=REGISTRY)
TICK_SECONDS = Histogram(
    "trekbot_tick_seconds", "Duration of one scheduler tick",
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300), registry=REGISTRY)

Handle = Callable[[Incoming], Awaitable[list[Outgoing]]]


def timed_handle(handle: Handle) -> Handle:
    """The engine's handle, counted and timed per channel."""

    async def handled(incoming: Incoming) -> list[Outgoing]:
        start = time.perf_counter()
        try:
            return await handle(incoming)
        finally:
            HANDLE_SECONDS.labels(incoming.channel).observe(time.perf_counter() - start)
            UPDATES.labels(incoming.channel).inc()

    return handled


@contextmanager
def counted(channel: str, count: int, *, scheduled: bool = False) -> Iterator[None]:
    """Count `count` messages sent, or failed when the block raises (not when cancelled)."""
    kind = "prompt" if scheduled else "reply"
    try:
        yield
    except Exception:
        FAILED.labels(channel, kind).inc(count)
        raise
    SENT.labels(channel, kind).inc(count)


def render() -> tuple[bytes, str]:
    """The metrics page and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
