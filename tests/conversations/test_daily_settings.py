"""Settings in free text: reminder time and zone move next_prompt_at; trek date rebuilds plan."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import Store
from tests.conversations.daily_support import Chat, onboarded, user_row


@pytest.mark.parametrize(
    ("text", "minutes", "next_at"),
    [
        ("remind me at 6:30", 390, datetime(2026, 12, 2, 5, 30, tzinfo=UTC)),
        ("change reminder to 18:30", 1110, datetime(2026, 12, 1, 17, 30, tzinfo=UTC)),
        ("Remindr at 8 pm please", 1200, datetime(2026, 12, 1, 19, 0, tzinfo=UTC)),
    ],
)
async def test_reminder_time_moves_the_next_prompt(
        store: Store, engine: Engine, clock: FakeClock, text: str, minutes: int,
        next_at: datetime) -> None:
    uid = await onboarded(store)  # Europe/Berlin; the clock says 10:00 there on 1 Dec
    reply = await Chat(engine, clock).say(text)
    user = await user_row(store, uid)
    assert user is not None
    assert (user.reminder_minutes, user.next_prompt_at) == (minutes, next_at)
    assert f"{minutes // 60}:{minutes % 60:02d}" in reply


async def test_timezone_change_moves_the_next_prompt(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    reply = await Chat(engine, clock).say("I moved to New York")
    user = await user_row(store, uid)
    assert user is not None and user.timezone == "America/New_York"
    assert user.next_prompt_at == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # 7:00 in New York
    assert "America/New_York" in reply


async def test_unreadable_settings_get_a_question_back(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    assert "What time" in await chat.say("change my reminder")
    assert "Which timezone" in await chat.say("timezone xyzzyplace")
    user = await user_row(store, uid)
    assert user is not None and user.reminder_minutes == 420 and user.timezone == "Europe/Berlin"


async def test_trek_moved_rebuilds_the_plan_up_to_the_new_date(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    reply = await Chat(engine, clock).say("my trek moved to 20 January")
    assert "20 Jan" in reply
    user = await user_row(store, uid)
    assert user is not None and user.profile is not None
    assert user.profile["trek_date"] == "2027-01-20"
    async with store.transaction() as tx:
        from sqlalchemy import func, select

        from storage import PlannedSession

        last = (await tx.session.execute(
            select(func.max(PlannedSession.day)).where(PlannedSession.user_id == uid)
        )).scalar_one()
    assert last is not None and last < date(2027, 1, 20)


async def test_trek_date_in_the_past_is_refused(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    reply = await Chat(engine, clock).say("trek date 2026-11-20")
    assert "passed" in reply
    user = await user_row(store, uid)
    assert user is not None and user.profile is not None
    assert user.profile["trek_date"] == "2027-03-14"
