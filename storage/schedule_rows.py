"""The scheduler's rows and queries: due users in batches, bulk claims of sent prompts, marks.

Rows travel as typed records (`DueUser`, `Claim`, `Move` ...), never as dicts.

Every function runs inside the caller's `Tx`. Due users are locked with
`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several instances split the work; on SQLite
the store serialises writers. The unique (user, local date, kind) of `sent_prompts` is
the last word: a prompt whose claim did not insert is never sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Table, exists, func, select, update
from sqlalchemy.sql import Select

from storage.db import Tx
from storage.models import LoggedSession, PlannedSession, SentPrompt, User, UserStatus

CHUNK = 1000  # rows per statement: 7,000 parameters at most, within SQLite's and asyncpg's limits

users = cast(Table, User.__table__)
sent = cast(Table, SentPrompt.__table__)
planned = cast(Table, PlannedSession.__table__)
logged = cast(Table, LoggedSession.__table__)


class PromptStatus:
    """`sent_prompts.status` values."""

    CLAIMED = "claimed"  # claimed, not yet confirmed sent (retried after the lease)
    SENT = "sent"
    FAILED = "failed"  # blocked, unreachable, or out of attempts
    EXPIRED = "expired"  # its morning passed the grace window before it could be retried
    DROPPED = "dropped"  # the user paused, stopped or left before the retry


@dataclass(frozen=True, slots=True)
class DueUser:
    """A user whose morning prompt is due."""

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
    plan_for_prompt: datetime | None = None  # the morning the stored row was rolled for


@dataclass(frozen=True, slots=True)
class DueNudge:
    """A user whose evening nudge is due."""

    id: int
    channel: str
    external_id: str
    timezone: str | None
    due: datetime
    evening_nudge: bool


@dataclass(frozen=True, slots=True)
class StaleClaim:
    """A prompt claimed by an earlier tick and never confirmed sent."""

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


@dataclass(frozen=True, slots=True)
class Claim:
    """A prompt to claim: one per (user, local date, kind)."""

    user_id: int
    local_date: date
    kind: str
    claimed_at: datetime
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Move:
    """When a user's next prompt is due; and their next nudge, when `moves_nudge`."""

    user_id: int
    next_prompt_at: datetime | None
    next_nudge_at: datetime | None = None
    moves_nudge: bool = False  # False leaves next_nudge_at alone: fewer index writes


@dataclass(frozen=True, slots=True)
class Planned:
    """The stored plan of one user's day."""

    session_type: str
    text: str


# The hot statements of a big tick (claims, moves, marks, plan rows) go to the driver as
# plain SQL with ready-made parameters: SQLAlchemy's per-row parameter processing cost
# more than SQLite itself. Placeholders are written `?` and renumbered for asyncpg.


def _sql(tx: Tx, sql: str) -> str:
    if tx.is_sqlite:
        return sql
    parts = sql.split("?")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], 1)) + parts[-1]


def _dt(tx: Tx, value: datetime | None) -> Any:
    """An aware datetime as the UTCDateTime column stores it (naive UTC)."""
    if value is None:
        return None
    naive = value.astimezone(UTC).replace(tzinfo=None)
    return naive.isoformat(" ", "microseconds") if tx.is_sqlite else naive


def _day(tx: Tx, value: date) -> Any:
    return value.isoformat() if tx.is_sqlite else value


def _as_day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


async def _driver(tx: Tx, sql: str, params: Any) -> Any:
    conn = await tx.session.connection()
    return await conn.exec_driver_sql(_sql(tx, sql), params)


