"""The coach never contradicts itself (issue 11, item 5), through the engine."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.formatting import short_date
from conversations.messages import Incoming
from storage import Store
from tests.conversations.daily_support import Chat, onboarded

HARD_NAMES = ("Long slow run", "Run with bursts", "Hill repeats", "Backpack walk", "Stairs")


async def test_after_a_hard_session_the_next_day_is_the_easy_version(
        store: Store, clock: FakeClock) -> None:
    """Every day for three weeks "done, felt really hard": a session tomorrow is never a
    hard one (and tomorrow's `today` agrees); with none tomorrow the reply says rest."""
    await onboarded(store)
    chat = Chat(Engine(store, clock), clock)
    tomorrows = rests = 0
    for _ in range(21):
        reply = await chat.say("done, felt really hard")
        nxt = next(line for line in reply.splitlines() if line.startswith("Next:"))
        tomorrow = short_date(clock().date() + timedelta(days=1))
        clock.advance(timedelta(days=1))
        if "Tough one" not in reply:
            continue
        if tomorrow in nxt:
            tomorrows += 1
            assert "the next day stays easy" in reply
            assert not any(name in nxt for name in HARD_NAMES), reply
            today = await chat.say("today")
            assert not any(name in today for name in HARD_NAMES), today
        else:
            rests += 1
            assert "tomorrow is a rest day" in reply, reply
    assert tomorrows >= 3 and rests >= 3


async def _onboard(engine: Engine, trek: str, grade: str) -> str:
    text = ""
    for answer in ["/start", "yes", "30", "none", trek, grade, "4", "7:30", "Berlin"]:
        text = "\n".join(o.text for o in await engine.handle(Incoming(
            channel="test", user_key="ana", at=engine.clock(), text=answer)))
    return text


@pytest.mark.parametrize(("utc_hour", "minute"), [(22, 10), (20, 30), (22, 59)])
async def test_finishing_onboarding_late_offers_tomorrow_not_tonight(
        store: Store, utc_hour: int, minute: int) -> None:
    """At 23:10 (21:30, 23:59) in Berlin the first session is not "today"."""
    clock = FakeClock(datetime(2026, 12, 1, utc_hour, minute, tzinfo=UTC))
    engine = Engine(store, clock)
    text = await _onboard(engine, "1 May", "moderate")
    assert "Your first session is today" not in text
    assert "Your first session is" in text
    today = "\n".join(o.text for o in await engine.handle(Incoming(
        channel="test", user_key="ana", at=clock(), text="today")))
    assert "Tell me when it's done" not in today and "Logged" not in today
    async with store.transaction() as tx:
        user = await tx.user("test", "ana")
    assert user is not None
    local_day = clock().astimezone(ZoneInfo("Europe/Berlin")).date()
    assert user.profile["start_date"] == (local_day + timedelta(days=1)).isoformat()


async def test_onboarding_in_the_morning_still_starts_today(store: Store) -> None:
    engine = Engine(store, FakeClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC)))
    await _onboard(engine, "1 May", "moderate")
    async with store.transaction() as tx:
        user = await tx.user("test", "ana")
    assert user is not None and user.profile["start_date"] == "2026-12-01"


@pytest.mark.parametrize(("days", "grade"), [(69, "moderate"), (62, "moderate"),
                                             (76, "difficult"), (90, "difficult")])
async def test_the_summary_and_the_warning_count_the_same_weeks(
        store: Store, clock: FakeClock, days: int, grade: str) -> None:
    """"10 weeks away" and "You have 9 weeks" must not both be said of one trek."""
    trek = clock().date() + timedelta(days=days)
    text = await _onboard(Engine(store, clock), f"{trek.day} {trek:%B}", grade)
    away = re.search(r"(\d+) weeks away", text)
    have = re.search(r"You have (\d+) weeks", text)
    assert away is not None and have is not None, text
    assert away.group(1) == have.group(1)
