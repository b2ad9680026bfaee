"""Answers to the morning follow-up after pain or sickness (issue 11.4), through the engine:
choices and free text steer the day; other messages are read as usual; a reminder time
before 5:00 in the chat is asked back (issue 11.6).

The onboarded user's week (start Mon 30 Nov): Mon long run, Wed strength, Fri easy run,
Sat backpack walk. The clock starts on Tue 1 Dec.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.messages import Incoming, Kind
from storage import Store
from tests.conversations.daily_support import Chat, logs, onboarded, user_row


async def _next_morning_after(store: Store, clock: FakeClock, report: str) -> tuple[int, Chat]:
    uid = await onboarded(store)
    chat = Chat(Engine(store, clock), clock)
    await chat.say(report)
    clock.advance(timedelta(days=1))
    return uid, chat


@pytest.mark.parametrize(("answer", "pain"), [
    ("much better", None), ("better thanks", None), ("Better", None), ("feels fine", None),
    ("all good now", None), ("a lot better today", None), ("it's gone", None),
    ("still hurts", 5), ("Same", 5), ("about the same", 5), ("no change", 5),
    ("still sore", 5), ("not better", 5),
    ("worse", 6), ("a bit worse today", 6), ("Worse", 6), ("hurts more", 6),
])
async def test_pain_follow_up_answers(store: Store, clock: FakeClock, answer: str,
                                      pain: int | None) -> None:
    uid, chat = await _next_morning_after(store, clock, "knee 5/10 after the stairs")
    reply = await chat.say(answer)
    today = [r for r in await logs(store, uid) if r.day == clock().date() and r.kind == "pain"]
    assert [(r.pain, r.pain_area) for r in today] == ([] if pain is None else [(pain, "knee")])
    if pain is None:
        assert "Good to hear the knee is better" in reply
    else:
        assert "physiotherapist" in reply and "low impact" in reply.lower()
        assert "0 to 10" not in reply
        assert "run" not in (await chat.say("today")).split("Today,")[1].lower()


@pytest.mark.parametrize(("answer", "sickness"), [
    ("fever is gone, feeling fine now", "cleared"), ("yes", "cleared"), ("It's gone", "cleared"),
    ("gone", "cleared"), ("yes it has", "cleared"), ("all better", "cleared"),
    ("Still there", "fever"), ("still have a fever", "fever"), ("no", "fever"),
    ("not yet", "fever"), ("no, still there", "fever"), ("same", "fever"),
])
async def test_fever_follow_up_answers(store: Store, clock: FakeClock, answer: str,
                                       sickness: str) -> None:
    uid, chat = await _next_morning_after(store, clock, "I have a fever")
    reply = await chat.say(answer)
    today = [r.sickness for r in await logs(store, uid)
             if r.day == clock().date() and r.kind == "sick"]
    assert today == [sickness]
    assert ("Good to hear it's gone" if sickness == "cleared" else "doctor") in reply
    assert "Rest" in (await chat.say("today"))


async def test_a_follow_up_choice_is_taken_by_its_id(store: Store, clock: FakeClock) -> None:
    uid, chat = await _next_morning_after(store, clock, "ankle 4/10")
    await chat.engine.handle(Incoming("terminal", chat.key, clock(), "Worse",
                                      choice_id="follow:worse", kind=Kind.CHOICE))
    assert [(r.pain, r.pain_area) for r in await logs(store, uid)
            if r.day == clock().date()] == [(5, "ankle")]


@pytest.mark.parametrize(("text", "kind"), [
    ("done", "done"), ("knee 3/10 today", "pain"), ("skip", "skipped"),
])
async def test_other_messages_are_read_as_usual(store: Store, clock: FakeClock, text: str,
                                                kind: str) -> None:
    uid, chat = await _next_morning_after(store, clock, "knee 5/10")
    await chat.say(text)
    assert [r.kind for r in await logs(store, uid) if r.day == clock().date()] == [kind]


async def test_an_answered_follow_up_is_not_asked_again(store: Store, clock: FakeClock) -> None:
    uid, chat = await _next_morning_after(store, clock, "knee 5/10")
    await chat.say("much better")
    assert "didn't catch" in await chat.say("better")  # answered: plain text again


async def test_without_a_report_yesterday_better_is_not_an_answer(store: Store,
                                                                  clock: FakeClock) -> None:
    uid = await onboarded(store)
    reply = await Chat(Engine(store, clock), clock).say("much better")
    assert "didn't catch" in reply and await logs(store, uid) == []


@pytest.mark.parametrize(("asked", "answer", "minutes"), [
    ("remind me at 1", "yes", 60), ("remind me at 1", "I meant 13:00", 13 * 60),
    ("remind me at 1", "no", 13 * 60), ("remind me at 4:30", "yes, at night", 270),
    ("remind me at 2", "14:30", 14 * 60 + 30), ("reminder at 3 am", "yep", 180),
])
async def test_a_night_reminder_in_the_chat_is_asked_back(store: Store, clock: FakeClock,
                                                          asked: str, answer: str,
                                                          minutes: int) -> None:
    uid = await onboarded(store)
    chat = Chat(Engine(store, clock), clock)
    question = await chat.send(asked)
    assert "at night" in question[0].text and len(question[0].choices) == 2
    assert (await user_row(store, uid)).reminder_minutes == 7 * 60  # not set yet
    await chat.say(answer)
    assert (await user_row(store, uid)).reminder_minutes == minutes


async def test_an_ignored_night_question_does_not_swallow_the_next_message(
        store: Store, clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(Engine(store, clock), clock)
    await chat.say("remind me at 1")
    assert "Week 1" in await chat.say("plan")
    assert (await user_row(store, uid)).reminder_minutes == 7 * 60
    assert "didn't catch" in await chat.say("yes")  # the question is gone


async def test_a_morning_reminder_is_set_at_once(store: Store, clock: FakeClock) -> None:
    uid = await onboarded(store)
    reply = await Chat(Engine(store, clock), clock).say("remind me at 6")
    assert "at night" not in reply and (await user_row(store, uid)).reminder_minutes == 360
