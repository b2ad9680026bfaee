"""Random mixes of daily messages over simulated weeks keep the log and the plan consistent."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from conversations import texts
from conversations.engine import Engine
from storage import PlannedSession, Store
from tests.conversations.daily_support import Chat, logs, onboarded, user_row

MESSAGES = [
    "done", "done 35 min", "did it, felt hard", "finished the stairs 7/10", "✅", "dnoe",
    "skip", "can't today", "missed yesterday", "should I run today?", "run today?",
    "today", "plan", "this week", "my knee hurts", "4", "pain 6/10", "I have a cold",
    "fever", "pause", "resume", "help", "gibberish words", "done yesterday 20 min",
    "train on mon wed fri sat", "train on tue thu sat sun", "thanks",
    "remind me at 6:30", "timezone Asia/Tokyo", "I moved to New York",
    "my trek moved to 12 January", "my trek moved to 28 December",
]
TREK = date(2027, 1, 5)


async def _run(steps: list[tuple[str, int, bool]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite+aiosqlite:///{Path(tmp) / 'p.db'}")
        await store.start()
        try:
            clock = FakeClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
            uid = await onboarded(store, trek_date=TREK.isoformat())
            chat = Chat(Engine(store, clock), clock)
            for n, (text, hours, redeliver) in enumerate(steps):
                clock.advance(timedelta(hours=hours))
                mid = f"p{n}"
                out = await chat.send(text, message_id=mid)
                assert out, f"no reply to {text!r}"
                assert all(o.text != texts.SORRY for o in out), f"failure on {text!r}"
                if redeliver:
                    assert await chat.send(text, message_id=mid) == []
            rows = await logs(store, uid)
            # One skip a day, and each session type done at most once a day ("I also did the
            # stairs" after "done" is a second session of another type, not a duplicate).
            per_day = Counter((r.day, r.kind, r.session_type if r.kind == "done" else None)
                              for r in rows)
            assert all(c == 1 for (_, kind, _), c in per_day.items()
                       if kind in ("done", "skipped"))
            done_days = {r.day for r in rows if r.kind == "done"}
            skip_days = {r.day for r in rows if r.kind == "skipped"}
            assert not done_days & skip_days
            local_today = clock().date() + timedelta(days=1)
            assert all(r.day <= local_today for r in rows)
            async with store.transaction() as tx:
                from sqlalchemy import select

                planned = (await tx.session.execute(
                    select(PlannedSession).where(PlannedSession.user_id == uid))).scalars().all()
            user = await user_row(store, uid)
            assert user is not None and user.profile is not None
            trek = date.fromisoformat(user.profile["trek_date"])
            assert all(p.day < trek for p in planned)
        finally:
            await store.close()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(MESSAGES), st.sampled_from([0, 0, 1, 2, 5, 24, 31, 50]),
                          st.booleans()),
                min_size=1, max_size=30))
def test_random_weeks_of_messages_stay_consistent(steps: list[tuple[str, int, bool]]) -> None:
    asyncio.run(_run(steps))
