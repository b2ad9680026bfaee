"""Free-text logs that carry distance, climb, floors and pack weight, and where they show:
the reply, progress and readiness (weekly climb, loaded walk, the 5 km run) and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import Store
from tests.conversations.daily_support import Chat, logs, onboarded

# The test profile's first week: Mon 30 Nov long run, Wed strength, Fri run, Sat pack walk
FRI = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
SAT = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)


async def test_done_5_km_in_32_min_meets_the_5_km_target(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    chat = Chat(engine, clock)
    reply = await chat.say("done 5 km in 32 min")
    assert "5 km" in reply and "32 min" in reply
    [row] = await logs(store, uid)
    assert (row.distance_km, row.minutes, row.activity, row.source) == (5.0, 32, "run", "chat")
    progress = await chat.say("progress")
    assert "5 km run: longest 5 km, about 32 min for 5 km (met)" in progress


async def test_a_slow_or_short_run_does_not_meet_it(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    clock.advance_to(FRI)
    chat = Chat(engine, clock)
    await chat.send("ran 4 km in 30 min")
    assert "(target 5 km in 45 min)" in await chat.say("progress")


async def test_walked_12_km_700_m_up_with_9_kg(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(SAT)
    chat = Chat(engine, clock)
    reply = await chat.say("walked 12 km, 700 m up, 9 kg pack in 3 h")
    assert "12 km, +700 m, 9 kg pack, 180 min" in reply
    [row] = await logs(store, uid)
    assert (row.session_type, row.distance_km, row.climb_m, row.pack_kg, row.minutes) == (
        "backpack_walk", 12.0, 700, 9.0, 180)
    progress = await chat.say("progress")
    assert "Longest loaded walk: 180 of 225 min (12 km, 9 kg pack; trek pack 8 kg)" in progress
    assert "Weekly climb: 700 of 800 m up" in progress


async def test_floors_with_a_pack_are_floors_not_minutes(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(FRI)
    chat = Chat(engine, clock)
    reply = await chat.say("24 floors with 8 kg")
    assert "24 floors, 8 kg pack" in reply
    [row] = await logs(store, uid)
    assert (row.floors, row.pack_kg, row.activity) == (24, 8.0, "stairs")
    assert "Weekly climb: 72 of 800 m up" in await chat.say("progress")  # 3 m a floor


async def test_the_csv_carries_the_measures_and_the_source(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    clock.advance_to(SAT)
    chat = Chat(engine, clock)
    await chat.send("walked 12 km, 700 m up, 9 kg pack")
    out = await chat.send("/export")
    data = out[1].attachment.data
    [row] = list(csv.DictReader(io.StringIO(data.decode())))
    assert {k: row[k] for k in ("distance_km", "climb_m", "floors", "pack_kg", "source")} == {
        "distance_km": "12.0", "climb_m": "700", "floors": "", "pack_kg": "9.0",
        "source": "chat"}


async def test_a_walk_without_a_time_is_counted_by_naismiths_rule(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(datetime(2026, 12, 3, 18, 0, tzinfo=UTC))  # Thu: a rest day
    chat = Chat(engine, clock)
    reply = await chat.say("walked 12 km, 700 m up, 9 kg pack")
    assert "about 3 h 34" in reply  # 12 km at 5 km/h + 70 min for 700 m up
    [row] = await logs(store, uid)
    assert (row.minutes, row.activity, row.session_type) == (214, "walk", None)
    assert "Longest loaded walk: 214 of 225 min" in await chat.say("progress")


async def test_a_walk_on_a_run_day_is_no_5_km_run(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store)
    clock.advance_to(FRI)  # a planned easy run
    chat = Chat(engine, clock)
    await chat.send("walked 9 km in 2 h")
    assert "5 km run: not logged yet" in await chat.say("progress")
