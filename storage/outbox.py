"""The outbox: messages written in the transaction that decided them, sent by dispatchers.

Verbs (all inside the caller's `Tx`): `enqueue` rows for a (channel, user_key), `claim`
due rows with a lease, and end them with `mark_sent`, `mark_failed` or `retry_at`.

Order: only the oldest unfinished row of a chat can be claimed, and while it waits for a
retry or is held under a lease, the chat's later rows wait behind it. On PostgreSQL the
claim takes `FOR UPDATE SKIP LOCKED`, so several instances split the chats between them;
the lease (`claimed_until`) gives a crashed instance's rows back. On SQLite the store
serialises transactions and one process sends.

`Outgoing` is stored whole as JSON: text, choices, the attachment (base64) and meta.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, exists, func, insert, or_, select, update

from conversations.messages import FORGET, Attachment, Choice, Outgoing
from storage.models import OutboxMessage, SentPrompt

outbox = cast(Table, OutboxMessage.__table__)
prompts = cast(Table, SentPrompt.__table__)


class OutboxKind:
    """What a row is; decides how long it is worth retrying."""

    REPLY = "reply"  # an answer to a person's message (and channel notices)
    PROMPT = "prompt"  # a scheduled morning message or evening nudge
    BROADCAST = "broadcast"  # a leader's broadcast or alert


class OutboxStatus:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # refused for good (blocked, unreachable) or given up
    STALE = "stale"  # a prompt whose time passed before it could go out


# How long a row is worth trying when the caller gives no `not_after`.
LIFETIME = {OutboxKind.REPLY: timedelta(hours=6), OutboxKind.PROMPT: timedelta(hours=3),
            OutboxKind.BROADCAST: timedelta(hours=24)}

# What a finished prompt row makes of its sent_prompts claim.
_PROMPT_STATUS = {OutboxStatus.SENT: "sent", OutboxStatus.FAILED: "failed",
                  OutboxStatus.STALE: "expired"}


def dump(messages: Sequence[Outgoing]) -> list[dict[str, Any]]:
    """Outgoing messages as JSON-ready dicts (nothing lost)."""
    rows: list[dict[str, Any]] = []
    for m in messages:
        row: dict[str, Any] = {"text": m.text, "choices": [[c.id, c.label] for c in m.choices]}
        if m.attachment is not None:
            a = m.attachment
            row["attachment"] = {"filename": a.filename, "mime": a.mime,
                                 "is_image": a.is_image,
                                 "data": base64.b64encode(a.data).decode("ascii")}
        if m.meta:
            row["meta"] = dict(m.meta)
        rows.append(row)
    return rows


def load(payload: Sequence[dict[str, Any]]) -> list[Outgoing]:
    """Back from `dump`."""
    messages = []
    for row in payload:
        a = row.get("attachment")
        attachment = None if a is None else Attachment(
            a["filename"], base64.b64decode(a["data"]), a["mime"], bool(a["is_image"]))
        messages.append(Outgoing(
            text=row["text"], choices=tuple(Choice(i, label) for i, label in row["choices"]),
            attachment=attachment, meta=dict(row.get("meta") or {})))
    return messages


@dataclass(frozen=True, slots=True)
class Queued:
    """A claimed outbox row."""

    id: int
    channel: str
    user_key: str
    kind: str
    messages: list[Outgoing]
    attempts: int  # including this one
    resends: int
    created_at: datetime
    not_after: datetime
    prompt_id: int | None


def row(channel: str, user_key: str, messages: Sequence[Outgoing], *, kind: str,
        now: datetime, not_after: datetime | None = None,
        prompt_id: int | None = None) -> dict[str, Any]:
    """One outbox row's values, for `enqueue_rows`."""
    return {"channel": channel, "user_key": user_key, "kind": kind,
            "payload": dump(messages), "status": OutboxStatus.PENDING, "created_at": now,
            "not_after": not_after or now + LIFETIME[kind], "next_attempt_at": now,
            "attempts": 0, "resends": 0, "prompt_id": prompt_id}


