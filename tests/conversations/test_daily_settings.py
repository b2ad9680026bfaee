"""Settings in free text: reminder time and zone move next_prompt_at; trek date rebuilds plan;
the evening nudge goes on and off (and the scheduler follows)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.scheduler import Scheduler
from conversations.engine import Engine
from conversations.messages import Outgoing
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


# -- the evening nudge -----------------------------------------------------------------------

TONIGHT = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)  # 20:00 in Berlin


@pytest.mark.parametrize("text", ["evening reminder on", "nudge me in the evening",
                                  "remind me in the evening", "turn on the evening check-in"])
async def test_nudge_on_before_the_evening_starts_tonight(
        store: Store, engine: Engine, clock: FakeClock, text: str) -> None:
    uid = await onboarded(store)  # 10:00 in Berlin on Tue 1 Dec
    reply = await Chat(engine, clock).say(text)
    user = await user_row(store, uid)
    assert user is not None and user.evening_nudge is True
    assert user.next_nudge_at == TONIGHT
    assert "tonight (Tue 1 Dec), 20:00" in reply


async def test_nudge_on_after_20_starts_tomorrow(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(datetime(2026, 12, 1, 20, 30, tzinfo=UTC))  # 21:30 in Berlin
    reply = await Chat(engine, clock).say("evening reminders on please")
    user = await user_row(store, uid)
    assert user is not None and user.evening_nudge is True and user.next_nudge_at is None
    assert "Wed 2 Dec, 20:00" in reply


@pytest.mark.parametrize("text", ["no evening reminders", "stop evening nudges",
                                  "evening nudge off", "disable evening messages"])
async def test_nudge_off_clears_the_flag_and_the_time(
        store: Store, engine: Engine, clock: FakeClock, text: str) -> None:
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    await chat.send("evening reminder on")
    reply = await chat.say(text)
    user = await user_row(store, uid)
    assert user is not None and user.evening_nudge is False and user.next_nudge_at is None
    assert "off" in reply
    assert "already off" in await chat.say(text)


async def test_nudge_with_a_late_morning_message_says_why_it_waits(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    await chat.send("remind me at 18:30")
    reply = await chat.say("evening reminder on")
    user = await user_row(store, uid)
    assert user is not None and user.evening_nudge is True and user.next_nudge_at is None
    assert "18:30" in reply and "17:00" in reply
    assert "already on" in await chat.say("nudge me in the evening")


class Sends:
    """A channel for the scheduler that keeps the prompts it sent and when (the chat's
    replies, queued for the same channel, leave through it too and are left out)."""

    name = "terminal"

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[tuple[datetime, str]] = []

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        if scheduled:
            self.sent.append((self.clock(), "\n".join(m.text for m in messages)))


async def test_the_scheduler_sends_the_nudge_from_tonight_until_it_is_turned_off(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    async with store.transaction() as tx:  # this morning's message already went out
        user = await tx.user_by_id(uid)
        assert user is not None
        user.next_prompt_at = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    chat = Chat(engine, clock)
    await chat.send("evening reminder on")
    sends = Sends(clock)
    scheduler = Scheduler(store, clock, {"terminal": sends})

    async def run_until(end: datetime) -> None:
        while clock() < end:
            clock.advance(timedelta(minutes=30))
            await scheduler.tick()

    await run_until(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    await chat.send("evening nudges off")
    await run_until(datetime(2026, 12, 3, 22, 0, tzinfo=UTC))
    nudges = [at for at, text in sends.sent if "Evening check-in" in text]
    assert nudges == [TONIGHT]
    assert len(sends.sent) == 3  # tonight's nudge, then the morning messages of 2 and 3 Dec


async def test_tonights_nudge_follows_a_new_zone_or_a_later_morning(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    await chat.send("evening reminder on")
    await chat.send("I moved to New York")
    user = await user_row(store, uid)
    assert user is not None
    assert user.next_nudge_at == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 20:00 in New York
    await chat.send("remind me at 18:30")
    user = await user_row(store, uid)
    assert user is not None and user.evening_nudge is True and user.next_nudge_at is None
