"""Prometheus metrics (prefix `trekbot_`), served as text on `/metrics`.

Counts only: no user ids, no texts. The engine wrapper and the dispatchers update them;
the outbox depth and age are read from the database when `/metrics` is scraped.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

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
SENT = Counter("trekbot_messages_sent_total", "Outbox rows delivered to the platform",
               ["channel", "kind"], registry=REGISTRY)  # kind: reply, prompt or broadcast
FAILED = Counter("trekbot_messages_failed_total",
                 "Outbox rows refused for good (blocked, unreachable) or given up",
                 ["channel", "kind"], registry=REGISTRY)
STALE = Counter("trekbot_messages_stale_total",
                "Prompts dropped from the outbox because their grace window ended",
                ["channel", "kind"], registry=REGISTRY)
RESENT = Counter("trekbot_messages_resent_total",
                 "Outbox rows sent once more after a timeout left them maybe delivered",
                 ["channel", "kind"], registry=REGISTRY)
RETRIED = Counter("trekbot_send_retries_total", "Sends retried, by reason",
                  ["channel", "reason"], registry=REGISTRY)  # rate_limited, network, timeout
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


def render() -> tuple[bytes, str]:
    """The metrics page and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
