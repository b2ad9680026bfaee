"""Rolling plans forward: each user's stored row for their next morning, rebuilt as the plan
stands on that local day, ahead of the due time and in bulk. For an evening reminder (a
preview of tomorrow, `schedule.session_day`) that is tomorrow's row, as tomorrow sees it.

The plan depends on the day it is seen from (missed days make a bridge, a long silence a
restart, pain and sickness change the next days), so a row stored when something was last
logged goes stale as days pass. The scheduler's tick calls `roll_ahead` after sending:
batches of `batch` users whose next morning is within `ahead` and whose row was not built
for it (`users.plan_for_prompt`), for at most `budget` seconds a tick, so the push names
exactly what `today` and `/plan` show. `roll_users` also serves the claim of a due user
not rolled yet (just onboarded, logged late, moved reminder). Users with nothing logged
are only marked: with no history the plan does not depend on the day it is seen from.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.prompt_rules import zone_of
from conversations.plans import day_row, history_of
from conversations.schedule import session_day
from storage import Store, rolling
from storage.db import Tx

log = logging.getLogger(__name__)

ROLL_AHEAD = timedelta(hours=12)  # plans are rolled up to this long before the morning
ROLL_BATCH = 50  # users rolled per transaction (the planner runs for each: ~5-20 ms)
ROLL_BUDGET = 2.0  # seconds of rolling per tick at most, so a tick never hogs the loop


async def roll_users(tx: Tx, due: Sequence[rolling.ToRoll]) -> int:
    """Rewrite each user's row for their next morning as the plan stands that day; returns
    how many users were rolled (or marked)."""
    logs = await rolling.logs_of(tx, [u.id for u in due if u.profile])
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for u in due:
        if not (u.profile and logs.get(u.id)):
            continue
        local = u.next_prompt_at.astimezone(zone_of(u.timezone))
        day = session_day(local)  # an evening preview asks the follow-up open that evening
        try:
            row = day_row(dict(u.profile), history_of(logs[u.id]), day, asked_on=local.date())
        except Exception:  # one bad profile must not stop the others
            log.exception("could not roll the plan of user %s", u.id)
            continue
        if row is not None:
            rows.append((u.id, row))
    await rolling.write_rolled(tx, rows, [(u.id, u.next_prompt_at) for u in due])
    return len(due)


async def roll_due(tx: Tx, due: Iterable[tuple[int, str | None, datetime]]) -> int:
    """Roll claimed users (id, zone, due time) whose stored row is not for this morning."""
    wanted = list(due)
    if not wanted:
        return 0
    profiles = await rolling.profiles_of(tx, [uid for uid, _, _ in wanted])
    return await roll_users(tx, [rolling.ToRoll(uid, profiles.get(uid), zone, at)
                                 for uid, zone, at in wanted])


async def roll_once(store: Store, now: datetime, channels: Iterable[str], *,
                    ahead: timedelta = ROLL_AHEAD, batch: int = ROLL_BATCH,
                    only: tuple[str, str] | None = None) -> int:
    """One batch of users whose morning is within ``ahead`` and not rolled for."""
    async with store.transaction() as tx:
        due = await rolling.to_roll(tx, now + ahead, list(channels), batch, only)
        return await roll_users(tx, due) if due else 0


async def roll_ahead(store: Store, clock: Callable[[], datetime], channels: Iterable[str], *,
                     ahead: timedelta = ROLL_AHEAD, batch: int = ROLL_BATCH,
                     budget: float = ROLL_BUDGET, only: tuple[str, str] | None = None,
                     stopping: Callable[[], bool] = lambda: False) -> int:
    """Batches of `roll_once` until none is left or ``budget`` seconds have passed."""
    started, total, names = time.monotonic(), 0, list(channels)
    while not stopping() and time.monotonic() - started < budget:
        n = await roll_once(store, clock(), names, ahead=ahead, batch=batch, only=only)
        total += n
        if n < batch:
            break
    return total
