"""The inbox: every platform update saved (bounded) before it is acknowledged, then handled
from here in per-chat platform order, one row of a chat at a time across instances.

A row is `pending` until an instance claims it (`claimed`, with a lease it renews while it
works); after the engine step it is `done` and loses its payload. A claim looks at the
chat's rows that are not done: when one is claimed under a live lease the chat is busy,
otherwise the oldest (platform order: Telegram update_id, WhatsApp timestamp then wamid)
is taken. On PostgreSQL the decision runs under a per-chat transaction-scoped advisory
lock, so two instances can never both decide "idle" for one chat (row locks alone cannot
see a row another instance inserted after the claimer's snapshot). SQLite has one process
and one writer. An instance that dies leaves its claim to expire; the next claim of that
chat takes the row over.

Rows hold the message id only as a keyed hash (`message_hash`, unique: a redelivery is not
stored twice). Done rows are pruned after the retention period, and `/delete` removes the
chat's rows that are no longer waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    BigInteger,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, UTCDateTime

MAX_PAYLOAD = 1_000_000  # bytes of JSON: one update; the webhooks refuse larger bodies first
PENDING, CLAIMED, DONE = "pending", "claimed", "done"


class InboxRow(Base):
    """One platform update waiting for, or past, its engine step."""

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ix_inbox_chat_state", "channel", "chat_key", "state"),
        Index("ix_inbox_state_done", "state", "done_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_key: Mapped[str] = mapped_column(String(64))
    order_ts: Mapped[int] = mapped_column(BigInteger)  # update_id, or WhatsApp's timestamp
    order_key: Mapped[str] = mapped_column(String(128), default="")  # the wamid breaks ties
    message_hash: Mapped[str] = mapped_column(String(64), unique=True)
    payload: Mapped[str | None] = mapped_column(Text, default=None)  # JSON; None once done
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    owner: Mapped[str | None] = mapped_column(String(32), default=None)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


def message_hash(key: bytes, channel: str, message_id: str) -> str:
    """HMAC-SHA256 of `channel:message_id`: equal ids match, and no id can be read back."""
    return hmac.new(key, f"{channel}:{message_id}".encode(), hashlib.sha256).hexdigest()


def derive_key(source: str) -> bytes:
    """The message-id key from TREKBOT_ID_KEY or the database's generated secret."""
    return hmac.new(source.encode(), b"trekbot message ids", hashlib.sha256).digest()


@dataclass(frozen=True)
class NewUpdate:
    """An update as a channel receives it, before it is stored."""

    channel: str
    chat_key: str
    order_ts: int
    order_key: str
    message_id: str
    payload: dict[str, Any]


class Claimed(NamedTuple):
    """A row this instance now works on."""

    id: int
    chat_key: str
    payload: dict[str, Any]


class PayloadTooLarge(ValueError):
    """An update whose JSON is above MAX_PAYLOAD bytes."""


def _table() -> Table:
    return cast(Table, InboxRow.__table__)


# Built once, run with bound parameters: building a statement per update or per claim cost
# more than running it (see bench/echo_baseline.py).
_T = _table()
_ADD_SQLITE = sqlite_insert(_T).on_conflict_do_nothing()
_ADD_PG = pg_insert(_T).on_conflict_do_nothing()
_WAITING = (select(_T.c.id, _T.c.state, _T.c.lease_until, _T.c.payload)
            .where(_T.c.channel == bindparam("channel"), _T.c.chat_key == bindparam("chat_key"),
                   _T.c.state != DONE)
            .order_by(_T.c.order_ts, _T.c.order_key, _T.c.id))
_TAKE = (update(_T).where(_T.c.id == bindparam("row_id"))
         .values(state=CLAIMED, lease_until=bindparam("until", type_=_T.c.lease_until.type),
                 owner=bindparam("owner", type_=_T.c.owner.type)))
_FINISH = (update(_T).where(_T.c.id == bindparam("row_id"))
           .values(state=DONE, payload=None, order_key="", lease_until=None, owner=None,
                   done_at=bindparam("at", type_=_T.c.done_at.type)))


