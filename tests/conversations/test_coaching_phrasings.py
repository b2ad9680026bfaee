"""Pain, recovery and should-I-run said the way people say it, through the engine (issue 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import Store
from tests.conversations.daily_support import Chat, logs, onboarded


@pytest.mark.parametrize(("text", "score", "area"), [
    ("knee 7/10 after the stairs", 7, "knee"), ("knee 7/10", 7, "knee"), ("pain 7", 7, None),
    ("my knee hurts 6/10", 6, "knee"), ("ankle is sore, about a 5", 5, "ankle"),
])
async def test_pain_with_a_score_is_understood_in_one_go(store: Store, clock: FakeClock,
                                                         text: str, score: int,
                                                         area: str | None) -> None:
    uid = await onboarded(store)
    reply = await Chat(Engine(store, clock), clock).say(text)
    assert "0 to 10" not in reply and f"{score}/10" in reply.replace(" / ", "/")
    rows = [r for r in await logs(store, uid) if r.kind == "pain"]
    assert [(r.pain, r.pain_area) for r in rows] == [(score, area)]


async def test_done_report_with_a_pain_score_logs_both(store: Store, clock: FakeClock) -> None:
    uid = await onboarded(store)
    reply = await Chat(Engine(store, clock), clock).say(
        "done 60 min but my knees are aching coming downhill, maybe a 4")
    assert "0 to 10" not in reply
    rows = await logs(store, uid)
    assert any(r.kind == "done" and r.minutes == 60 for r in rows)
    assert any(r.kind == "pain" and r.pain == 4 and r.pain_area == "knee" for r in rows)


async def test_an_ignored_pain_question_does_not_swallow_the_next_message(
        store: Store, clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(Engine(store, clock), clock)
    assert "0 to 10" in await chat.say("my knee hurts")
    reply = await chat.say("done 30 min")
    assert "Logged" in reply
    assert any(r.kind == "done" and r.minutes == 30 for r in await logs(store, uid))


@pytest.mark.parametrize("text", ["fever is gone, feeling fine now", "no more fever",
                                  "the fever is over"])
async def test_fever_gone_is_recovery_not_a_new_sickness(store: Store, clock: FakeClock,
                                                         text: str) -> None:
    uid = await onboarded(store)
    chat = Chat(Engine(store, clock), clock)
    await chat.say("I have a fever, 38.5")
    clock.advance(timedelta(days=2))
    reply = await chat.say(text)
    assert "Good to hear" in reply and "Rest today" not in reply
    kinds = [r.sickness for r in await logs(store, uid) if r.kind == "sick"]
    assert kinds == ["fever", "cleared"]


async def test_feeling_fine_without_an_illness_logs_nothing(store: Store,
                                                             clock: FakeClock) -> None:
    uid = await onboarded(store)
    reply = await Chat(Engine(store, clock), clock).say("feeling fine")
    assert "Good to hear" in reply
    assert await logs(store, uid) == []


async def test_should_i_run_agrees_with_low_impact_days(store: Store, clock: FakeClock) -> None:
    """Pain 7, then for the low-impact days "should I run today?" says no."""
    await onboarded(store)
    chat = Chat(Engine(store, clock), clock)
    await chat.say("knee 7/10")
    for _ in range(3):
        clock.advance(timedelta(days=1))
        today = await chat.say("today")
        answer = await chat.say("should I run today?")
        if "low impact" in today:
            assert "No run today" in answer and "on top is fine" not in answer


@pytest.mark.parametrize("text", ["remind me in 2 hours", "snooze 1 hour",
                                  "remind me again in 30 minutes"])
async def test_a_one_off_span_neither_moves_the_daily_time_nor_pauses(
        store: Store, clock: FakeClock, text: str) -> None:
    uid = await onboarded(store)
    reply = await Chat(Engine(store, clock), clock).say(text)
    assert "one-off" in reply and "7:00" in reply
    async with store.transaction() as tx:
        user = await tx.user_by_id(uid)
    assert user is not None and user.reminder_minutes == 7 * 60 and user.status == "active"
