"""Queries of trek batches: create and join, leaders and their one-time invites, alerts sent
once, broadcasts queued per trekker. Every function runs inside the caller's `Tx`."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from storage.batch_models import (
    Batch,
    BatchMember,
    Broadcast,
    BroadcastSend,
    Leader,
    LeaderAlert,
    LeaderBatch,
    LeaderInvite,
    WebSecret,
)
from storage.db import Tx
from storage.models import LoggedSession, User

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud


class SendStatus:
    """`broadcast_sends.status` values."""

    PENDING = "pending"
    CLAIMED = "claimed"  # handed to a sender; retried after the lease if never marked
    SENT = "sent"
    FAILED = "failed"  # blocked, unreachable, no channel


class QueuedSend(NamedTuple):
    """One trekker's copy of a broadcast, ready to hand to their channel."""

    id: int
    user_id: int
    channel: str
    user_key: str
    text: str
    batch_name: str


def new_code(name: str, length: int = 4) -> str:
    """A join code from the batch name: 'Everest Base Camp' -> 'EVEREST-7KQ2'."""
    word = "".join(c for c in (name.split() or ["TREK"])[0].upper() if c.isascii()
                   and c.isalnum())[:10] or "TREK"
    return f"{word}-{''.join(secrets.choice(CODE_ALPHABET) for _ in range(length))}"


def normal_code(raw: str) -> str:
    """A code as typed ('everest-7kq2 ', 'Everest_7KQ2') in its stored form."""
    return raw.strip().upper().replace("_", "-")


# -- batches ---------------------------------------------------------------------------------
async def create_batch(tx: Tx, name: str, trek_date: date, grade: str) -> Batch:
    """A new batch with a fresh code (another code is drawn on the rare collision)."""
    for _ in range(20):
        batch = Batch(code=new_code(name), name=name, trek_date=trek_date, grade=grade)
        try:
            async with tx.session.begin_nested():
                tx.session.add(batch)
        except IntegrityError:
            continue
        return batch
    raise RuntimeError("could not draw a free batch code")


async def batch_by_code(tx: Tx, code: str) -> Batch | None:
    stmt = select(Batch).where(Batch.code == normal_code(code))
    return (await tx.session.execute(stmt)).scalar_one_or_none()


async def batches_with_counts(tx: Tx) -> list[tuple[Batch, int]]:
    """Every batch, soonest departure first, with its head count."""
    stmt = (select(Batch, func.count(BatchMember.id))
            .outerjoin(BatchMember, BatchMember.batch_id == Batch.id)
            .group_by(Batch.id).order_by(Batch.trek_date, Batch.id))
    return [(b, int(n)) for b, n in (await tx.session.execute(stmt)).all()]


async def membership(tx: Tx, user_id: int) -> Batch | None:
    """The batch a user is in, if any."""
    stmt = (select(Batch).join(BatchMember, BatchMember.batch_id == Batch.id)
            .where(BatchMember.user_id == user_id))
    return (await tx.session.execute(stmt)).scalar_one_or_none()


async def join(tx: Tx, user_id: int, batch: Batch, now: datetime) -> None:
    """Put the user in `batch` (out of any other one)."""
    await leave(tx, user_id)
    tx.session.add(BatchMember(batch_id=batch.id, user_id=user_id, joined_at=now))
    await tx.session.flush()


async def leave(tx: Tx, user_id: int) -> bool:
    """Take the user out of their batch; False when they were in none."""
    result = await tx.session.execute(delete(BatchMember).where(BatchMember.user_id == user_id))
    return bool(getattr(result, "rowcount", 0))


async def members(tx: Tx, batch_id: int) -> list[tuple[User, datetime]]:
    """The users in a batch with when they joined, oldest member first."""
    stmt = (select(User, BatchMember.joined_at)
            .join(BatchMember, BatchMember.user_id == User.id)
            .where(BatchMember.batch_id == batch_id).order_by(BatchMember.id))
    return [(u, j) for u, j in (await tx.session.execute(stmt)).all()]


