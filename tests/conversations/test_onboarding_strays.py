"""Onboarding answers that belong to another question are re-asked, not stored (issue 18),
and a reminder time before 5:00 is asked back (issue 11.6), through the engine."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from storage import Store
from tests.conversations.test_onboarding import last, say, user_row

# the answers up to each question ("yes" runner)
TO = {
    "ask_run_minutes": ["/start", "yes"],
    "ask_joints": ["/start", "yes", "30"],
    "ask_trek_date": ["/start", "yes", "30", "none"],
    "ask_grade": ["/start", "yes", "30", "none", "in 12 weeks"],
    "ask_days": ["/start", "yes", "30", "none", "in 12 weeks", "moderate"],
    "ask_reminder": ["/start", "yes", "30", "none", "in 12 weeks", "moderate", "4"],
    "ask_timezone": ["/start", "yes", "30", "none", "in 12 weeks", "moderate", "4", "7:00"],
}


@pytest.mark.parametrize(("state", "stray", "expected"), [
    ("ask_days", "12 March", "days a week"), ("ask_days", "14/03", "days a week"),
    ("ask_days", "in 12 weeks", "days a week"), ("ask_days", "7:00", "days a week"),
    ("ask_days", "1 June", "days a week"), ("ask_days", "30 min", "days a week"),
    ("ask_days", "Berlin", "days a week"),
    ("ask_trek_date", "Berlin", "trek date"), ("ask_trek_date", "7am", "trek date"),
    ("ask_trek_date", "30 min", "trek date"), ("ask_trek_date", "yes", "trek date"),
    ("ask_trek_date", "moderate", "trek date"), ("ask_trek_date", "knee and ankle", "trek date"),
    ("ask_run_minutes", "yes", "minutes"), ("ask_run_minutes", "12 March", "minutes"),
    ("ask_run_minutes", "in 12 weeks", "minutes"), ("ask_run_minutes", "7am", "minutes"),
    ("ask_run_minutes", "4 days", "minutes"), ("ask_run_minutes", "London", "minutes"),
    ("ask_joints", "in 12 weeks", "joint"), ("ask_joints", "7:30", "joint"),
    ("ask_grade", "15 March", "how hard"),
    ("ask_reminder", "12 March", "what time"), ("ask_reminder", "in 12 weeks", "what time"),
    ("ask_reminder", "4 days", "what time"), ("ask_reminder", "yes", "what time"),
    ("ask_reminder", "difficult", "what time"),
    ("ask_timezone", "12 March", "city"), ("ask_timezone", "yes", "city"),
])
async def test_an_answer_to_another_question_is_re_asked(engine: Engine, store: Store,
                                                        state: str, stray: str,
                                                        expected: str) -> None:
    for text in TO[state]:
        await say(engine, text)
    before = (await user_row(store)).context
    reply = last(await say(engine, stray))
    assert "looks like" in reply and expected in reply
    user = await user_row(store)
    assert user.state == state and user.context == before  # nothing stored


@pytest.mark.parametrize(("state", "answer"), [
    ("ask_days", "4 days"), ("ask_days", "four"), ("ask_trek_date", "mid March"),
    ("ask_trek_date", "end of May"), ("ask_trek_date", "in 4 days"),
    ("ask_run_minutes", "half an hour"), ("ask_run_minutes", "25 minutes"),
    ("ask_joints", "my knee, since May"), ("ask_joints", "none"),
    ("ask_reminder", "7:30 in Mumbai"), ("ask_reminder", "half six"),
    ("ask_reminder", "after work, around 6"), ("ask_timezone", "Berlin"),
])
async def test_answers_to_the_question_are_still_taken(engine: Engine, store: Store,
                                                       state: str, answer: str) -> None:
    for text in TO[state]:
        await say(engine, text)
    reply = "\n".join(o.text for o in await say(engine, answer))
    assert "looks like" not in reply
    assert (await user_row(store)).state != state


@pytest.mark.parametrize(("answers", "minutes"), [
    (["1", "yes"], 60), (["1", "I meant 13:00"], 13 * 60), (["1", "no"], 13 * 60),
    (["4:30", "yes please"], 4 * 60 + 30), (["1", "14:15"], 14 * 60 + 15),
    (["2 am", "yes"], 120),
])
async def test_a_night_reminder_is_confirmed_in_onboarding(engine: Engine, store: Store,
                                                          answers: list[str],
                                                          minutes: int) -> None:
    for text in TO["ask_reminder"]:
        await say(engine, text)
    asked = await say(engine, answers[0])
    assert "at night" in last(asked) and len(asked[-1].choices) == 2
    assert (await user_row(store)).state == "ask_reminder"
    await say(engine, answers[1])
    await say(engine, "London")
    user = await user_row(store)
    assert user.state == "active" and user.reminder_minutes == minutes


async def test_a_night_reminder_choice_is_taken_by_its_id(engine: Engine, store: Store) -> None:
    for text in TO["ask_reminder"]:
        await say(engine, text)
    asked = await say(engine, "1:00")
    later = asked[-1].choices[1]
    assert later.label == "I meant 13:00"
    from conversations.messages import Kind
    await say(engine, later.label, kind=Kind.CHOICE, choice_id=later.id)
    await say(engine, "London")
    assert (await user_row(store)).reminder_minutes == 13 * 60


async def test_morning_and_evening_reminders_are_not_asked_back(engine: Engine,
                                                                store: Store) -> None:
    for text in TO["ask_reminder"]:
        await say(engine, text)
    reply = last(await say(engine, "5:00"))
    assert "at night" not in reply
    assert (await user_row(store)).state == "ask_timezone"
