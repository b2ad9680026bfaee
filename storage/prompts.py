"""Queries of the scheduler: due users in batches, bulk claims of sent prompts, marks.

Every function runs inside the caller's `Tx`. Due users are locked with
`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several instances split the work; on SQLite
the store serialises writers. The unique (user, local date, kind) of `sent_prompts` is
the last word: a prompt whose claim did not insert is never sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Select

from storage.db import Tx
from storage.models import LoggedSession, PlannedSession, SentPrompt, User, UserStatus

users = User.__table__
sent = SentPrompt.__table__
planned = PlannedSession.__table__
logged = LoggedSession.__table__


class PromptStatus:
    """`sent_prompts.status` values."""

    CLAIMED = "claimed"  # claimed, not yet confirmed sent (retried after the lease)
    SENT = "sent"
    FAILED = "failed"  # blocked, unreachable, or out of attempts
    EXPIRED = "expired"  # its morning passed the grace window before it could be retried
    DROPPED = "dropped"  # the user paused, stopped or left before the retry


class DueUser(NamedTuple):
    id: int
    channel: str
    external_id: str
    display_name: str | None
    timezone: str | None
    reminder_minutes: int | None
    due: datetime
    trek_date: str | None
    evening_nudge: bool
    next_nudge_at: datetime | None
    plan_end: date | None


class DueNudge(NamedTuple):
    id: int
    channel: str
    external_id: str
    timezone: str | None
    due: datetime
    evening_nudge: bool


class StaleClaim(NamedTuple):
    id: int
    user_id: int
    local_date: date
    kind: str
    attempts: int
    due_at: datetime | None
    claimed_at: datetime
    channel: str
    external_id: str
    display_name: str | None
    timezone: str | None
    user_status: str
    plan_end: date | None


def _plan_end() -> Any:
    return (
        select(func.max(planned.c.day))
        .where(planned.c.user_id == users.c.id)
        .scalar_subquery()
    )


def _scope(stmt: Select[Any], channels: Iterable[str], only: tuple[str, str] | None
           ) -> Select[Any]:
    stmt = stmt.where(users.c.channel.in_(list(channels)))
    if only is not None:
        stmt = stmt.where(users.c.channel == only[0], users.c.external_id == only[1])
    return stmt


def _locked(tx: Tx, stmt: Select[Any], of: Any) -> Select[Any]:
    if tx.is_sqlite:
        return stmt
    return stmt.with_for_update(skip_locked=True, of=of)


async def due_users(
    tx: Tx, now: datetime, channels: Iterable[str], limit: int,
    only: tuple[str, str] | None = None,
) -> list[DueUser]:
    """Active users whose morning prompt is due, oldest first, at most `limit`."""
    stmt = select(
        users.c.id, users.c.channel, users.c.external_id, users.c.display_name,
        users.c.timezone, users.c.reminder_minutes, users.c.next_prompt_at,
        users.c.profile["trek_date"].as_string(), users.c.evening_nudge,
        users.c.next_nudge_at, _plan_end(),
    ).where(
        users.c.status == UserStatus.ACTIVE, users.c.next_prompt_at <= now
    ).order_by(users.c.next_prompt_at).limit(limit)
    stmt = _locked(tx, _scope(stmt, channels, only), users)
    return [DueUser(*row) for row in await tx.session.execute(stmt)]


async def due_nudges(
    tx: Tx, now: datetime, channels: Iterable[str], limit: int,
    only: tuple[str, str] | None = None,
) -> list[DueNudge]:
    """Active users whose evening nudge time has come, oldest first, at most `limit`."""
    stmt = select(
        users.c.id, users.c.channel, users.c.external_id, users.c.timezone,
        users.c.next_nudge_at, users.c.evening_nudge,
    ).where(
        users.c.status == UserStatus.ACTIVE, users.c.next_nudge_at <= now
    ).order_by(users.c.next_nudge_at).limit(limit)
    stmt = _locked(tx, _scope(stmt, channels, only), users)
    return [DueNudge(*row) for row in await tx.session.execute(stmt)]


async def stale_claims(
    tx: Tx, claimed_before: datetime, channels: Iterable[str], limit: int,
    only: tuple[str, str] | None = None,
) -> list[StaleClaim]:
    """Prompts claimed before `claimed_before` and never confirmed sent."""
    stmt = select(
        sent.c.id, sent.c.user_id, sent.c.local_date, sent.c.kind, sent.c.attempts,
        sent.c.due_at, sent.c.claimed_at, users.c.channel, users.c.external_id,
        users.c.display_name, users.c.timezone, users.c.status, _plan_end(),
    ).join(users, users.c.id == sent.c.user_id).where(
        sent.c.status == PromptStatus.CLAIMED, sent.c.claimed_at <= claimed_before
    ).order_by(sent.c.claimed_at).limit(limit)
    stmt = _locked(tx, _scope(stmt, channels, only), sent)
    return [StaleClaim(*row) for row in await tx.session.execute(stmt)]


async def reclaim(tx: Tx, prompt_id: int, claimed_at: datetime, now: datetime) -> bool:
    """Take over a stale claim (compare-and-set on claimed_at); False if someone else did."""
    result = await tx.session.execute(
        update(sent)
        .where(sent.c.id == prompt_id, sent.c.status == PromptStatus.CLAIMED,
               sent.c.claimed_at == claimed_at)
        .values(claimed_at=now, attempts=sent.c.attempts + 1)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def claim_prompts(
    tx: Tx, claims: Sequence[dict[str, Any]]
) -> dict[tuple[int, date, str], int]:
    """Insert claims (user_id, local_date, kind, claimed_at, due_at); the ones already
    present are left alone. Returns the ids of the new claims by (user, date, kind)."""
    if not claims:
        return {}
    ins = (sqlite.insert(sent) if tx.is_sqlite else postgresql.insert(sent))
    stmt = ins.on_conflict_do_nothing(
        index_elements=["user_id", "local_date", "kind"]
    ).returning(sent.c.id, sent.c.user_id, sent.c.local_date, sent.c.kind)
    rows = [{"status": PromptStatus.CLAIMED, "attempts": 1, **c} for c in claims]
    result = await tx.session.execute(stmt, rows)
    return {(uid, day, kind): pid for pid, uid, day, kind in result}


async def advance_prompts(tx: Tx, moves: Sequence[dict[str, Any]]) -> None:
    """Move next_prompt_at / next_nudge_at on for active users (uid, npa, nna)."""
    if not moves:
        return
    stmt = (
        update(users)
        .where(users.c.id == bindparam("uid"), users.c.status == UserStatus.ACTIVE)
        .values(next_prompt_at=bindparam("npa"), next_nudge_at=bindparam("nna"))
    )
    await tx.session.execute(stmt, list(moves))


async def set_status(tx: Tx, user_ids: Sequence[int], status: str,
                     *, only_if: str = UserStatus.ACTIVE) -> None:
    """Change users' status, leaving users not in `only_if` (paused, deleted...) alone."""
    if user_ids:
        await tx.session.execute(
            update(users).where(users.c.id.in_(list(user_ids)), users.c.status == only_if)
            .values(status=status, next_prompt_at=None, next_nudge_at=None)
        )


