"""Onboarding through the engine: the whole flow, re-asks, back, /restart, resume, saving."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.clock import FakeClock
from conversations import texts
from conversations.engine import Engine
from conversations.messages import Incoming, Kind, Outgoing
from storage import Store


async def say(engine: Engine, text: str, user: str = "ana", *, kind: Kind = Kind.TEXT,
              choice_id: str | None = None) -> list[Outgoing]:
    replies = await engine.handle(Incoming(channel="test", user_key=user, at=engine.clock(),
                                           text=text, kind=kind, choice_id=choice_id))
    assert replies, f"no reply to {text!r}"
    assert all(r.text != texts.SORRY for r in replies), replies
    return replies


async def user_row(store: Store, user: str = "ana"):
    async with store.transaction() as tx:
        return await tx.user("test", user)


def last(replies: list[Outgoing]) -> str:
    return replies[-1].text


ANSWERS = ["yes", "thirty", "my left knee clicks on stairs", "15 March", "not sure", "4",
           "7:30", "Mumbai"]


async def test_whole_onboarding_saves_profile_schedule_and_plan(engine: Engine, store: Store):
    first = await say(engine, "/start")
    assert "(1 of 6)" in last(first) and first[-1].choices
    replies = []
    for answer in ANSWERS:
        replies = await say(engine, answer)
    text = "\n".join(r.text for r in replies)
    assert "Mumbai" in text and "Asia/Kolkata" in text
    assert "Here's what I understood" in text and "Your first week" in text
    assert "Mon 15 Mar 2027" in text and "moderate" in text

    user = await user_row(store)
    assert user.state == "active" and user.status == "active"
    assert user.timezone == "Asia/Kolkata" and user.reminder_minutes == 450
    # 7:30 in Kolkata is 02:00 UTC; the clock is 09:00 UTC on 1 Dec, so the next is 2 Dec.
    assert user.next_prompt_at == datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    assert user.profile == {
        "running": "regular", "easy_run_minutes": 30, "joints": ["knee"],
        "joint_words": "my left knee clicks on stairs", "trek_date": "2027-03-15",
        "grade": "moderate", "days_per_week": 4, "start_date": "2026-12-01",
        "training_weekdays": None, "body_weight_kg": None,
    }
    async with store.transaction() as tx:
        assert (await tx.planned(user.id, date(2026, 12, 1))) is not None
        assert (await tx.planned(user.id, date(2027, 3, 14))) is not None
        assert (await tx.planned(user.id, date(2027, 3, 15))) is None


async def test_progress_and_acknowledgement_each_step(engine: Engine):
    await say(engine, "/start")
    assert "Got it: you run regularly" in last(await say(engine, "Yes"))
    reply = await say(engine, "45 min")
    assert "45 minutes" in last(reply) and "(2 of 6)" in last(reply)
    reply = await say(engine, "none")
    assert "no joint issues" in last(reply) and "(3 of 6)" in last(reply)
    reply = await say(engine, "in 10 weeks")
    assert "Got it: trek on Tue 9 Feb 2027, 10 weeks from now" in last(reply)
    assert "(4 of 6)" in last(reply)


async def test_non_runner_skips_minutes_and_back_returns_to_running(engine, store):
    await say(engine, "hi")  # any first message starts
    reply = await say(engine, "no")
    assert "(2 of 6)" in last(reply) and "Any joint issues" in last(reply)
    reply = await say(engine, "back")
    assert "Do you already run" in last(reply)
    assert (await user_row(store)).state == "ask_running"


async def test_unclear_answers_reask_without_moving(engine: Engine, store: Store):
    await say(engine, "/start")
    for garbage, state in [("banana", "ask_running")]:
        reply = await say(engine, garbage)
        assert "yes" in last(reply).lower() and reply[-1].choices
        assert (await user_row(store)).state == state
    for answer in ["yes", "30", "none"]:
        await say(engine, answer)
    for bad, hint in [("whenever", "15 March"), ("1 January 2026", "already behind"),
                      ("in 3 years", "more than a year"), ("today", "today")]:
        reply = await say(engine, bad)
        assert hint in last(reply), (bad, last(reply))
        assert (await user_row(store)).state == "ask_trek_date"
    await say(engine, "12 weeks")
    await say(engine, "moderate")
    reply = await say(engine, "lots")
    assert "3 to 6" in last(reply)
    assert (await user_row(store)).state == "ask_days"


async def test_back_keeps_earlier_answers_and_restart_clears_them(engine, store):
    await say(engine, "/start")
    for answer in ["sometimes", "20", "knee"]:
        await say(engine, answer)
    assert (await user_row(store)).state == "ask_trek_date"
    reply = await say(engine, "back")
    assert "Any joint issues" in last(reply)
    reply = await say(engine, "ankle")
    assert "ankle" in reply[-1].text
    user = await user_row(store)
    assert user.state == "ask_trek_date"
    assert user.context["answers"]["running"] == "sometimes"
    assert user.context["answers"]["joints"] == ["ankle"]
    reply = await say(engine, "/restart")
    assert "(1 of 6)" in last(reply)
    user = await user_row(store)
    assert user.state == "ask_running" and user.context["answers"] == {}


async def test_back_at_first_question_stays(engine: Engine, store: Store):
    await say(engine, "/start")
    reply = await say(engine, "back")
    assert "first question" in last(reply)
    assert (await user_row(store)).state == "ask_running"


async def test_help_explains_and_repeats_question(engine: Engine, store: Store):
    await say(engine, "/start")
    await say(engine, "no")
    for word in ["/help", "help"]:
        reply = await say(engine, word)
        assert "back" in last(reply) and "Any joint issues" in last(reply)
    assert (await user_row(store)).state == "ask_joints"


async def test_non_text_messages_do_not_move_the_state(engine: Engine, store: Store):
    await say(engine, "/start")
    await say(engine, "yes")
    for kind in (Kind.STICKER, Kind.PHOTO, Kind.VOICE, Kind.OTHER):
        reply = await say(engine, "", kind=kind)
        assert reply[0].text == texts.NOT_TEXT
        assert (await user_row(store)).state == "ask_run_minutes"


async def test_choice_ids_are_understood(engine: Engine, store: Store):
    await say(engine, "/start")
    await say(engine, "Yes, I run regularly", choice_id="running:regular", kind=Kind.CHOICE)
    await say(engine, "10 min", choice_id="run_minutes:10", kind=Kind.CHOICE)
    await say(engine, "Back / spine", choice_id="joints:back", kind=Kind.CHOICE)
    await say(engine, "In 8 weeks", choice_id="trek_date:w8", kind=Kind.CHOICE)
    await say(engine, "Not sure", choice_id="grade:unsure", kind=Kind.CHOICE)
    await say(engine, "6 days", choice_id="days:6", kind=Kind.CHOICE)
    await say(engine, "6:00", choice_id="reminder:360", kind=Kind.CHOICE)
    await say(engine, "UTC", choice_id="timezone:UTC", kind=Kind.CHOICE)
    user = await user_row(store)
    assert user.state == "active"
    assert user.profile["joints"] == ["back"] and user.profile["joint_words"] == ""
    assert user.profile["trek_date"] == "2027-01-26" and user.profile["days_per_week"] == 6
    assert user.timezone == "UTC" and user.reminder_minutes == 360


async def test_place_first_then_time_and_offset_zone(engine: Engine, store: Store):
    await say(engine, "/start")
    for answer in ["no", "none", "in 8 weeks", "difficult", "every day"]:
        await say(engine, answer)
    assert (await user_row(store)).profile is None
    reply = await say(engine, "I'm in Denver")
    assert "America/Denver" in last(reply)
    assert (await user_row(store)).state == "ask_reminder"
    await say(engine, "6:30 pm")
    user = await user_row(store)
    assert user.state == "active" and user.timezone == "America/Denver"
    assert user.reminder_minutes == 18 * 60 + 30 and user.profile["days_per_week"] == 6
    assert user.profile["easy_run_minutes"] is None


async def test_offset_answered_in_timezone_question(engine: Engine, store: Store):
    await say(engine, "/start")
    for answer in ["no", "none", "in 8 weeks", "easy", "3", "7"]:
        await say(engine, answer)
    assert (await user_row(store)).state == "ask_timezone"
    reply = await say(engine, "Middle Earth")
    assert "+5:30" in last(reply)
    await say(engine, "+5:45")
    user = await user_row(store)
    assert user.timezone == "Asia/Kathmandu" and user.state == "active"


async def test_resume_after_restart_of_the_process(tmp_path, clock: FakeClock):
    url = f"sqlite+aiosqlite:///{tmp_path / 'resume.db'}"
    first = Store(url)
    await first.start()
    engine = Engine(first, clock)
    for answer in ["/start", "yes", "25", "hip"]:
        await say(engine, answer)
    await first.close()

    second = Store(url)
    await second.start()
    engine = Engine(second, clock)
    reply = await say(engine, "/start")
    assert "Welcome back" in last(reply) and "When is the trek" in last(reply)
    for answer in ["15 March", "easy", "5", "7:30 in Mumbai"]:
        await say(engine, answer)
    user = await user_row(second)
    assert user.state == "active"
    assert user.profile["easy_run_minutes"] == 25 and user.profile["joints"] == ["hip"]
    await second.close()


async def test_start_when_active_says_so(engine: Engine):
    await say(engine, "/start")
    for answer in ANSWERS:
        await say(engine, answer)
    reply = await say(engine, "/start")
    assert "/restart" in last(reply)


@pytest.mark.parametrize(("answer", "shown"), [
    ("in two and a half months", "Tue 16 Feb 2027"), ("in 2.5 months", "Tue 16 Feb 2027"),
    ("half a year", "Tue 1 Jun 2027"), ("end of May", "Mon 31 May 2027"),
    ("mid March", "Mon 15 Mar 2027"), ("mid-April", "Thu 15 Apr 2027"),
    ("in three and a half weeks", "Fri 25 Dec 2026"),
])
async def test_trek_date_phrasings_read_right(engine: Engine, answer: str, shown: str):
    """The trek date said the way people say it: the acknowledgement names the right day."""
    for text in ("/start", "no", "none"):
        await say(engine, text)
    assert f"Got it: trek on {shown}" in last(await say(engine, answer))


async def test_days_question_offers_what_it_asks_for(engine: Engine):
    """The days question says 3 to 6: its choices are 3 to 6 days (no "1 day")."""
    for text in ("/start", "no", "none", "in 12 weeks"):
        await say(engine, text)
    reply = await say(engine, "moderate")
    assert "(3 to 6)" in last(reply)
    assert [c.label for c in reply[-1].choices] == ["3 days", "4 days", "5 days", "6 days"]
    assert "3 days a week" in last(await say(engine, "2"))  # said anyway: planned as 3
