"""The scheduler's tick with a fake clock: local times across zones and DST, exactly once
across restarts and concurrent ticks, pause, block, grace window, trek eve, nudges."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.channels import UserBlocked, UserUnreachable
from bot.clock import FakeClock
from bot.dispatch import Options
from bot.scheduler import Scheduler
from conversations.messages import Outgoing
from conversations.schedule import next_prompt_at
from storage import LoggedSession, PlannedSession, SentPrompt, Store, UserStatus

START = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


class Recorder:
    """A channel that records what it was asked to send, and when (by the fake clock)."""

    name = "terminal"

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[tuple[str, datetime, list[Outgoing]]] = []
        self.fail: dict[str, BaseException] = {}
        self.calls = 0
        self.on_call: list = []  # callables run on each call, before delivery

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        assert scheduled
        self.calls += 1
        for hook in self.on_call:
            hook(self.calls)
        await asyncio.sleep(0)  # the request is in flight: a cancel here delivers nothing
        if user_key in self.fail:
            raise self.fail[user_key]
        self.sent.append((user_key, self.clock(), messages))

    def to(self, user_key: str) -> list[tuple[datetime, list[Outgoing]]]:
        return [(at, m) for k, at, m in self.sent if k == user_key]

    def keys(self) -> list[str]:
        return [k for k, _, _ in self.sent]


async def add_user(
    store: Store, key: str, zone: str, minutes: int, now: datetime, *,
    trek: date = date(2027, 6, 1), status: UserStatus = UserStatus.ACTIVE,
    plan: dict[date, tuple[str, str]] | None = None, nudge: bool = False,
    name: str | None = None, channel: str = "terminal",
) -> int:
    """An onboarded user made directly through the store."""
    async with store.transaction() as tx:
        user = await tx.get_or_create_user(channel, key, name)
        user.profile = {"running": "sometimes", "easy_run_minutes": None, "joints": [],
                        "joint_words": "", "trek_date": trek.isoformat(), "grade": "moderate",
                        "days_per_week": 4, "start_date": "2026-11-01",
                        "training_weekdays": None, "body_weight_kg": None}
        user.state = "active"
        user.status = status
        user.timezone = zone
        user.reminder_minutes = minutes
        user.evening_nudge = nudge
        user.next_prompt_at = next_prompt_at(minutes, zone, now)
        await tx.session.flush()
        if plan:
            await tx.replace_plan(user.id, [
                PlannedSession(day=d, session_type=kind, minutes=30, text=text)
                for d, (kind, text) in plan.items()
            ])
        return user.id


def week_plan(first: date, days: int = 14) -> dict[date, tuple[str, str]]:
    """A session every day but Sundays (recovery rows), text naming the day."""
    plan = {}
    for n in range(days):
        d = first + timedelta(days=n)
        plan[d] = ("recovery", "Rest") if d.weekday() == 6 else ("stairs", f"Stairs {d}")
    return plan


async def run_until(sched: Scheduler, clock: FakeClock, end: datetime,
                    step: timedelta = timedelta(minutes=30)) -> None:
    while clock() < end:
        clock.advance(step)
        await sched.tick()


async def prompt_rows(store: Store) -> list[SentPrompt]:
    async with store.transaction() as tx:
        return list((await tx.session.execute(select(SentPrompt))).scalars())


async def status_of(store: Store, user_id: int) -> str:
    async with store.transaction() as tx:
        user = await tx.user_by_id(user_id)
        assert user is not None
        return user.status


# --- local time, zones, daylight saving ---------------------------------------------------

async def test_each_user_gets_the_days_session_at_their_own_local_time(store: Store) -> None:
    clock = FakeClock(START)
    rec = Recorder(clock)
    zones = {"berlin": ("Europe/Berlin", 7 * 60), "ny": ("America/New_York", 6 * 60 + 30),
             "kathmandu": ("Asia/Kathmandu", 7 * 60 + 15), "sydney": ("Australia/Sydney", 5 * 60)}
    for key, (zone, minutes) in zones.items():
        await add_user(store, key, zone, minutes, clock(), plan=week_plan(date(2026, 11, 30)))
    sched = Scheduler(store, clock, {"terminal": rec})
    await run_until(sched, clock, START + timedelta(days=3))
    for key, (zone, minutes) in zones.items():
        sends = rec.to(key)
        local = [at.astimezone(ZoneInfo(zone)) for at, _ in sends]
        assert len({t.date() for t in local}) == len(sends) >= 2, key
        for t, (_, messages) in zip(local, sends, strict=True):
            wanted = t.replace(hour=minutes // 60, minute=minutes % 60, second=0)
            assert timedelta(0) <= t - wanted < timedelta(minutes=30), (key, t)
            text = messages[0].text
            if t.date().weekday() == 6:
                assert "recovery day" in text
            else:
                assert f"Stairs {t.date()}" in text
                assert [c.id for c in messages[0].choices] == ["done", "skip", "should_run"]


async def test_a_reminder_in_a_skipped_or_repeated_hour_is_sent_once_a_day(store: Store
                                                                          ) -> None:
    # Berlin springs forward on 28 March 2027 (02:00 -> 03:00): 02:30 does not exist.
    clock = FakeClock(datetime(2027, 3, 26, 12, 0, tzinfo=UTC))
    rec = Recorder(clock)
    await add_user(store, "gap", "Europe/Berlin", 2 * 60 + 30, clock())
    await add_user(store, "seven", "Europe/Berlin", 7 * 60, clock())
    sched = Scheduler(store, clock, {"terminal": rec})
    await run_until(sched, clock, datetime(2027, 3, 30, 12, 0, tzinfo=UTC))
    berlin = ZoneInfo("Europe/Berlin")
    gap = [at.astimezone(berlin) for at, _ in rec.to("gap")]
    assert [t.date().day for t in gap] == [27, 28, 29, 30]
    assert [(t.hour, t.minute) for t in gap] == [(2, 30), (3, 0), (2, 30), (2, 30)]
    seven = [at.astimezone(berlin) for at, _ in rec.to("seven")]
    assert [(t.day, t.hour, t.minute) for t in seven] == [(27, 7, 0), (28, 7, 0), (29, 7, 0),
                                                           (30, 7, 0)]
    assert [t.utcoffset() for t in seven] == [timedelta(hours=1)] + [timedelta(hours=2)] * 3


async def test_a_reminder_in_the_repeated_hour_goes_out_at_its_first_occurrence(store: Store
                                                                              ) -> None:
    # New York falls back on 1 November 2026 (02:00 EDT -> 01:00 EST): 01:30 happens twice.
    clock = FakeClock(datetime(2026, 10, 30, 12, 0, tzinfo=UTC))
    rec = Recorder(clock)
    await add_user(store, "ny", "America/New_York", 90, clock())
    sched = Scheduler(store, clock, {"terminal": rec})
    await run_until(sched, clock, datetime(2026, 11, 3, 12, 0, tzinfo=UTC))
    sent_utc = [at for at, _ in rec.to("ny")]
    assert [(t.day, t.hour, t.minute) for t in sent_utc] == [
        (31, 5, 30), (1, 5, 30), (2, 6, 30), (3, 6, 30)
    ]


# --- exactly once --------------------------------------------------------------------------

async def test_a_cancelled_tick_then_a_new_scheduler_sends_everything_exactly_once(
    store: Store, tmp_path
) -> None:
    clock = FakeClock(START)
    rec = Recorder(clock)
    keys = [f"u{n}" for n in range(40)]
    for key in keys:
        await add_user(store, key, "Europe/London", 7 * 60, clock())
    clock.advance_to(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    sched = Scheduler(store, clock, {"terminal": rec}, batch_size=10, concurrency=4,
                      flush_every=3)
    task = asyncio.create_task(sched.tick())
    rec.on_call.append(lambda n: task.cancel() if n == 17 else None)
    with pytest.raises(asyncio.CancelledError):
        await task
    first = rec.keys()
    assert 0 < len(first) < len(keys)
    # A restart: a new store and scheduler on the same database file.
    again = Store(store.url)
    try:
        rec2 = Recorder(clock)
        fresh = Scheduler(again, clock, {"terminal": rec2}, batch_size=10)
        await fresh.tick()  # the lease has not run out: claimed prompts are not touched yet
        clock.advance(timedelta(minutes=6))
        await fresh.tick()
        await fresh.tick()
        assert sorted(first + rec2.keys()) == sorted(keys)
        assert all(r.status == "sent" for r in await prompt_rows(again))
    finally:
        await again.close()


async def test_a_crash_between_claim_and_send_loses_nothing(store: Store) -> None:
    class Crash(BaseException):
        pass

    clock = FakeClock(START)
    rec = Recorder(clock)
    for n in range(5):
        await add_user(store, f"u{n}", "UTC", 7 * 60, clock())
    clock.advance_to(datetime(2026, 12, 1, 7, 1, tzinfo=UTC))

    def crash(n: int) -> None:
        if n == 3:
            raise Crash()

    rec.on_call.append(crash)
    sched = Scheduler(store, clock, {"terminal": rec})
    sched.dispatchers["terminal"].options = Options(concurrency=1)
    await sched.tick()  # the crashed send's row stays claimed, under its lease
    assert len(rec.keys()) == 4
    rows = await prompt_rows(store)
    assert sorted(r.status for r in rows) == ["claimed"] + ["sent"] * 4
    rec.on_call.clear()
    assert (await Scheduler(store, clock, {"terminal": rec}).tick()).sent == 0
    clock.advance(timedelta(minutes=6))  # its lease ran out: a restart sends it
    report = await Scheduler(store, clock, {"terminal": rec}).tick()
    assert report.sent == 1 and report.retried == 0  # from the outbox, not a new claim
    assert sorted(rec.keys()) == [f"u{n}" for n in range(5)]
    assert all(r.status == "sent" for r in await prompt_rows(store))


async def test_two_ticks_at_once_never_double_send(any_store: Store) -> None:
    clock = FakeClock(START)
    rec = Recorder(clock)
    keys = [f"u{n}" for n in range(60)]
    # Reminder times that all fall at 06:00 UTC.
    zones = [("Europe/Berlin", 7), ("America/Chicago", 0), ("Asia/Tokyo", 15), ("UTC", 6)]
    for n, key in enumerate(keys):
        zone, hour = zones[n % 4]
        await add_user(any_store, key, zone, hour * 60, clock())
    other = Store(any_store.url)  # a second instance on the same database
    try:
        a = Scheduler(any_store, clock, {"terminal": rec}, batch_size=7, concurrency=3)
        b = Scheduler(other, clock, {"terminal": rec}, batch_size=7, concurrency=3)
        clock.advance_to(datetime(2026, 12, 1, 6, 30, tzinfo=UTC))
        await asyncio.gather(a.tick(), b.tick(), a.tick(), b.tick())
        assert sorted(rec.keys()) == sorted(keys)
        clock.advance(timedelta(days=1))
        await asyncio.gather(a.tick(), b.tick())
        assert len(rec.keys()) == 2 * len(keys)
        assert len({(k, at.date()) for k, at, _ in rec.sent}) == 2 * len(keys)
    finally:
        await other.close()


# --- who is prompted ------------------------------------------------------------------------

async def test_pause_resume_stop_and_deleted_users(store: Store) -> None:
    clock = FakeClock(START)
    rec = Recorder(clock)
    paused = await add_user(store, "paused", "UTC", 8 * 60, clock())
    await add_user(store, "stopped", "UTC", 8 * 60, clock(), status=UserStatus.STOPPED)
    gone = await add_user(store, "gone", "UTC", 8 * 60, clock())
    await add_user(store, "active", "UTC", 8 * 60, clock())
    async with store.transaction() as tx:
        await tx.set_status(paused, UserStatus.PAUSED)
        await tx.delete_user(gone)
    sched = Scheduler(store, clock, {"terminal": rec})
    await run_until(sched, clock, START + timedelta(days=3, hours=12))
    assert sorted(set(rec.keys())) == ["active"] and len(rec.keys()) == 4
    # Resume after days away: no stale prompt late in the day, the next morning comes.
    async with store.transaction() as tx:
        await tx.set_status(paused, UserStatus.ACTIVE)
    await sched.tick()
    assert rec.to("paused") == []
    await run_until(sched, clock, START + timedelta(days=4, hours=9))
    assert [at.date() for at, _ in rec.to("paused")] == [date(2026, 12, 5)]


async def test_blocked_unreachable_and_failing_users_do_not_stop_the_tick(store: Store
                                                                         ) -> None:
    clock = FakeClock(START)
    rec = Recorder(clock)
    ids = {k: await add_user(store, k, "UTC", 7 * 60, clock())
           for k in ("ok", "blocker", "gone", "flaky")}
    rec.fail = {"blocker": UserBlocked(), "gone": UserUnreachable(),
                "flaky": RuntimeError("503")}
    sched = Scheduler(store, clock, {"terminal": rec})
    clock.advance_to(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    report = await sched.tick()
    assert (report.sent, report.blocked, report.unreachable, report.failed) == (1, 1, 1, 0)
    assert await status_of(store, ids["blocker"]) == UserStatus.BLOCKED
    assert await status_of(store, ids["gone"]) == UserStatus.UNREACHABLE
    # The flaky user's prompt waits in the outbox and is sent once the channel recovers.
    del rec.fail["flaky"]
    clock.advance(timedelta(seconds=2))
    report = await sched.tick()
    assert report.sent == 1 and rec.keys().count("flaky") == 1
    await run_until(sched, clock, datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    assert rec.keys().count("blocker") == 0 and rec.keys().count("gone") == 0
    assert rec.keys().count("flaky") == 3 and rec.keys().count("ok") == 3
    assert rec.calls == 3 + 4 + 1 + 1  # blocked and unreachable users were asked once


async def test_grace_window_after_downtime(store: Store) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 5, 0, tzinfo=UTC))
    rec = Recorder(clock)
    await add_user(store, "seven", "UTC", 7 * 60, clock())
    await add_user(store, "six", "UTC", 6 * 60, clock())
    sched = Scheduler(store, clock, {"terminal": rec})
    clock.advance_to(datetime(2026, 12, 1, 9, 59, tzinfo=UTC))  # down since 05:00
    report = await sched.tick()
    assert rec.keys() == ["seven"] and report.stale == 1
    await run_until(sched, clock, datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    assert [(k, at.date()) for k, at, _ in rec.sent] == [
        ("seven", date(2026, 12, 1)), ("six", date(2026, 12, 2)), ("seven", date(2026, 12, 2))
    ]


async def test_trek_eve_gets_one_good_luck_message_then_silence(store: Store) -> None:
    clock = FakeClock(START)
    rec = Recorder(clock)
    trekker = await add_user(store, "ana", "Europe/Madrid", 7 * 60, clock(),
                             trek=date(2026, 12, 3), name="Ana Lopez",
                             plan=week_plan(date(2026, 12, 1), 2))
    late = await add_user(store, "bo", "UTC", 7 * 60, clock(), trek=date(2026, 12, 1))
    sched = Scheduler(store, clock, {"terminal": rec})
    await run_until(sched, clock, START + timedelta(days=4), timedelta(hours=1))
    texts = [m[0].text for _, m in rec.to("ana")]
    assert len(texts) == 2
    assert "Stairs 2026-12-01" in texts[0]
    assert "Good luck, Ana" in texts[1] and "Tomorrow is the trek" in texts[1]
    assert await status_of(store, trekker) == UserStatus.STOPPED
    assert rec.to("bo") == [] and await status_of(store, late) == UserStatus.STOPPED


async def test_recovery_and_generic_messages_come_from_the_stored_plan(store: Store) -> None:
    clock = FakeClock(START)
    rec = Recorder(clock)
    # Plan rows for 1 and 3 December only: 2 December is a rest day, 4 December past the end.
    await add_user(store, "ana", "UTC", 7 * 60, clock(), plan={
        date(2026, 12, 1): ("recovery", "Rest"), date(2026, 12, 3): ("hike", "Hike 2 h")})
    await add_user(store, "noplan", "UTC", 7 * 60, clock())
    sched = Scheduler(store, clock, {"terminal": rec})
    await run_until(sched, clock, START + timedelta(days=3, hours=8))
    texts = [m[0].text for _, m in rec.to("ana")]
    assert "recovery day" in texts[0] and "mobility" in texts[0]
    assert "recovery day" in texts[1]
    assert "Hike 2 h" in texts[2]
    assert "don't have a session on file" in texts[3]
    assert all("don't have a session on file" in m[0].text for _, m in rec.to("noplan"))


async def test_evening_nudge_only_when_on_and_nothing_logged(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))  # 21:00 in Tokyo
    rec = Recorder(clock)
    plan = week_plan(date(2026, 12, 1))
    keen = await add_user(store, "keen", "Asia/Tokyo", 7 * 60, clock(), nudge=True, plan=plan)
    await add_user(store, "quiet", "Asia/Tokyo", 7 * 60, clock(), plan=plan)
    sched = Scheduler(store, clock, {"terminal": rec})
    await run_until(sched, clock, datetime(2026, 12, 1, 16, 0, tzinfo=UTC))  # 1 Dec 01:00 JST
    async with store.transaction() as tx:  # keen logs 2 December's session
        await tx.add_log(LoggedSession(user_id=keen, day=date(2026, 12, 2), kind="done"))
    await run_until(sched, clock, datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    tokyo = ZoneInfo("Asia/Tokyo")
    keen_sends = [(at.astimezone(tokyo), m[0].text) for at, m in rec.to("keen")]
    nudges = [(t.date(), t.hour) for t, text in keen_sends if "Evening check-in" in text]
    assert nudges == [(date(2026, 12, 1), 20), (date(2026, 12, 3), 20)]
    assert not any("Evening check-in" in m[0].text for _, m in rec.to("quiet"))


async def test_a_user_with_broken_data_does_not_block_the_others(store: Store) -> None:
    clock = FakeClock(START)
    rec = Recorder(clock)
    broken = await add_user(store, "broken", "UTC", 7 * 60, clock())
    await add_user(store, "fine", "UTC", 7 * 60, clock())
    async with store.transaction() as tx:
        user = await tx.user_by_id(broken)
        assert user is not None
        user.reminder_minutes = 99_999  # no such time of day
    sched = Scheduler(store, clock, {"terminal": rec})
    await run_until(sched, clock, START + timedelta(days=2), timedelta(hours=1))
    assert rec.keys() == ["fine", "fine"]


async def test_a_morning_prompt_for_a_session_already_logged_says_so(store: Store) -> None:
    """Logged as done before the push: the push acknowledges it, with no Done/Skip; a
    pain log is not a done session."""
    clock = FakeClock(START)
    rec = Recorder(clock)
    early = await add_user(store, "early", "UTC", 7 * 60, clock())
    other = await add_user(store, "other", "UTC", 7 * 60, clock())
    async with store.transaction() as tx:
        for n in range(4):
            day = date(2026, 12, 1) + timedelta(days=n)
            await tx.add_log(LoggedSession(user_id=early, day=day, kind="done"))
            await tx.add_log(LoggedSession(user_id=other, day=day, kind="pain", pain=1))
    sched = Scheduler(store, clock, {"terminal": rec})
    await run_until(sched, clock, START + timedelta(days=3, hours=8))
    sessions = {key: [m[0] for _, m in rec.to(key) if "recovery day" not in m[0].text]
                for key in ("early", "other")}
    assert len(sessions["early"]) == len(sessions["other"]) >= 2
    for done, open_ in zip(sessions["early"], sessions["other"], strict=True):
        assert "already logged as done" in done.text and "Tell me when" not in done.text
        assert [c.id for c in done.choices] == ["should_run"]
        assert "Tell me when it's done" in open_.text