async def clear_nudges(tx: Tx, user_ids: Sequence[int]) -> None:
    if user_ids:
        await tx.session.execute(
            update(users).where(users.c.id.in_(list(user_ids))).values(next_nudge_at=None)
        )


async def mark(tx: Tx, prompt_ids: Sequence[int], status: str,
               at: datetime | None = None) -> None:
    """Set the status of claimed prompts (sent_at too when given)."""
    if not prompt_ids:
        return
    values: dict[str, Any] = {"status": status}
    if at is not None:
        values["sent_at"] = at
    await tx.session.execute(
        update(sent).where(sent.c.id.in_(list(prompt_ids))).values(**values)
    )


async def planned_on(
    tx: Tx, user_ids: Sequence[int], days: Iterable[date]
) -> dict[tuple[int, date], tuple[str, str]]:
    """(session_type, text) of planned rows by (user, day) for the given users and days."""
    if not user_ids:
        return {}
    stmt = select(planned.c.user_id, planned.c.day, planned.c.session_type,
                  planned.c.text).where(planned.c.user_id.in_(list(user_ids)),
                                        planned.c.day.in_(sorted(set(days))))
    return {(uid, day): (kind, text) for uid, day, kind, text
            in await tx.session.execute(stmt)}


async def logged_on(tx: Tx, user_ids: Sequence[int], days: Iterable[date]
                    ) -> set[tuple[int, date]]:
    """(user, day) pairs with anything logged, for the given users and days."""
    if not user_ids:
        return set()
    stmt = select(logged.c.user_id, logged.c.day).where(
        logged.c.user_id.in_(list(user_ids)), logged.c.day.in_(sorted(set(days)))
    ).distinct()
    return {(uid, day) for uid, day in await tx.session.execute(stmt)}


async def next_times(tx: Tx, channel: str, external_id: str
                     ) -> tuple[datetime | None, datetime | None]:
    """(next_prompt_at, next_nudge_at) of an active user; (None, None) otherwise."""
    row = (await tx.session.execute(
        select(users.c.next_prompt_at, users.c.next_nudge_at).where(
            users.c.channel == channel, users.c.external_id == external_id,
            users.c.status == UserStatus.ACTIVE)
    )).first()
    return (None, None) if row is None else (row[0], row[1])


