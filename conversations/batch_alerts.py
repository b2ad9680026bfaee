"""Alerts to trek leaders who linked their chat: a trekker's pain 6+ or a week without training.

`due_alerts` finds them and records each under a unique (leader, trekker, kind, key) in the
caller's transaction, before anything is sent: each alert goes out at most once. Pain
counts from when the leader linked their chat and the trekker joined, so linking does not
bring a flood of old news; a week without training is reported once per quiet spell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from conversations import batch_texts as T
from conversations.batch_report import (
    INACTIVE_DAYS,
    PAIN_FLAG,
    display_name,
    inactive_days,
    local_today,
)
from conversations.messages import Outgoing
from planner import LogKind
from storage import LoggedSession, Tx, User, UserStatus
from storage import batches as q
from storage.batch_models import Batch, Leader


@dataclass(frozen=True)
class Alert:
    """A message for a leader's own chat."""

    channel: str
    user_key: str
    message: Outgoing


async def due_alerts(tx: Tx, now: datetime) -> list[Alert]:
    """Alerts not yet sent, each claimed in this transaction."""
    alerts: list[Alert] = []
    for leader in await q.linked_leaders(tx):
        for batch in await q.leader_batches(tx, leader.id):
            people = await q.members(tx, batch.id)
            logs = await q.logs_of(tx, [u.id for u, _ in people])
            for user, joined in people:
                for text in await _news(tx, leader, batch, user, joined, logs[user.id], now):
                    assert leader.chat_channel and leader.chat_key
                    alerts.append(Alert(leader.chat_channel, leader.chat_key, Outgoing(text)))
    return alerts


async def _news(tx: Tx, leader: Leader, batch: Batch, user: User, joined: datetime,
                rows: list[LoggedSession], now: datetime) -> list[str]:
    out: list[str] = []
    today = local_today(user, now)
    since = max(joined, leader.linked_at or joined)
    for r in rows:
        if (r.pain or 0) >= PAIN_FLAG and r.created_at >= since \
                and r.day > today - timedelta(days=7) \
                and await q.claim_alert(tx, leader.id, user.id, "pain", str(r.id), now):
            out.append(T.pain_alert(display_name(user), batch.name, r.pain or 0, r.pain_area,
                                    r.day))
    if user.status != UserStatus.ACTIVE or not user.profile:
        return out
    start = max(local_today(user, joined), _start(user) or today)
    quiet = inactive_days(rows, today, start)
    if quiet >= INACTIVE_DAYS:
        last = max([r.day for r in rows if r.kind == LogKind.DONE] + [start])
        if await q.claim_alert(tx, leader.id, user.id, "inactive", last.isoformat(), now):
            out.append(T.inactive_alert(display_name(user), batch.name, quiet))
    return out


def _start(user: User) -> date | None:
    raw = (user.profile or {}).get("start_date")
    return date.fromisoformat(raw) if raw else None
