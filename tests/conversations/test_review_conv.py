"""Replies found wrong while using the bot as a first user (review of the conversation)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import Store
from tests.conversations.daily_support import Chat, logs, onboarded

WED = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a training day in the default 4-day week


async def test_not_sure_is_not_read_as_pain(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    for text in ("not sure", "im not sure", "sure"):
        reply = await chat.say(text)
        assert "pain" not in reply.lower(), (text, reply)
        assert "0 to 10" not in reply
    assert await logs(store, uid) == []


async def test_everyday_words_are_not_corrected_into_reset_or_pain(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    for text in ("I need some rest", "is it ok to rest today?", "sure thing"):
        reply = await chat.say(text)
        assert "Start over?" not in reply, (text, reply)
        assert "0 to 10" not in reply, (text, reply)
    assert await logs(store, uid) == []


TUE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a rest day in the default 4-day week


async def test_plain_done_on_a_rest_day_counts_the_suggested_recovery_minutes(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    """The rest-day message offers Done for its easy walk or mobility; pressing it must
    not leave the week's minutes at 0 nor call it a bonus session."""
    uid = await onboarded(store)
    clock.advance_to(TUE)
    chat = Chat(engine, clock)
    reply = await chat.say("done")
    [row] = await logs(store, uid)
    assert (row.kind, row.session_type, row.minutes) == ("done", "recovery", 20)
    assert "bonus" not in reply.lower()
    assert "20 min" in reply
    progress = await chat.say("progress")
    assert "This week: 20 of" in progress


async def test_done_with_minutes_on_a_rest_day_is_an_extra_session(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(TUE)
    reply = await Chat(engine, clock).say("done 45 min run")
    [row] = await logs(store, uid)
    assert (row.session_type, row.minutes) == (None, 45)
    assert "Extra session" in reply


async def test_progress_on_the_first_day_has_no_zero_streak_or_zero_of_zero(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store, start_date="2026-12-01")  # the clock's day: nothing due yet
    reply = await Chat(engine, clock).say("progress")
    assert "Streak: 0" not in reply
    assert "0 of 0" not in reply
    assert "No planned sessions due yet" in reply


async def test_onboarding_says_an_easy_trek(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    chat = Chat(engine, clock, key="bea")
    for answer in ("/start", "no", "none", "in 10 weeks"):
        await chat.send(answer)
    reply = await chat.say("easy")
    assert "an easy trek" in reply
    assert "a easy" not in reply


async def test_week_view_marks_sessions_already_done(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    await chat.send("done")
    week = await chat.say("plan")
    [wed] = [line for line in week.splitlines() if line.startswith("Wed 2 Dec")]
    assert wed.endswith("done <- today")
    assert sum("done" in line for line in week.splitlines()) == 1
