"""The three optional questions after onboarding (body weight, stairs or a hill, a bike or a
gym) through the engine: answered, skipped one by one or all at once, or left for a real
message, which is then handled as usual."""

from __future__ import annotations

from typing import Any

import pytest

from conversations import profile_texts
from conversations.engine import Engine
from conversations.messages import Kind
from storage import Store
from tests.conversations.test_onboarding import ANSWERS, say, user_row


async def _onboard(engine: Engine) -> str:
    await say(engine, "/start")
    replies = []
    for answer in ANSWERS:
        replies = await say(engine, answer)
    return replies[-1].text


async def _profile(store: Store) -> dict[str, Any]:
    user = await user_row(store)
    assert user is not None and user.profile is not None
    return dict(user.profile)


async def test_the_first_optional_question_follows_the_plan(engine: Engine) -> None:
    assert await _onboard(engine) == profile_texts.ASK_WEIGHT


@pytest.mark.parametrize(("answers", "expected"), [
    (["70 kg", "no", "yes"], {"body_weight_kg": 70.0, "stairs": False, "bike": True}),
    (["I weigh 154 lb", "yes", "no"],
     {"body_weight_kg": 69.9, "stairs": True, "bike": False, "gym": False}),
    (["skip", "there are no stairs near me", "skip"], {"body_weight_kg": None,
                                                       "stairs": False}),
    (["82", "skip", "I have a gym"], {"body_weight_kg": 82.0, "gym": True}),
    (["no thanks", "skip", "pass"], {"body_weight_kg": None}),
])
async def test_answers_and_skips_are_stored(engine: Engine, store: Store,
                                            answers: list[str],
                                            expected: dict[str, Any]) -> None:
    await _onboard(engine)
    replies = [await say(engine, a) for a in answers]
    assert replies[-1][-1].text.endswith(profile_texts.EXTRAS_DONE)
    profile = await _profile(store)
    assert {k: profile.get(k) for k in expected} == expected
    assert "bike" not in profile or "bike" in expected or "gym" in expected
    user = await user_row(store)
    assert user is not None and not (user.context or {}).get("pending")


async def test_skip_all_ends_the_questions(engine: Engine, store: Store) -> None:
    await _onboard(engine)
    assert (await say(engine, "skip all"))[-1].text == profile_texts.EXTRAS_SKIPPED
    assert "Today" in (await say(engine, "today"))[-1].text
    assert (await _profile(store)).get("body_weight_kg") is None


async def test_an_unclear_answer_is_asked_again(engine: Engine, store: Store) -> None:
    await _onboard(engine)
    assert (await say(engine, "a lot"))[-1].text == profile_texts.EXTRAS_AGAIN["weight"]
    assert (await say(engine, "1000 kg"))[-1].text == profile_texts.EXTRAS_AGAIN["weight"]
    assert (await say(engine, "68 kg"))[-1].text.endswith(profile_texts.ASK_STAIRS)
    assert (await _profile(store))["body_weight_kg"] == 68.0


@pytest.mark.parametrize(("text", "shown"), [("today", "Today"), ("plan", "Week 1"),
                                             ("done 30 min", "30 min")])
async def test_a_real_message_ends_the_questions_and_is_answered(
        engine: Engine, store: Store, text: str, shown: str) -> None:
    await _onboard(engine)
    reply = "\n".join(r.text for r in await say(engine, text))
    assert shown in reply
    user = await user_row(store)
    assert user is not None and not (user.context or {}).get("pending")
    assert "bike" not in (await _profile(store))


async def test_each_question_offers_its_choices_and_a_pressed_one_counts(
        engine: Engine, store: Store) -> None:
    await _onboard(engine)
    replies = await say(engine, "Skip", kind=Kind.CHOICE, choice_id="extra:skip")
    assert [c.label for c in replies[-1].choices] == ["Yes", "No", "Skip"]
    replies = await say(engine, "No", kind=Kind.CHOICE, choice_id="extra:no")
    assert replies[-1].text.endswith(profile_texts.ASK_BIKE)
    await say(engine, "Yes", kind=Kind.CHOICE, choice_id="extra:yes")
    profile = await _profile(store)
    assert (profile.get("body_weight_kg"), profile["stairs"], profile["bike"]) == (
        None, False, True)
