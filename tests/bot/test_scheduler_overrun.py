"""A tick that outlasts its interval: the next fire is counted and logged, not skipped, and
the work left over is done as soon as the running tick ends (issue 17)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.clock import FakeClock
from bot.scheduler import Scheduler
from storage import Store
from tests.bot.test_scheduler import START, Recorder, add_user


async def test_an_overrun_is_counted_and_the_work_continues(store: Store, caplog) -> None:
    clock = FakeClock(START)
    channel = Recorder(clock)
    gate = asyncio.Event()
    started = asyncio.Event()

    async def slow(user_key: str, messages, *, scheduled: bool = False) -> None:
        started.set()
        await gate.wait()  # this send outlasts the interval
        await Recorder.send(channel, user_key, messages, scheduled=scheduled)

    channel.send = slow  # type: ignore[method-assign]
    await add_user(store, "early", "UTC", 7 * 60, clock())
    sched = Scheduler(store, clock, {"terminal": channel})
    clock.advance(timedelta(hours=7, minutes=1))
    first = asyncio.create_task(sched.run_tick())
    await asyncio.wait_for(started.wait(), 5)

    await add_user(store, "late", "UTC", 7 * 60 + 5, START)  # due while the tick is busy
    clock.advance(timedelta(minutes=5))
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        await sched.run_tick()  # the next interval fires: the first tick is still running
    assert sched.overruns == 1
    assert "overran" in caplog.text
    assert channel.keys() == []

    gate.set()
    await asyncio.wait_for(first, 5)
    assert sched.ticks == 2  # the running tick went round once more
    assert sorted(channel.keys()) == ["early", "late"]


async def test_ticks_that_fit_their_interval_count_no_overrun(store: Store) -> None:
    clock = FakeClock(START)
    channel = Recorder(clock)
    await add_user(store, "ana", "UTC", 7 * 60, clock())
    sched = Scheduler(store, clock, {"terminal": channel})
    for _ in range(3):
        clock.advance(timedelta(hours=3))
        await sched.run_tick()
    assert (sched.ticks, sched.overruns) == (3, 0)
    assert channel.keys() == ["ana"]