async def add(session: AsyncSession, is_sqlite: bool, key: bytes, updates: list[NewUpdate],
              now: datetime) -> list[NewUpdate]:
    """Store updates; returns those that were new (a redelivered one is stored once)."""
    fresh: list[NewUpdate] = []
    stmt = _ADD_SQLITE if is_sqlite else _ADD_PG
    for item in updates:
        # ASCII with escapes: a lone surrogate (valid JSON, not UTF-8) is kept as it came.
        body = json.dumps(item.payload, separators=(",", ":"))
        if len(body) > MAX_PAYLOAD:
            raise PayloadTooLarge(item.channel)
        values = {"channel": item.channel, "chat_key": item.chat_key[:64],
                  "order_ts": item.order_ts, "order_key": item.order_key[:128],
                  "message_hash": message_hash(key, item.channel, item.message_id),
                  "payload": body, "state": PENDING, "received_at": now}
        if (await session.execute(stmt, values)).rowcount:  # type: ignore[attr-defined]
            fresh.append(item)
    return fresh


async def claim(session: AsyncSession, is_sqlite: bool, channel: str, chat_key: str,
                now: datetime, lease: timedelta, owner: str) -> Claimed | None:
    """Claim the chat's oldest waiting row; None when there is none or the chat is busy."""
    if not is_sqlite:
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 7))"),
                              {"k": f"inbox:{channel}:{chat_key}"})
    rows = (await session.execute(_WAITING, {"channel": channel, "chat_key": chat_key})).all()
    if not rows or any(r.state == CLAIMED and r.lease_until is not None
                       and r.lease_until > now for r in rows):
        return None
    first = rows[0]
    await session.execute(_TAKE, {"row_id": first.id, "until": now + lease, "owner": owner})
    return Claimed(first.id, chat_key, json.loads(first.payload or "{}"))


async def renew(session: AsyncSession, row_id: int, owner: str, until: datetime) -> None:
    t = _table()
    await session.execute(update(t).where(t.c.id == row_id, t.c.owner == owner,
                                          t.c.state == CLAIMED).values(lease_until=until))


async def finish(session: AsyncSession, row_id: int, now: datetime) -> None:
    """The row's step is done: keep only what dedupes a redelivery."""
    await session.execute(_FINISH, {"row_id": row_id, "at": now})


async def waiting_chats(session: AsyncSession, channel: str, now: datetime
                        ) -> list[tuple[str, int, str]]:
    """Chats with a row that could be claimed now: (chat key, order of its oldest row)."""
    t = _table()
    claimable = or_(t.c.state == PENDING,
                    and_(t.c.state == CLAIMED, t.c.lease_until <= now))
    rows = await session.execute(
        select(t.c.chat_key, t.c.order_ts, t.c.order_key)
        .where(t.c.channel == channel, claimable)
        .order_by(t.c.id).limit(1000))
    seen: dict[str, tuple[str, int, str]] = {}
    for chat_key, order_ts, order_key in rows:
        seen.setdefault(chat_key, (chat_key, order_ts, order_key))
    return list(seen.values())


async def release(session: AsyncSession, channel: str) -> None:
    """Give back every claim (SQLite at start: the only process that could hold one died)."""
    t = _table()
    await session.execute(update(t).where(t.c.channel == channel, t.c.state == CLAIMED)
                          .values(state=PENDING, lease_until=None, owner=None))


async def forget_chat(session: AsyncSession, channel: str, chat_key: str) -> None:
    """Remove the chat's rows that are not waiting (for /delete; later messages stay)."""
    t = _table()
    await session.execute(delete(t).where(t.c.channel == channel, t.c.chat_key == chat_key,
                                          t.c.state != PENDING))


async def prune(session: AsyncSession, before: datetime) -> int:
    """Delete done rows finished before `before`; returns how many."""
    t = _table()
    result = await session.execute(delete(t).where(t.c.state == DONE, t.c.done_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
