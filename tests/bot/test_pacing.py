"""The shared per-key pacer, on a fake clock (nothing really waits)."""

from __future__ import annotations

import asyncio

import pytest

from bot.pacing import KeyPacer


class FakeTime:
    """A monotonic clock that only moves when someone sleeps or the test advances it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0)  # let other senders run meanwhile, as a real sleep would
        self.now += seconds


def pacer(t: FakeTime, interval: float, burst: int, **kw: int) -> KeyPacer:
    return KeyPacer(interval, burst, sleep=t.sleep, monotonic=t.monotonic, **kw)


async def test_a_burst_goes_at_once_then_one_per_interval() -> None:
    t = FakeTime()
    p = pacer(t, 6.0, 3)
    waited = [await p.wait("u") for _ in range(6)]
    assert waited == [0.0, 0.0, 0.0, 6.0, 6.0, 6.0]
    assert t.sleeps == [6.0, 6.0, 6.0]
    assert t.now == 118.0


async def test_keys_have_their_own_buckets() -> None:
    t = FakeTime()
    p = pacer(t, 1.0, 1)
    assert await p.wait(1) == 0.0
    assert await p.wait(2) == 0.0
    assert await p.wait(1) == 1.0
    assert len(p) == 2


async def test_the_bucket_refills_with_time_but_never_beyond_the_burst() -> None:
    t = FakeTime()
    p = pacer(t, 2.0, 2)
    await p.wait("u")
    await p.wait("u")
    t.now += 3.0  # one and a half tokens back
    assert await p.wait("u") == 0.0
    assert await p.wait("u") == pytest.approx(1.0)  # half a token short: half an interval
    t.now += 1_000.0  # a long quiet spell gives back the burst, not more
    assert [await p.wait("u") for _ in range(3)] == [0.0, 0.0, 2.0]


async def test_fractional_rate_waits_exactly_the_missing_share() -> None:
    t = FakeTime()
    p = pacer(t, 1 / 3, 1)  # three a second
    assert [await p.wait("c") for _ in range(4)] == [0.0, 1 / 3, 1 / 3, 1 / 3]
    assert t.now == pytest.approx(101.0)


@pytest.mark.parametrize("interval", [0.0, -1.0])
async def test_interval_zero_or_less_switches_pacing_off(interval: float) -> None:
    t = FakeTime()
    p = pacer(t, interval, 1)
    for _ in range(50):
        assert await p.wait("u") == 0.0
    assert t.sleeps == [] and len(p) == 0


async def test_burst_below_one_counts_as_one() -> None:
    t = FakeTime()
    p = pacer(t, 5.0, 0)
    assert p.burst == 1
    assert [await p.wait("u") for _ in range(2)] == [0.0, 5.0]


async def test_concurrent_senders_to_one_key_queue_up() -> None:
    """The slot is taken before sleeping, so two waiters never go out together."""
    t = FakeTime()
    p = pacer(t, 4.0, 1)
    await p.wait("u")
    waited = await asyncio.gather(p.wait("u"), p.wait("u"), p.wait("u"))
    assert waited == [4.0, 8.0, 12.0]


async def test_memory_stays_bounded_and_forgetting_changes_nothing() -> None:
    t = FakeTime()
    p = pacer(t, 1.0, 2, max_keys=5)
    for key in range(5):
        await p.wait(key)
        await p.wait(key)  # bucket empty
    t.now += 0.5
    await p.wait(99)  # sixth key: nothing has refilled yet, so nothing is forgotten
    assert len(p) == 6
    assert await p.wait(0) == pytest.approx(0.5)  # key 0 is still remembered as short
    t.now += 10.0  # all buckets full again
    await p.wait("new")
    assert len(p) == 1  # only the key just used is kept
    assert [await p.wait(k) for k in range(5) for _ in range(2)] == [0.0] * 10


async def test_a_reserved_slot_in_the_future_is_not_forgotten() -> None:
    t = FakeTime()
    p = pacer(t, 3.0, 1, max_keys=1)
    await p.wait("a")
    assert p.reserve("a") == 3.0  # reserved at now + 3, not yet slept
    t.now += 4.0  # "b" arrives before "a"'s bucket has refilled (that is at +6)
    await p.wait("b")
    assert len(p) == 2
    assert p.reserve("a") == pytest.approx(2.0)
