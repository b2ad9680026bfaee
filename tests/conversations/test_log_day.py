"""Logging lands on the right day and session (issue 11.7), through the engine: a weekday or
"yesterday" named, the session named, "that was really hard" on its own, a long free
report with a soreness note, and friendly refusals for future days and days before the plan.

The onboarded user's first week (4 days, start Mon 30 Nov): Mon long run, Wed strength,
Fri easy run, Sat backpack walk; Tue, Thu and Sun are rest days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import Store
from tests.conversations.daily_support import Chat, logs, onboarded

FRI = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
SUN = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("when", "text", "day", "kind", "minutes"), [
    (FRI, "log wednesday: strength 25 min", date(2026, 12, 2), "strength", 25),
    (FRI, "log thursday: strength 25 min", date(2026, 12, 3), None, 25),  # a rest day: extra
    (FRI, "log wed: strength, 20 minutes", date(2026, 12, 2), "strength", 20),
    (FRI, "I also did friday's run, 40 min", date(2026, 12, 4), "zone2_run", 40),
    (FRI, "did wednesday's strength", date(2026, 12, 2), "strength", 25),
    (FRI, "log monday: long run 45 min", date(2026, 11, 30), "long_run", 45),
    (SUN, "yesterday I did the long walk", date(2026, 12, 5), "backpack_walk", 65),
    (SUN, "did saturday's walk, 70 min", date(2026, 12, 5), "backpack_walk", 70),
    (FRI, "did about 90 minutes with my daypack, calves are tight", date(2026, 12, 4),
     "backpack_walk", 90),
    (FRI, "ran 5k then did some strength", date(2026, 12, 4), "zone2_run", 30),
    (FRI, "done 30 min", date(2026, 12, 4), "zone2_run", 30),
])
async def test_a_log_lands_on_the_day_and_session_named(store: Store, clock: FakeClock,
                                                       when: datetime, text: str, day: date,
                                                       kind: str | None, minutes: int) -> None:
    uid = await onboarded(store)
    clock.advance_to(when)
    reply = await Chat(Engine(store, clock), clock).say(text)
    assert "Logged for" in reply
    rows = [r for r in await logs(store, uid) if r.kind == "done"]
    assert [(r.day, r.session_type, r.minutes) for r in rows] == [(day, kind, minutes)]


async def test_thursdays_strength_sent_on_friday_leaves_fridays_run_open(
        store: Store, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    chat = Chat(Engine(store, clock), clock)
    await chat.say("log thursday: strength 25 min")
    assert "Easy run" in await chat.say("today")  # Friday's run is still to do
    await chat.say("I also did friday's run, 40 min")
    rows = sorted((r.day, r.minutes) for r in await logs(store, uid) if r.kind == "done")
    assert rows == [(date(2026, 12, 3), 25), (date(2026, 12, 4), 40)]


async def test_a_second_session_of_another_kind_on_a_logged_day(store: Store,
                                                                clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    chat = Chat(Engine(store, clock), clock)
    await chat.say("done")
    reply = await chat.say("I also did a strength session, 20 min")
    assert "already logged" not in reply
    kinds = sorted(r.session_type or "" for r in await logs(store, uid) if r.kind == "done")
    assert kinds == ["strength", "zone2_run"]
    assert "already logged" in await chat.say("done")  # the same again is not counted twice


async def test_soreness_in_a_free_report_is_a_note_not_pain(store: Store,
                                                           clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    reply = await Chat(Engine(store, clock), clock).say(
        "did about 90 minutes with my daypack, calves are tight")
    assert "Backpack walk, 90 min" in reply and "calves" in reply and "0 to 10" not in reply
    rows = await logs(store, uid)
    assert [r.kind for r in rows] == ["done"]
    assert rows[0].activity == "walk" and "calves are tight" in (rows[0].note or "")


@pytest.mark.parametrize(("text", "feeling", "effort"), [
    ("that was really hard", "hard", None), ("it was tough", "hard", None),
    ("that felt easy", "easy", None), ("felt hard, effort 8", "hard", 8),
])
async def test_how_it_felt_on_its_own_sets_todays_logged_session(
        store: Store, clock: FakeClock, text: str, feeling: str, effort: int | None) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    chat = Chat(Engine(store, clock), clock)
    await chat.say("done")
    reply = await chat.say(text)
    assert "Noted" in reply and "Easy run" in reply
    rows = await logs(store, uid)
    assert [(r.kind, r.feeling, r.effort) for r in rows] == [("done", feeling, effort)]


async def test_how_it_felt_with_nothing_logged_asks_which(store: Store,
                                                         clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    reply = await Chat(Engine(store, clock), clock).say("that was really hard")
    assert "Nothing is logged" in reply and "Easy run" in reply
    assert await logs(store, uid) == []


async def test_yesterday_was_hard_sets_yesterdays(store: Store, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    chat = Chat(Engine(store, clock), clock)
    await chat.say("log wednesday: strength 25 min")
    clock.advance_to(datetime(2026, 12, 3, 9, 0, tzinfo=UTC).replace(day=5))
    await chat.say("log friday: run 30 min")
    await chat.say("yesterday was hard")
    rows = {r.day: r.feeling for r in await logs(store, uid)}
    assert rows == {date(2026, 12, 2): None, date(2026, 12, 4): "hard"}


@pytest.mark.parametrize(("text", "says"), [
    ("log tomorrow: run 30 min", "already done"),
    ("log next monday: strength", "already done"),
    ("tomorrow's run, done 30 min", "already done"),
    ("log sunday: run 30", "before your plan started"),  # Sun 29 Nov; the plan began 30 Nov
])
async def test_future_days_and_days_before_the_plan_are_refused(store: Store, clock: FakeClock,
                                                                text: str, says: str) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    assert says in await Chat(Engine(store, clock), clock).say(text)
    assert await logs(store, uid) == []
