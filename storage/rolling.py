"""Queries for rolling plans forward: who needs a fresh row for their next morning, their
logs in bulk, and writing the rolled rows.

A user needs a roll when `plan_for_prompt` is not their `next_prompt_at` (the stored row
for that morning was built as of an earlier day). All of it runs in the caller's `Tx`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import or_, select

from storage.db import Tx
from storage.models import UserStatus
from storage.schedule_rows import CHUNK, _day, _driver, _dt, _locked, _scope, logged, users


class ToRoll(NamedTuple):
    id: int
    profile: dict[str, Any] | None
    timezone: str | None
    next_prompt_at: datetime


def _stale() -> Any:
    return or_(users.c.plan_for_prompt.is_(None),
               users.c.plan_for_prompt != users.c.next_prompt_at)


async def to_roll(tx: Tx, until: datetime, channels: Iterable[str], limit: int,
                  only: tuple[str, str] | None = None) -> list[ToRoll]:
    """Active users whose next morning is due by `until` and not rolled for, soonest first."""
    stmt = select(users.c.id, users.c.profile, users.c.timezone, users.c.next_prompt_at).where(
        users.c.status == UserStatus.ACTIVE, users.c.next_prompt_at <= until, _stale()
    ).order_by(users.c.next_prompt_at).limit(limit)
    stmt = _locked(tx, _scope(stmt, channels, only), users)
    return [ToRoll(*row) for row in await tx.session.execute(stmt)]


async def profiles_of(tx: Tx, user_ids: Sequence[int]) -> dict[int, dict[str, Any] | None]:
    """Stored profiles by user id."""
    out: dict[int, dict[str, Any] | None] = {}
    for start in range(0, len(user_ids), CHUNK):
        ids = list(user_ids[start:start + CHUNK])
        stmt = select(users.c.id, users.c.profile).where(users.c.id.in_(ids))
        out.update({uid: profile for uid, profile in await tx.session.execute(stmt)})
    return out


async def logs_of(tx: Tx, user_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Logged rows (attributes as `LoggedSession`) by user id, in day order."""
    out: dict[int, list[Any]] = defaultdict(list)
    cols = [logged.c[name] for name in ("user_id", "day", "kind", "session_type", "minutes",
                                        "effort", "feeling", "pain", "pain_area", "sickness",
                                        "distance_km", "climb_m", "floors", "pack_kg",
                                        "activity", "reps")]
    for start in range(0, len(user_ids), CHUNK):
        ids = list(user_ids[start:start + CHUNK])
        stmt = select(*cols).where(logged.c.user_id.in_(ids)).order_by(
            logged.c.user_id, logged.c.day, logged.c.id)
        for row in await tx.session.execute(stmt):
            out[row.user_id].append(row)
    return out


async def write_rolled(tx: Tx, rows: Sequence[tuple[int, tuple[Any, ...]]],
                       marks: Sequence[tuple[int, datetime]]) -> None:
    """Replace the planned row of each (user, day) in `rows` (user id, (day, type, minutes,
    hard, details, text)) and set `plan_for_prompt` for `marks` (user id, prompt time). A
    row already given (sent or shown) stays as it is."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        if chunk:
            await _driver(tx, "DELETE FROM planned_sessions WHERE user_id = ? AND day = ? "
                          "AND NOT given", [(uid, _day(tx, row[0])) for uid, row in chunk])
        params: list[Any] = []
        for uid, (day, kind, minutes, hard, details, text) in chunk:
            params += [uid, _day(tx, day), kind, minutes, hard, json.dumps(details), text]
        if chunk:
            await _driver(tx, "INSERT INTO planned_sessions (user_id, day, session_type, "
                          "minutes, hard, details, text) VALUES "
                          + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
                          + " ON CONFLICT (user_id, day) DO NOTHING", tuple(params))
    if marks:
        await _driver(tx, "UPDATE users SET plan_for_prompt = ? WHERE id = ?",
                      [(_dt(tx, at), uid) for uid, at in marks])

