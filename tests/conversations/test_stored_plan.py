"""The stored plan (planned_sessions) after each change equals a full rewrite from today on,
but only the days that changed are written: a plain "done" leaves the other days' rows
untouched, and the rows of past days stay as they were."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, select

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.plan_texts import session_text
from conversations.plans import days_of, history_of
from conversations.profile import to_planner
from planner import build_plan
from storage import PlannedSession, Store
from tests.conversations.daily_support import Chat, onboarded

Row = tuple[str, str, int, bool, str, str]


def reference(profile: dict[str, Any], logs: list[Any], today: date) -> dict[date, Row]:
    """Every day from today to the trek as a full rewrite stores it."""
    plan = build_plan(to_planner(profile), history_of(logs), today)
    out = {}
    for s in days_of(plan, today, date.fromisoformat(profile["trek_date"])):
        details = {k: (str(v) if k in ("type", "phase") else v) for k, v in asdict(s).items()
                   if k != "day" and v not in (None, "")}
        out[s.day] = (str(s.day), s.type.value, s.minutes, s.hard,
                      json.dumps(details, sort_keys=True), session_text(s))
    return out


async def check(store: Store, uid: int, today: date) -> dict[date, int]:
    """Assert the stored rows from today on are a full rewrite's; returns all ids by day."""
    async with store.transaction() as tx:
        rows = (await tx.session.execute(
            select(PlannedSession).where(PlannedSession.user_id == uid))).scalars().all()
        user = await tx.user_by_id(uid)
        assert user is not None
        expected = reference(dict(user.profile or {}), list(await tx.logs(uid)), today)
    got = {r.day: (str(r.day), r.session_type, r.minutes, r.hard,
                   json.dumps(r.details, sort_keys=True), r.text) for r in rows if r.day >= today}
    assert got == expected
    return {r.day: r.id for r in rows}


async def test_each_change_stores_what_a_full_rewrite_would(store: Store, engine: Engine,
                                                            clock: FakeClock) -> None:
    uid = await onboarded(store, joints=["knee"])
    chat = Chat(engine, clock)
    today = date(2026, 12, 1)
    await chat.send("done")
    first = await check(store, uid, today)
    assert min(first) == today

    clock.advance(timedelta(days=1))
    await chat.send("done 40 min")
    second = await check(store, uid, today + timedelta(days=1))
    assert second[today] == first[today]  # yesterday's row stays, as it was given
    kept = [d for d in second if second[d] == first.get(d)]
    assert len(kept) == len(second)  # nothing else changed: no row was rewritten

    await chat.send("my knee hurts 7/10")  # the plan changes for the next days
    third = await check(store, uid, today + timedelta(days=1))
    assert any(third[d] == second[d] for d in third)  # rows that did not change stay

    await chat.send("I have a fever")
    await check(store, uid, today + timedelta(days=1))
    await chat.send("skip")
    await check(store, uid, today + timedelta(days=1))


async def test_a_plain_done_rewrites_no_other_row_on_either_database(
        any_store: Store, clock: FakeClock) -> None:
    """The stored details are compared as their JSON text (never decoded row by row): the
    text each database gives back must be the one written, or every row would be rewritten."""
    uid = await onboarded(any_store, joints=["knee"])
    chat = Chat(Engine(any_store, clock), clock)
    await chat.send("done")
    first = await check(any_store, uid, date(2026, 12, 1))
    clock.advance(timedelta(days=1))
    written: list[int] = []

    def count(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any,
              many: bool) -> None:
        if statement.startswith(("UPDATE planned_sessions", "INSERT INTO planned_sessions")):
            written.append(len(params) if many else 1)

    event.listen(any_store.engine.sync_engine, "before_cursor_execute", count)
    await chat.send("done 40 min")
    await chat.send("how am I doing?")
    event.remove(any_store.engine.sync_engine, "before_cursor_execute", count)
    second = await check(any_store, uid, date(2026, 12, 2))
    assert second == first  # the same rows
    assert sum(written) <= 1  # at most today's, given by the reply; none rewritten
