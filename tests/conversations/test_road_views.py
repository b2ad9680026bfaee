"""The whole road in view: "plan all", "next week" and the heads-ups, through the engine."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.clock import FakeClock
from bot.split import split_text
from bot.telegram_send import TEXT_LIMIT as TELEGRAM_LIMIT
from bot.whatsapp_layout import TEXT_LIMIT as WHATSAPP_LIMIT
from conversations.engine import Engine
from conversations.formatting import duration, short_date
from conversations.messages import Incoming
from conversations.profile import to_planner
from planner import SessionType, build_plan
from storage import Store
from tests.conversations.daily_support import Chat, onboarded, profile

TODAY = date(2026, 12, 1)  # the clock fixture's day
LOADED = (SessionType.BACKPACK_WALK, SessionType.SECOND_WALK)


def _plan(**changes: object):
    return build_plan(to_planner(profile(**changes)), (), TODAY)


async def test_plan_all_lists_every_week_with_minutes_walk_and_pack(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store, trek_date="2027-06-20")
    text = await Chat(engine, clock).say("full plan")
    plan = _plan(trek_date="2027-06-20")
    lines = [x for x in text.splitlines() if x.startswith("Wk ")]
    assert len(lines) == len(plan.weeks) > 20
    for line, week in zip(lines, plan.weeks, strict=True):
        assert line.startswith(f"Wk {week.index}  {short_date(week.start)} - "
                               f"{short_date(week.end)}"), line
        assert f"  {duration(week.minutes)}" in line, line
        walk = max((s.minutes for s in week.sessions if s.type in LOADED),
                   default=0)
        if walk:
            assert f"walk {duration(walk)}" in line, line
    assert "<- now" in lines[0] and all("<- now" not in x for x in lines[1:])
    assert any("kg" in x for x in lines) and any("arrive fresh" in x for x in lines)
    for limit in (TELEGRAM_LIMIT, WHATSAPP_LIMIT):
        assert len(split_text(text, limit)) == 1  # a long plan still fits one message


async def test_plan_all_phrasings_and_commands_give_the_same_reply(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    chat = Chat(engine, clock)
    replies = {await chat.say(x) for x in ("plan all", "/all", "/fullplan", "whole plna")}
    assert len(replies) == 1 and "The whole road to the trek" in replies.pop()


async def test_next_week_shows_the_days_of_the_following_plan_week(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)  # the plan starts on Mon 30 Nov; today is Tue 1 Dec
    chat = Chat(engine, clock)
    text = await chat.say("what's on next week?")
    plan = _plan()
    week = plan.weeks[1]
    assert text.startswith("*Week 2*")
    days = re.findall(r"^(\w{3} \d+ \w{3})  ", text, re.M)
    assert days == [short_date(week.start + timedelta(days=k)) for k in range(7)]
    assert "<- today" not in text
    assert await chat.say("/next") == text


async def test_next_week_in_the_last_week_says_the_trek_comes_first(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store, trek_date="2026-12-05")
    text = await Chat(engine, clock).say("next week")
    assert "trek comes first" in text


async def test_short_runway_heads_up_in_plan_and_plan_all(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    changes = {"running": "no", "grade": "difficult", "trek_date": "2027-01-05",
               "start_date": "2026-12-01"}
    await onboarded(store, **changes)
    plan = _plan(**changes)
    assert "walk_short" in plan.warnings
    chat = Chat(engine, clock)
    reach = f"your longest walk reaches about {duration(plan.peak_walk_minutes)}"
    week = await chat.say("/plan")  # one line, pointing to the whole road
    assert reach in week and "Say *plan all* for how to close that gap" in week
    text = await chat.say("plan all")
    assert reach in text and "Here is how to close that gap" in text
    assert "trek date can move" in text  # a concrete suggestion


async def test_no_heads_up_when_the_runway_is_long_enough(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store, trek_date="2027-06-20")
    assert not {"walk_short", "pack_short"} & set(_plan(trek_date="2027-06-20").warnings)
    chat = Chat(engine, clock)
    for ask in ("/plan", "plan all"):
        assert "Heads-up" not in await chat.say(ask)


async def test_onboarding_summary_carries_the_heads_up(engine: Engine,
                                                       clock: FakeClock) -> None:
    replies = []
    for answer in ("/start", "no", "no joint issues", "in 5 weeks", "difficult", "4",
                   "7:30", "Berlin"):
        replies = await engine.handle(Incoming("test", "eve", clock(), answer))
    text = "\n".join(r.text for r in replies)
    assert "Your first week" in text, text
    assert "your longest walk reaches about" in text and "close that gap" in text