async def logs_of(tx: Tx, user_ids: Sequence[int]) -> dict[int, list[LoggedSession]]:
    """The log rows of several users at once, oldest first."""
    out: dict[int, list[LoggedSession]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return out
    stmt = (select(LoggedSession).where(LoggedSession.user_id.in_(list(user_ids)))
            .order_by(LoggedSession.day, LoggedSession.id))
    for row in (await tx.session.execute(stmt)).scalars():
        out[row.user_id].append(row)
    return out


# -- leaders ---------------------------------------------------------------------------------
async def leader_for(tx: Tx, name: str) -> Leader:
    """The leader of that name, created on first use."""
    found = (await tx.session.execute(select(Leader).where(Leader.name == name))
             ).scalar_one_or_none()
    if found is not None:
        return found
    leader = Leader(name=name, chat_code="L-" + "".join(
        secrets.choice(CODE_ALPHABET) for _ in range(8)))
    tx.session.add(leader)
    await tx.session.flush()
    return leader


async def any_leader(tx: Tx) -> bool:
    return (await tx.session.execute(select(Leader.id).limit(1))).first() is not None


async def leader_by_id(tx: Tx, leader_id: int) -> Leader | None:
    return await tx.session.get(Leader, leader_id)


async def give_batch(tx: Tx, leader_id: int, batch_id: int) -> None:
    """Let a leader see a batch (nothing happens when they already do)."""
    if await tx.session.get(LeaderBatch, (leader_id, batch_id)) is None:
        tx.session.add(LeaderBatch(leader_id=leader_id, batch_id=batch_id))
        await tx.session.flush()


async def leader_batches(tx: Tx, leader_id: int) -> list[Batch]:
    """The batches a leader sees, soonest departure first."""
    stmt = (select(Batch).join(LeaderBatch, LeaderBatch.batch_id == Batch.id)
            .where(LeaderBatch.leader_id == leader_id).order_by(Batch.trek_date, Batch.id))
    return list((await tx.session.execute(stmt)).scalars())


async def create_invite(tx: Tx, leader_id: int, token_hash: str, expires_at: datetime) -> None:
    tx.session.add(LeaderInvite(leader_id=leader_id, token_hash=token_hash,
                                expires_at=expires_at))
    await tx.session.flush()


async def use_invite(tx: Tx, token_hash: str, now: datetime) -> int | None:
    """Spend a one-time invite: its leader id, or None when unknown, used or expired. One
    conditional UPDATE, so two requests with the same link cannot both sign in."""
    result = await tx.session.execute(
        update(LeaderInvite)
        .where(LeaderInvite.token_hash == token_hash, LeaderInvite.used_at.is_(None),
               LeaderInvite.expires_at > now)
        .values(used_at=now))
    if not getattr(result, "rowcount", 0):
        return None
    stmt = select(LeaderInvite.leader_id).where(LeaderInvite.token_hash == token_hash)
    return (await tx.session.execute(stmt)).scalar_one()


async def invite_usable(tx: Tx, token_hash: str, now: datetime) -> bool:
    stmt = select(LeaderInvite.id).where(
        LeaderInvite.token_hash == token_hash, LeaderInvite.used_at.is_(None),
        LeaderInvite.expires_at > now)
    return (await tx.session.execute(stmt)).first() is not None


async def link_chat(tx: Tx, chat_code: str, channel: str, user_key: str,
                    now: datetime) -> Leader | None:
    """Link a leader's own chat for alerts by their chat code; None for an unknown code."""
    stmt = select(Leader).where(Leader.chat_code == normal_code(chat_code))
    leader = (await tx.session.execute(stmt)).scalar_one_or_none()
    if leader is not None:
        leader.chat_channel, leader.chat_key, leader.linked_at = channel, user_key, now
    return leader


async def linked_leaders(tx: Tx) -> list[Leader]:
    """Leaders with a chat linked for alerts."""
    stmt = select(Leader).where(Leader.chat_key.is_not(None)).order_by(Leader.id)
    return list((await tx.session.execute(stmt)).scalars())


async def claim_alert(tx: Tx, leader_id: int, user_id: int, kind: str, key: str,
                      now: datetime) -> bool:
    """Record an alert before sending it; False when it was already recorded."""
    try:
        async with tx.session.begin_nested():
            tx.session.add(LeaderAlert(leader_id=leader_id, user_id=user_id, kind=kind,
                                       key=key, created_at=now))
    except IntegrityError:
        return False
    return True


# -- broadcasts ------------------------------------------------------------------------------
async def create_broadcast(tx: Tx, batch_id: int, leader_id: int | None, text: str,
                           now: datetime, nonce: str | None = None) -> int | None:
    """Queue a broadcast: one pending copy per member; returns how many, or None when this
    `nonce` (a form sent twice) was queued already."""
    broadcast = Broadcast(batch_id=batch_id, leader_id=leader_id, text=text, created_at=now,
                          nonce=nonce)
    try:
        async with tx.session.begin_nested():
            tx.session.add(broadcast)
    except IntegrityError:
        return None
    ids = (await tx.session.execute(
        select(BatchMember.user_id).where(BatchMember.batch_id == batch_id))).scalars().all()
    tx.session.add_all([BroadcastSend(broadcast_id=broadcast.id, user_id=uid,
                                      status=SendStatus.PENDING) for uid in ids])
    await tx.session.flush()
    return len(ids)


async def claim_sends(tx: Tx, now: datetime, lease: timedelta, limit: int = 500
                      ) -> list[QueuedSend]:
    """Claim pending copies (and claimed ones whose lease ran out) for sending."""
    stmt = (select(BroadcastSend.id, BroadcastSend.user_id, User.channel, User.external_id,
                   Broadcast.text, Batch.name)
            .join(Broadcast, Broadcast.id == BroadcastSend.broadcast_id)
            .join(Batch, Batch.id == Broadcast.batch_id)
            .join(User, User.id == BroadcastSend.user_id)
            .where(or_(BroadcastSend.status == SendStatus.PENDING,
                       (BroadcastSend.status == SendStatus.CLAIMED)
                       & (BroadcastSend.claimed_at < now - lease)))
            .order_by(BroadcastSend.id).limit(limit))
    if not tx.is_sqlite:
        stmt = stmt.with_for_update(of=BroadcastSend, skip_locked=True)
    rows = [QueuedSend(*r) for r in (await tx.session.execute(stmt)).all()]
    if rows:
        await tx.session.execute(update(BroadcastSend).where(
            BroadcastSend.id.in_([r.id for r in rows])).values(
            status=SendStatus.CLAIMED, claimed_at=now))
    return rows


async def mark_send(tx: Tx, send_id: int, status: str, now: datetime) -> None:
    await tx.session.execute(update(BroadcastSend).where(BroadcastSend.id == send_id).values(
        status=status, sent_at=now if status == SendStatus.SENT else None))


async def send_counts(tx: Tx, batch_id: int) -> dict[str, int]:
    """Copies of this batch's broadcasts by status."""
    stmt = (select(BroadcastSend.status, func.count(BroadcastSend.id))
            .join(Broadcast, Broadcast.id == BroadcastSend.broadcast_id)
            .where(Broadcast.batch_id == batch_id).group_by(BroadcastSend.status))
    return {s: int(n) for s, n in (await tx.session.execute(stmt)).all()}


async def last_broadcast(tx: Tx, batch_id: int) -> Broadcast | None:
    stmt = (select(Broadcast).where(Broadcast.batch_id == batch_id)
            .order_by(Broadcast.id.desc()).limit(1))
    return (await tx.session.execute(stmt)).scalar_one_or_none()


# -- the web page's signing key ----------------------------------------------------------------
async def web_secret(tx: Tx, name: str = "leader-session") -> str:
    """A random key kept in the database (so every instance signs alike), made on first use."""
    found = await tx.session.get(WebSecret, name)
    if found is not None:
        return found.value
    try:
        async with tx.session.begin_nested():
            tx.session.add(WebSecret(name=name, value=secrets.token_urlsafe(48)))
    except IntegrityError:
        pass
    found = await tx.session.get(WebSecret, name)
    assert found is not None
    return found.value
