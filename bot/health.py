"""Operations routes served in every mode: `/healthz`, `/readyz` and `/metrics`.

`/healthz` says the process answers. `/readyz` answers 200 only when the database is
reachable, its schema is at the newest migration and every channel has started (503 with
the failing checks otherwise), so a load balancer sends no traffic to an instance that is
starting, stopping or has lost its database. `/metrics` is Prometheus' text format.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot import metrics
from storage import Store

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 2.0  # seconds for the database check: a hung database is "not ready"

# channel -> (messages waiting, age in seconds of the oldest)
OutboxStats = Callable[[], Awaitable[Mapping[str, tuple[int, float]]]]


@dataclass
class Readiness:
    """What /readyz checks; the app flips `started` once every channel is up."""

    store: Store
    started: bool = False
    outbox_stats: OutboxStats | None = None
    channels: list[str] = field(default_factory=list)

    async def checks(self) -> dict[str, bool]:
        try:
            schema = await asyncio.wait_for(self.store.at_head(), CHECK_TIMEOUT)
            database = True
        except Exception as err:  # noqa: BLE001 - any failure means not ready
            log.warning("readiness: the database check failed (%s)", type(err).__name__)
            database = schema = False
        return {"database": database, "migrations": schema, "channels": self.started}


async def healthz(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def routes(readiness: Readiness | None) -> list[BaseRoute]:
    """/healthz always; /readyz and /metrics when there is something to check."""

    async def readyz(_request: Request) -> Response:
        assert readiness is not None
        checks = await readiness.checks()
        ok = all(checks.values())
        return Response(json.dumps({"ready": ok, **checks}), status_code=200 if ok else 503,
                        media_type="application/json")

    async def metrics_page(_request: Request) -> Response:
        if readiness is not None and readiness.outbox_stats is not None:
            try:
                stats = await asyncio.wait_for(readiness.outbox_stats(), CHECK_TIMEOUT)
            except Exception as err:  # noqa: BLE001 - the rest of the page still helps
                log.warning("metrics: could not read the outbox (%s)", type(err).__name__)
            else:
                for channel in readiness.channels:
                    depth, age = stats.get(channel, (0, 0.0))
                    metrics.OUTBOX_DEPTH.labels(channel).set(depth)
                    metrics.OUTBOX_OLDEST.labels(channel).set(age)
        body, kind = metrics.render()
        return Response(body, media_type=kind)

    found: list[BaseRoute] = [Route("/healthz", healthz)]
    if readiness is not None:
        found += [Route("/readyz", readyz), Route("/metrics", metrics_page)]
    return found