def _marks(n: int) -> str:
    return ", ".join("?" * n)


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
        users.c.next_nudge_at, _plan_end(), users.c.plan_for_prompt,
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
    """Prompts claimed before `claimed_before` and never confirmed sent, without an outbox
    row (claims made before the outbox, or whose row was lost)."""
    from storage.outbox import outbox

    queued = exists().where(outbox.c.prompt_id == sent.c.id)
    stmt = select(
        sent.c.id, sent.c.user_id, sent.c.local_date, sent.c.kind, sent.c.attempts,
        sent.c.due_at, sent.c.claimed_at, users.c.channel, users.c.external_id,
        users.c.display_name, users.c.timezone, users.c.status, _plan_end(),
    ).join(users, users.c.id == sent.c.user_id).where(
        sent.c.status == PromptStatus.CLAIMED, sent.c.claimed_at <= claimed_before, ~queued
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


async def claim_prompts(tx: Tx, claims: Sequence[Claim]) -> dict[tuple[int, date, str], int]:
    """Insert claims; the ones already present are left alone. Returns the ids of the new
    claims by (user, date, kind)."""
    claimed: dict[tuple[int, date, str], int] = {}
    for start in range(0, len(claims), CHUNK):
        chunk = claims[start:start + CHUNK]
        params: list[Any] = []
        for c in chunk:
            params += [c.user_id, _day(tx, c.local_date), c.kind, PromptStatus.CLAIMED,
                       _dt(tx, c.claimed_at), _dt(tx, c.due_at), 1]
        sql = ("INSERT INTO sent_prompts (user_id, local_date, kind, status, claimed_at, "
               "due_at, attempts) VALUES "
               + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
               + " ON CONFLICT (user_id, local_date, kind) DO NOTHING"
               " RETURNING id, user_id, local_date, kind")
        for pid, uid, day, kind in await _driver(tx, sql, tuple(params)):
            claimed[(uid, _as_day(day), kind)] = pid
    return claimed


async def advance_prompts(tx: Tx, moves: Sequence[Move]) -> None:
    """Move next_prompt_at on for active users, and next_nudge_at where the move says so."""
    plain = [(_dt(tx, m.next_prompt_at), m.user_id) for m in moves if not m.moves_nudge]
    both = [(_dt(tx, m.next_prompt_at), _dt(tx, m.next_nudge_at), m.user_id)
            for m in moves if m.moves_nudge]
    if plain:
        await _driver(tx, "UPDATE users SET next_prompt_at = ? "
                      "WHERE id = ? AND status = 'active'", plain)
    if both:
        await _driver(tx, "UPDATE users SET next_prompt_at = ?, next_nudge_at = ? "
                      "WHERE id = ? AND status = 'active'", both)


async def clear_nudges(tx: Tx, user_ids: Sequence[int]) -> None:
    """Forget the users' due nudge (it is being sent or skipped now)."""
    if user_ids:
        await tx.session.execute(
            update(users).where(users.c.id.in_(list(user_ids))).values(next_nudge_at=None)
        )


async def mark(tx: Tx, prompt_ids: Sequence[int], status: str,
               at: datetime | None = None) -> None:
    """Set the status of claimed prompts (sent_at too when given)."""
    for start in range(0, len(prompt_ids), CHUNK):
        ids = list(prompt_ids[start:start + CHUNK])
        if at is None:
            await _driver(tx, "UPDATE sent_prompts SET status = ? "
                          f"WHERE id IN ({_marks(len(ids))})", (status, *ids))
        else:
            await _driver(tx, "UPDATE sent_prompts SET status = ?, sent_at = ? "
                          f"WHERE id IN ({_marks(len(ids))})", (status, _dt(tx, at), *ids))


async def planned_on(
    tx: Tx, user_ids: Sequence[int], days: Iterable[date]
) -> dict[tuple[int, date], Planned]:
    """The planned rows by (user, day) for the given users and days."""
    found: dict[tuple[int, date], Planned] = {}
    wanted = [_day(tx, d) for d in sorted(set(days))]
    for start in range(0, len(user_ids), CHUNK):
        ids = list(user_ids[start:start + CHUNK])
        rows = await _driver(
            tx, "SELECT user_id, day, session_type, text FROM planned_sessions "
            f"WHERE user_id IN ({_marks(len(ids))}) AND day IN ({_marks(len(wanted))})",
            (*ids, *wanted),
        )
        for uid, day, kind, text in rows:
            found[(uid, _as_day(day))] = Planned(kind, text)
    return found


async def logged_on(tx: Tx, user_ids: Sequence[int], days: Iterable[date],
                    kinds: Sequence[str] = ()) -> set[tuple[int, date]]:
    """(user, day) pairs with anything logged (of `kinds`, when given), for the given users
    and days."""
    if not user_ids:
        return set()
    stmt = select(logged.c.user_id, logged.c.day).where(
        logged.c.user_id.in_(list(user_ids)), logged.c.day.in_(sorted(set(days)))
    )
    if kinds:
        stmt = stmt.where(logged.c.kind.in_(list(kinds)))
    stmt = stmt.distinct()
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


