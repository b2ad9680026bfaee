"""Issue 12 points 5 and 8 through the engine: the optional profile told at any time,
one-off day swaps (kept, and seen by `today`, /plan and the stored plan the morning push
reads), dropped training days, a new grade, and coach notes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.scheduler import Scheduler
from conversations import coach_texts
from conversations.engine import Engine
from conversations.schedule import next_prompt_at
from storage import Store
from tests.bot.test_scheduler import Recorder
from tests.conversations.daily_support import Chat, logs, onboarded, user_row

TODAY = date(2026, 12, 1)  # the clock fixture's day: Tue 1 Dec, 10:00 in Berlin


async def _profile(store: Store, uid: int) -> dict[str, Any]:
    user = await user_row(store, uid)
    assert user is not None and user.profile is not None
    return dict(user.profile)


async def _stored(store: Store, uid: int, day: date) -> str:
    async with store.transaction() as tx:
        row = await tx.planned(uid, day)
        return row.session_type if row is not None else "none"


async def _types(store: Store, uid: int) -> set[str]:
    async with store.transaction() as tx:
        return {r.session_type for r in (await tx.plan_rows(uid)).values()}


# -- the optional profile, any time ---------------------------------------------------
@pytest.mark.parametrize(("text", "field", "value"), [
    ("I weigh 70 kg", "body_weight_kg", 70.0),
    ("my weight is 82.5kg", "body_weight_kg", 82.5),
    ("I weigh 154 lbs", "body_weight_kg", 69.9),
    ("there are no stairs near me", "stairs", False),
    ("No stairs or hills where I live", "stairs", False),
    ("I don't have a bike", "bike", False),
    ("I have a gym", "gym", True),
    ("I joined a gym", "gym", True),
])
async def test_profile_facts_are_understood_at_any_time(
        store: Store, engine: Engine, clock: FakeClock, text: str, field: str,
        value: object) -> None:
    uid = await onboarded(store)
    reply = await Chat(engine, clock).say(text)
    assert (await _profile(store, uid))[field] == value
    assert "plan" in reply.lower()


async def test_weight_sets_the_starting_pack(store: Store, engine: Engine,
                                             clock: FakeClock) -> None:
    uid = await onboarded(store, days_per_week=3)
    chat = Chat(engine, clock)
    before = await chat.say("plan")
    reply = await chat.say("I weigh 60 kg")
    assert "6 kg" in reply
    after = await chat.say("plan")
    assert "with 4 kg" in before and "with 6 kg" in after and "with 4 kg" not in after
    assert (await _profile(store, uid))["body_weight_kg"] == 60.0


async def test_no_stairs_turns_stairs_into_step_ups(store: Store, engine: Engine,
                                                    clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    reply = await chat.say("there are no stairs near me")
    assert "step-ups" in reply
    types = await _types(store, uid)
    assert "step_ups" in types and "stairs" not in types
    assert "stairs day" in await chat.say("actually there are stairs near me")
    types = await _types(store, uid)
    assert "stairs" in types and "step_ups" not in types


async def test_no_bike_turns_rides_into_brisk_walks(store: Store, engine: Engine,
                                                    clock: FakeClock) -> None:
    uid = await onboarded(store, joints=["knee"])  # a knee issue keeps cycling days
    chat = Chat(engine, clock)
    assert "Cycling" in await chat.say("plan")
    reply = await chat.say("I don't have a bike")
    assert "brisk walk or a swim" in reply
    types = await _types(store, uid)
    assert "cycling" not in types and "brisk_walk" in types
    assert "Brisk walk or swim" in await chat.say("plan")
    await chat.say("I have a gym")  # a gym's exercise bike: rides again
    assert "cycling" in await _types(store, uid)


async def test_the_same_fact_twice_changes_nothing(store: Store, engine: Engine,
                                                   clock: FakeClock) -> None:
    await onboarded(store)
    chat = Chat(engine, clock)
    await chat.say("I weigh 70 kg")
    assert "already" in await chat.say("I weigh 70 kg")


# -- one-off swaps ----------------------------------------------------------------------
async def test_move_today_to_tomorrow_is_kept_and_seen_everywhere(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    """3 days (Tue Thu Sat): today's long run moves to Wednesday."""
    uid = await onboarded(store, days_per_week=3)
    chat = Chat(engine, clock)
    assert "Long slow run" in await chat.say("today")
    reply = await chat.say("move today to tomorrow")
    assert "Long slow run" in reply and "tomorrow (Wed 2 Dec)" in reply
    assert (await _profile(store, uid))["swaps"] == [["2026-12-01", "2026-12-02"]]
    assert "Rest day" in await chat.say("today")
    plan = await chat.say("plan")
    assert "Wed 2 Dec  Long slow run" in plan and "Tue 1 Dec  Rest" in plan
    assert await _stored(store, uid, TODAY + timedelta(days=1)) == "long_run"  # the push
    assert await _stored(store, uid, TODAY) == "recovery"


