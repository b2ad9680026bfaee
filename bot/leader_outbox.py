"""What the leader's side sends: alerts to leaders and broadcasts to trekkers.

Both leave through `deliver`, the same path as the scheduler's prompts: the channel's
paced `send(..., scheduled=True)`, so on WhatsApp a person outside the 24-hour window
gets the approved template. (When the delivery outbox lands, `deliver` is the one place
to switch.) Every copy is recorded before it is sent: alerts under a unique key, broadcast
copies one row per trekker, claimed with a lease, so each person gets a broadcast once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.channels import UserBlocked, UserUnreachable
from bot.scheduler import Sender
from conversations import batch_texts
from conversations.batch_alerts import due_alerts
from conversations.messages import Outgoing
from storage import Store
from storage import batches as q
from storage.batches import QueuedSend, SendStatus

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
PARALLEL = 10


@dataclass
class OutboxReport:
    alerts: int = 0
    sent: int = 0
    failed: int = 0


async def deliver(channels: Mapping[str, Sender], channel: str, user_key: str,
                  messages: list[Outgoing]) -> str:
    """Send like a scheduled prompt; returns a SendStatus (CLAIMED: try again later)."""
    sender = channels.get(channel)
    if sender is None:
        return SendStatus.FAILED
    try:
        await sender.send(user_key, messages, scheduled=True)
    except (UserBlocked, UserUnreachable):
        return SendStatus.FAILED
    except Exception as err:  # noqa: BLE001 - a channel outage: the lease brings a retry
        log.warning("a leader-side send on %s failed (%s); it will be retried", channel,
                    type(err).__name__)
        return SendStatus.CLAIMED
    return SendStatus.SENT


class LeaderOutbox:
    """Runs alerts and broadcast copies through the channels, by their name."""

    def __init__(self, store: Store, clock: Callable[[], datetime],
                 channels: Mapping[str, Sender]) -> None:
        self.store = store
        self.clock = clock
        self.channels = channels
        self._lock = asyncio.Lock()

    async def tick(self) -> OutboxReport:
        """Send due alerts and queued broadcast copies (one tick at a time)."""
        async with self._lock:
            report = OutboxReport()
            async with self.store.transaction() as tx:
                alerts = await due_alerts(tx, self.clock())
            for alert in alerts:  # claimed already: at most once
                await deliver(self.channels, alert.channel, alert.user_key, [alert.message])
            report.alerts = len(alerts)
            while True:
                async with self.store.transaction() as tx:
                    queued = await q.claim_sends(tx, self.clock(), LEASE)
                if not queued:
                    return report
                await self._send_all(queued, report)

    async def _send_all(self, queued: list[QueuedSend], report: OutboxReport) -> None:
        gate = asyncio.Semaphore(PARALLEL)

        async def one(item: QueuedSend) -> None:
            async with gate:
                text = batch_texts.broadcast(item.batch_name, item.text)
                status = await deliver(self.channels, item.channel, item.user_key,
                                       [Outgoing(text)])
            async with self.store.transaction() as tx:
                await q.mark_send(tx, item.id, status, self.clock())
            if status == SendStatus.SENT:
                report.sent += 1
            elif status == SendStatus.FAILED:
                report.failed += 1

        results = await asyncio.gather(*(one(i) for i in queued), return_exceptions=True)
        for result in results:  # an unrecorded copy stays claimed: retried after the lease
            if isinstance(result, BaseException):
                log.warning("recording a broadcast copy failed: %s", type(result).__name__)