async def enqueue_rows(session: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert prepared rows (in order: ids follow the list)."""
    stmt = insert(outbox)  # one cached statement; parameters bound per row
    for value in rows:  # one by one: ids in list order on every database
        await session.execute(stmt, value)


def _claimable() -> Any:
    """Due, unleased rows with no older unfinished row in their chat (`channel`, `now`
    bound at execution)."""
    older = outbox.alias("older")
    ahead = exists().where(older.c.channel == outbox.c.channel,
                           older.c.user_key == outbox.c.user_key,
                           older.c.status == OutboxStatus.PENDING,
                           older.c.id < outbox.c.id)
    now = bindparam("now", type_=outbox.c.next_attempt_at.type)
    return (outbox.c.channel == bindparam("channel"), outbox.c.status == OutboxStatus.PENDING,
            outbox.c.next_attempt_at <= now,
            or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now), ~ahead)


_TIME = outbox.c.claimed_until.type
# Built once: building these expressions cost more than running them (per claim and row).
_CLAIM = select(outbox).where(*_claimable()).order_by(outbox.c.id)
_CLAIM_CHATS = _CLAIM.where(outbox.c.user_key.in_(bindparam("keys", expanding=True)))
_TAKE = (update(outbox)
         .where(outbox.c.id.in_(bindparam("ids", expanding=True)),
                outbox.c.status == OutboxStatus.PENDING,
                or_(outbox.c.claimed_until.is_(None),
                    outbox.c.claimed_until < bindparam("now", type_=_TIME)))
         .values(claimed_until=bindparam("until", type_=_TIME), attempts=outbox.c.attempts + 1)
         .returning(outbox.c.id))
_END = (update(outbox).where(outbox.c.id.in_(bindparam("ids", expanding=True)))
        .values(status=bindparam("status", type_=outbox.c.status.type),
                sent_at=bindparam("sent_at", type_=_TIME), claimed_until=None,
                error=bindparam("error", type_=outbox.c.error.type)))
_FORGET = delete(outbox).where(outbox.c.id.in_(bindparam("ids", expanding=True)))
_PROMPT_END = (update(prompts).where(prompts.c.id.in_(bindparam("ids", expanding=True)))
               .values(status=bindparam("status", type_=prompts.c.status.type)))
_PROMPT_SENT = (update(prompts).where(prompts.c.id.in_(bindparam("ids", expanding=True)))
                .values(status=_PROMPT_STATUS[OutboxStatus.SENT],
                        sent_at=bindparam("at", type_=prompts.c.sent_at.type)))


async def claim(session: Any, is_sqlite: bool, channel: str, now: datetime,
                lease: timedelta, limit: int, *,
                user_keys: Sequence[str] | None = None) -> list[Queued]:
    """Claim up to `limit` due rows, each the oldest unfinished row of its chat (of the
    chats in `user_keys`, when given; none for an empty list), in one statement."""
    if user_keys is not None and not user_keys:
        return []
    stmt = (_CLAIM if user_keys is None else _CLAIM_CHATS).limit(limit)
    if not is_sqlite:
        stmt = stmt.with_for_update(skip_locked=True, of=outbox)
    params: dict[str, Any] = {"channel": channel, "now": now}
    if user_keys is not None:
        params["keys"] = list(user_keys)
    found = (await session.execute(stmt, params)).all()
    if not found:
        return []
    # The update checks the lease again and says which rows it took: a second process on
    # one SQLite file (which takes no row locks) cannot take them too.
    taken = set((await session.execute(
        _TAKE, {"ids": [r.id for r in found], "now": now, "until": now + lease})).scalars())
    return [Queued(r.id, r.channel, r.user_key, r.kind, load(r.payload), r.attempts + 1,
                   r.resends, r.created_at, r.not_after, r.prompt_id)
            for r in found if r.id in taken]


async def finish(session: Any, item: Queued, status: str, now: datetime,
                 error: str | None = None) -> None:
    """End a row: sent, failed or stale (and its prompt claim with it). A row whose messages
    all carry the FORGET mark (the answer to /delete) is deleted instead: nothing of a
    deleted person's chat stays behind once the answer is out."""
    await finish_many(session, [(item, status, error)], now)


def _forgotten(item: Queued) -> bool:
    return bool(item.messages) and all(m.meta.get(FORGET) for m in item.messages)


async def finish_many(session: Any, ended: Sequence[tuple[Queued, str, str | None]],
                      now: datetime) -> None:
    """End rows as `finish` does, with one statement per (status, error) among them: a
    dispatcher records a whole batch of sends in one transaction."""
    forget = [item.id for item, _, _ in ended if _forgotten(item)]
    if forget:
        await session.execute(_FORGET, {"ids": forget})
    groups: dict[tuple[str, str | None], list[Queued]] = {}
    for item, status, error in ended:
        groups.setdefault((status, error), []).append(item)
    for (status, error), items in groups.items():
        ids = [item.id for item in items if not _forgotten(item)]
        if ids:
            await session.execute(_END, {"ids": ids, "status": status, "error": error,
                                         "sent_at": now if status == OutboxStatus.SENT
                                         else None})
        prompt_ids = [item.prompt_id for item in items if item.prompt_id is not None]
        if not prompt_ids:
            continue
        if status == OutboxStatus.SENT:
            await session.execute(_PROMPT_SENT, {"ids": prompt_ids, "at": now})
        else:
            await session.execute(_PROMPT_END, {"ids": prompt_ids,
                                                "status": _PROMPT_STATUS[status]})


async def forget_chat(session: Any, channel: str, user_key: str) -> None:
    """Remove a chat's finished rows (for /delete; rows still to send stay until sent)."""
    await session.execute(delete(outbox).where(
        outbox.c.channel == channel, outbox.c.user_key == user_key,
        outbox.c.status != OutboxStatus.PENDING))


async def drop_chat(session: Any, channel: str, user_key: str, error: str) -> int:
    """End every unsent row of a chat (the person blocked the bot or cannot be reached)."""
    result = await session.execute(update(outbox).where(
        outbox.c.channel == channel, outbox.c.user_key == user_key,
        outbox.c.status == OutboxStatus.PENDING).values(
        status=OutboxStatus.FAILED, claimed_until=None, error=error))
    await session.execute(update(prompts).where(prompts.c.id.in_(
        select(outbox.c.prompt_id).where(outbox.c.channel == channel,
                                         outbox.c.user_key == user_key,
                                         outbox.c.error == error,
                                         outbox.c.prompt_id.is_not(None))),
        prompts.c.status == "claimed").values(status="failed"))
    return int(result.rowcount or 0)


async def retry_at(session: Any, item: Queued, at: datetime, error: str, *,
                   resend: bool = False) -> None:
    """Give a row back, to be tried again at `at` (`resend`: it may have been delivered)."""
    values: dict[str, Any] = {"next_attempt_at": at, "claimed_until": None, "error": error}
    if resend:
        values["resends"] = outbox.c.resends + 1
    await session.execute(update(outbox).where(outbox.c.id == item.id).values(**values))


async def next_due(session: Any, channel: str) -> datetime | None:
    """When the channel's earliest pending row is due (None: nothing pending)."""
    stmt = select(func.min(outbox.c.next_attempt_at)).where(
        outbox.c.channel == channel, outbox.c.status == OutboxStatus.PENDING)
    return cast(datetime | None, (await session.execute(stmt)).scalar())


async def stats(session: Any, now: datetime) -> dict[str, tuple[int, float]]:
    """Per channel: rows waiting, and the age in seconds of the oldest."""
    stmt = select(outbox.c.channel, func.count(), func.min(outbox.c.created_at)).where(
        outbox.c.status == OutboxStatus.PENDING).group_by(outbox.c.channel)
    found: dict[str, tuple[int, float]] = {}
    for channel, count, oldest in await session.execute(stmt):
        if oldest is not None and oldest.tzinfo is None:
            from datetime import UTC
            oldest = oldest.replace(tzinfo=UTC)
        found[channel] = (int(count), max(0.0, (now - oldest).total_seconds()))
    return found


async def prune(session: Any, before: datetime) -> int:
    """Delete finished rows created before `before`; returns how many."""
    result = await session.execute(delete(outbox).where(
        outbox.c.status != OutboxStatus.PENDING, outbox.c.created_at < before))
    return int(result.rowcount or 0)