@pytest.mark.parametrize("text", [
    "can I swap Saturday's walk to Sunday?", "move saturday to sunday",
    "can I do Saturday's walk on Sunday instead?", "can I do sunday instead of saturday?",
    "swap sat and sun please", "move my long walk to Sunday",
    "can I train on Sunday instead of Saturday?",
])
async def test_saturday_to_sunday_phrasings(store: Store, engine: Engine, clock: FakeClock,
                                            text: str) -> None:
    uid = await onboarded(store, days_per_week=3)  # Tue Thu Sat: Sunday is free
    reply = await Chat(engine, clock).say(text)
    assert "Backpack walk" in reply and "Sun 6 Dec" in reply
    assert (await _profile(store, uid))["swaps"] == [["2026-12-05", "2026-12-06"]]
    assert await _stored(store, uid, date(2026, 12, 6)) == "backpack_walk"


async def test_a_swap_that_breaks_a_rule_says_why_and_offers_the_nearest_day(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    """4 days (Mon Wed Fri Sat): Sunday's walk would sit next to Monday's stairs."""
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    reply = await chat.say("can I swap Saturday's walk to Sunday?")
    assert "two hard days in a row" in reply and "Mon 7 Dec" in reply
    assert "move saturday to monday" in reply
    assert not (await _profile(store, uid)).get("swaps")
    ok = await chat.say("move saturday to monday")
    assert "Backpack walk" in ok and "Mon 7 Dec" in ok
    assert await _stored(store, uid, date(2026, 12, 7)) == "backpack_walk"


async def test_a_rest_day_or_a_past_day_does_not_move(store: Store, engine: Engine,
                                                      clock: FakeClock) -> None:
    uid = await onboarded(store)  # Tuesday is a rest day
    chat = Chat(engine, clock)
    assert "already a rest day" in await chat.say("move today to tomorrow")
    assert not (await _profile(store, uid)).get("swaps")


@pytest.mark.parametrize("text", [
    "I walked on Sunday instead of Saturday", "I did my walk on Sunday instead of Saturday",
    "did Saturday's walk on Sunday", "walked sunday instead of saturday, felt good",
])
async def test_a_session_done_on_another_day_is_a_swap_and_a_done(
        store: Store, engine: Engine, clock: FakeClock, text: str) -> None:
    """3 days (Tue Thu Sat): on Monday, Saturday's walk was done on Sunday. That is no new
    set of training days: the walk moves to Sunday and is logged there."""
    uid = await onboarded(store, days_per_week=3)
    clock.advance(timedelta(days=6))  # Mon 7 Dec
    chat = Chat(engine, clock)
    reply = await chat.say(text)
    profile = await _profile(store, uid)
    assert profile["training_weekdays"] is None  # the training days stay as they were
    assert profile["swaps"] == [["2026-12-05", "2026-12-06"]]
    assert [(r.kind, r.day, r.session_type) for r in await logs(store, uid)] == [
        ("done", date(2026, 12, 6), "backpack_walk")]
    assert "Saturday's backpack walk" in reply and "Sun 6 Dec" in reply
    plan = await chat.say("plan")
    assert "training days" not in reply.lower()
    assert "Sat 5 Dec  Rest" in plan or "Sat 5 Dec" not in plan


async def test_a_session_done_on_another_day_the_same_day(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    """Said on the Sunday itself: yesterday's walk, done today."""
    uid = await onboarded(store, days_per_week=3)
    clock.advance(timedelta(days=5))  # Sun 6 Dec
    reply = await Chat(engine, clock).say("I walked today instead of Saturday")
    assert (await _profile(store, uid))["swaps"] == [["2026-12-05", "2026-12-06"]]
    assert [(r.kind, r.day) for r in await logs(store, uid)] == [("done", date(2026, 12, 6))]
    assert "Backpack walk" in reply


async def test_skip_a_named_day_skips_that_coming_session(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    """3 days (Tue Thu Sat), today Tue 1 Dec: "skip saturday" is Saturday's walk, not
    today's run; "I skipped thursday", said on Friday, is the Thursday just gone."""
    uid = await onboarded(store, days_per_week=3)
    chat = Chat(engine, clock)
    reply = await chat.say("skip saturday")
    assert [(r.kind, r.day) for r in await logs(store, uid)] == [
        ("skipped", date(2026, 12, 5))]
    assert "Sat 5 Dec" in reply and "today" not in reply.split("\n")[0]
    assert "Thu 3 Dec" in reply  # next up: Thursday's session, not Saturday's
    assert "already" in await chat.say("skip Saturday please")
    clock.advance(timedelta(days=3))  # Fri 4 Dec
    await chat.say("I skipped thursday")
    assert sorted((r.kind, r.day) for r in await logs(store, uid)) == [
        ("skipped", date(2026, 12, 3)), ("skipped", date(2026, 12, 5))]


async def test_a_new_trek_date_undoes_the_swaps_from_today_on(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    """3 days (Tue Thu Sat): Tuesday's run moved to Wednesday, then Saturday's walk to
    Sunday; on Friday the trek moves. The weeks are laid out again for the new date: the
    Sunday move goes (it was checked against a plan that is gone), the past one stays."""
    uid = await onboarded(store, days_per_week=3)
    chat = Chat(engine, clock)
    await chat.say("move today to tomorrow")
    await chat.say("move saturday to sunday")
    assert len((await _profile(store, uid))["swaps"]) == 2
    clock.advance(timedelta(days=3))  # Fri 4 Dec
    reply = await chat.say("my trek moved to 20 January")
    assert "20 Jan" in reply and "moved are back where they were" in reply
    assert (await _profile(store, uid))["swaps"] == [["2026-12-01", "2026-12-02"]]
    assert await _stored(store, uid, date(2026, 12, 6)) != "backpack_walk"
    again = await chat.say("my trek moved to 27 January")
    assert "back where they were" not in again  # nothing left to undo
    assert (await _profile(store, uid))["swaps"] == [["2026-12-01", "2026-12-02"]]


# -- permanent changes ------------------------------------------------------------------
async def test_a_weekday_dropped_for_good_moves_that_training_day(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)  # Mon Wed Fri Sat
    reply = await Chat(engine, clock).say("I can't train on Wednesdays anymore")
    days = (await _profile(store, uid))["training_weekdays"]
    assert 2 not in days and len(days) == 4
    assert "Wednesdays" in reply


async def test_the_grade_changes_and_the_plan_follows(store: Store, engine: Engine,
                                                      clock: FakeClock) -> None:
    uid = await onboarded(store)
    chat = Chat(engine, clock)
    reply = await chat.say("my trek is actually difficult")
    assert "difficult" in reply and "10 kg" in reply
    assert (await _profile(store, uid))["grade"] == "difficult"
    assert "already" in await chat.say("my trek is actually difficult")


# -- coach notes ------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "topic"), [
    ("what should I eat before a long hike?", "food"),
    ("how much water should I carry?", "water"),
    ("what should I pack?", "packing"),
    ("how do I break in my boots?", "boots"),
    ("I'm feeling tired today", "tired"),
    ("any tips for blistrs?", "blisters"),
    ("I have a blister", "blisters"),
    ("how do I deal with altitude?", "altitude"),
])
async def test_coach_notes(store: Store, engine: Engine, clock: FakeClock, text: str,
                           topic: str) -> None:
    uid = await onboarded(store)
    assert await Chat(engine, clock).say(text) == coach_texts.NOTES[topic]
    user = await user_row(store, uid)
    assert user is not None and user.profile is not None and not user.profile.get("swaps")


@pytest.mark.parametrize("text", ["what is the meaning of life?", "can I drink beer?",
                                  "who will win the world cup?"])
async def test_unknown_questions_get_an_honest_answer(store: Store, engine: Engine,
                                                      clock: FakeClock, text: str) -> None:
    await onboarded(store)
    reply = await Chat(engine, clock).say(text)
    assert reply == coach_texts.CANT_ANSWER


async def test_the_morning_push_names_the_swapped_session(store: Store, engine: Engine,
                                                          clock: FakeClock) -> None:
    """Through the scheduler on a fake clock: Wednesday's push is the long run moved there."""
    uid = await onboarded(store, days_per_week=3)
    chat = Chat(engine, clock)
    await chat.say("move today to tomorrow")
    rec = Recorder(clock)
    sched = Scheduler(store, clock, {"terminal": rec})
    async with store.transaction() as tx:
        row = await tx.user_by_id(uid)
        assert row is not None
        tx.update_user(row, next_prompt_at=next_prompt_at(7 * 60, "Europe/Berlin", clock()))
        due = row.next_prompt_at
    assert due is not None
    clock.advance_to(due)
    await sched.tick()
    push = rec.sent[-1][2][0].text
    assert "Long slow run" in push
    assert "Long slow run" in await chat.say("today")


async def test_a_day_already_logged_does_not_move(store: Store, engine: Engine,
                                                  clock: FakeClock) -> None:
    uid = await onboarded(store, days_per_week=3)
    chat = Chat(engine, clock)
    await chat.say("done 40 min")
    assert "already logged" in await chat.say("move today to tomorrow")
    assert not (await _profile(store, uid)).get("swaps")


async def test_a_named_session_with_none_in_the_week_says_so(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)  # no joint issue, bike assumed: no rides planned this week
    assert "can't find a ride" in await Chat(engine, clock).say("move my ride to sunday")
