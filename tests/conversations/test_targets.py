"""Targets and test days through the engine (issue 12 point 6): "targets" shows the
grade's trek-ready targets, the test weeks and the readiness gap; a test day's session
asks for the result; the result is recorded (also when said after "done") and readiness
uses it; the onboarding summary names the targets."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.messages import Incoming
from conversations.profile import to_planner
from planner import test_weeks as weeks_with_tests
from storage import Store
from tests.conversations.daily_support import Chat, logs, onboarded, profile

# The test profile's first week (a test week): Mon long run, Wed strength (squats),
# Fri easy run (5 km), Sat pack walk (the loaded walk)
MON = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
WED = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
FRI = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
ONBOARDING = ["/start", "yes", "30", "none", "12 weeks", "moderate", "4", "7:00", "Berlin"]


async def test_targets_command_and_phrasings_show_the_targets_and_test_weeks(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    clock.advance_to(MON)
    chat = Chat(engine, clock)
    weeks = weeks_with_tests(to_planner(profile()))
    listed = ", ".join(str(w) for w in weeks[:-1]) + f" and {weeks[-1]}"
    for text in ("/targets", "targets", "what are my targets?", "trek-ready targets"):
        reply = await chat.say(text)
        assert "Trek-ready targets for a moderate trek" in reply, text
        assert "5 km in 45 min" in reply and "20-25 floors" in reply
        assert "3 h 45 walk with 8 kg" in reply and "3 x 30-35" in reply
        assert f"Test days: weeks {listed} of your plan" in reply
        assert "Readiness: 0/100" in reply
        assert "Sessions done are the gap: 0 of 1 in the last 4 weeks." in reply


async def test_a_test_day_asks_for_the_5_km_and_readiness_records_it(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    chat = Chat(engine, clock)
    today = await chat.say("today")
    assert "Test day" in today and "5 km in 41 min" in today
    assert "(test day)" in await chat.say("plan")
    await chat.say("5 km in 41 min")
    [row] = await logs(store, uid)
    assert (row.distance_km, row.minutes) == (5.0, 41)
    reply = await chat.say("targets")
    assert "Best test results: 5 km in 41 min" in reply
    assert "5 km time is the gap" not in reply


async def test_squats_said_after_done_are_added_to_the_day(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    assert "30 squats" in await chat.say("today")  # the test asks for them
    await chat.say("done")
    reply = await chat.say("30 squats")
    assert "Added to your session today (Wed 2 Dec): 30 squats" in reply
    [row] = await logs(store, uid)
    assert row.reps == 30 and row.kind == "done"
    assert "30 squats" in await chat.say("targets")
    again = await chat.say("done")
    assert "already logged" in again  # a plain "done" again adds nothing


async def test_a_timed_5_km_after_done_on_a_run_day_becomes_the_run(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    chat = Chat(engine, clock)
    await chat.say("done")
    await chat.say("5 km in 41 min")
    [row] = await logs(store, uid)
    assert (row.distance_km, row.minutes) == (5.0, 41)


async def test_the_onboarding_summary_names_the_targets(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    clock.advance_to(MON)
    replies = []
    for i, text in enumerate(ONBOARDING):
        out = await engine.handle(Incoming("terminal", "zoe", clock(), text,
                                           message_id=f"z{i}"))
        replies.append("\n".join(o.text for o in out))
    assert "Here's what I understood" in replies[-1]
    assert "Trek-ready by the trek: 5 km in 45 min, 25 floors with a pack" in replies[-1]
    assert date(2026, 11, 30) <= clock().date()
