"""One source of truth: the morning push for day D, `today` on D and /plan's line for D name
the same session and dose, for random profiles and random histories, every day to the trek.

Through the public surface: onboarding and daily messages through the engine, the morning
push through the scheduler's tick on a fake clock (what `/nextday` does in the demo).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.scheduler import Scheduler
from conversations import texts
from conversations.engine import Engine
from conversations.messages import Incoming, Outgoing
from tests.bot.test_scheduler import Recorder

ZONE = "Europe/London"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# what a person does on a day (after the push and the two views); "" says nothing
ACTIONS = ["done", "done", "done 40 min", "did it, felt hard", "skip", "", "", "",
           "my knee hurts 7/10", "knee 4/10", "I have a fever", "I have a cold",
           "stomach bug", "fever is gone, feeling fine now",
           # answers to the morning follow-up after pain or sickness (issue 11.4)
           "much better", "still hurts", "worse", "still there", "yes",
           # one-off swaps and profile changes (issue 12): the push follows them too
           "move today to tomorrow", "can I swap Saturday's walk to Sunday?",
           "move tomorrow to friday", "I don't have a bike", "there are no stairs near me",
           "I weigh 80 kg", "I can't train on Wednesdays anymore",
           "my trek is actually difficult"]


def _dose_line(text: str) -> str:
    """'*Easy run*: 30 min' / 'Easy run 30 min' / 'Rest day' -> 'easy run 30 min' / 'rest'."""
    line = text.replace("*", "").replace(":", "").strip().lower()
    return "rest" if line.startswith("rest") else line


def push_dose(messages: list[Outgoing]) -> str:
    text = messages[0].text
    if "recovery day" in text:
        return "rest"
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "Here is your session" in line)
    return _dose_line(lines[at + 1])


def today_dose(reply: str) -> str:
    lines = reply.replace("*", "").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Today,"))
    return _dose_line(lines[at + 1])


def plan_dose(reply: str, day: datetime) -> str:
    head = f"{day:%a} {day.day} {day:%b}  "
    line = next(x for x in reply.replace("*", "").splitlines() if x.startswith(head))
    return _dose_line(re.sub(r"( ✓ done)?( · [a-z ]+)?( <- today)?$", "", line[len(head):]))


async def _say(engine: Engine, clock: FakeClock, text: str) -> str:
    out = await engine.handle(Incoming("terminal", "p", clock(), text))
    assert all(o.text != texts.SORRY for o in out), text
    return "\n".join(o.text for o in out)


async def _run(answers: list[str], actions: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        from storage import Store

        store = Store(f"sqlite+aiosqlite:///{Path(tmp) / 'p.db'}")
        await store.start()
        try:
            clock = FakeClock(START)
            engine = Engine(store, clock)
            rec = Recorder(clock)
            sched = Scheduler(store, clock, {"terminal": rec})
            for text in ["/start", *answers, "7:00", "London"]:
                await _say(engine, clock, text)
            for action in actions:
                async with store.transaction() as tx:
                    user = await tx.user("terminal", "p")
                    assert user is not None
                    due = user.next_prompt_at
                if due is None:
                    break  # the trek is here
                sent = len(rec.sent)
                clock.advance_to(due)
                await sched.tick()
                if len(rec.sent) == sent:
                    break
                messages = rec.sent[-1][2]
                if "good luck" in messages[0].text.lower():
                    break  # the trek eve
                local = clock().astimezone(ZoneInfo(ZONE))
                push = push_dose(messages)
                today = today_dose(await _say(engine, clock, "today"))
                plan = plan_dose(await _say(engine, clock, "plan"), local)
                assert push == today == plan, (local.date(), push, today, plan)
                clock.advance(timedelta(hours=3))
                if action:
                    await _say(engine, clock, action)
        finally:
            await store.close()


@st.composite
def onboarding(draw: st.DrawFn) -> list[str]:
    running = draw(st.sampled_from(["yes", "sometimes", "no"]))
    answers = [running]
    if running != "no":
        answers.append(draw(st.sampled_from(["15", "30", "45"])))
    answers.append(draw(st.sampled_from(["none", "my knee", "ankle", "back"])))
    answers.append(f"in {draw(st.integers(3, 6))} weeks")
    answers.append(draw(st.sampled_from(["easy", "moderate", "difficult"])))
    answers.append(str(draw(st.integers(3, 6))))
    return answers


BREAK = [""] * 10  # ten days without a word


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(onboarding(), st.lists(st.one_of(st.sampled_from(ACTIONS).map(lambda a: [a]),
                                        st.just(BREAK)), min_size=20, max_size=30))
# Found in CI: a swap re-writes a given day next to an ordinary one (one statement, the
# same keys on every row).
@example(answers=["yes", "15", "none", "in 3 weeks", "easy", "3"],
         days=[["done"]] * 3 + [["move today to tomorrow"]] + [["done"]] * 10 + [BREAK] * 6)
def test_push_today_and_plan_name_the_same_session(answers: list[str],
                                                   days: list[list[str]]) -> None:
    asyncio.run(_run(answers, [a for day in days for a in day][:42]))


# Day by day after the push (UK, 7:00) from Wed 2 Dec: Wed strength, Fri an easy run, Sat a
# backpack walk; plan weeks run Tue to Mon.
STORY = ["done", "", "I have a fever", "", "skip", "my trek moved to 2027-02-20", "done",
         "", "done"]


async def _story(store_dir: str) -> None:
    from storage import Store

    store = Store(f"sqlite+aiosqlite:///{Path(store_dir) / 'p.db'}")
    await store.start()
    try:
        clock = FakeClock(START)
        engine = Engine(store, clock)
        rec = Recorder(clock)
        sched = Scheduler(store, clock, {"terminal": rec})
        for text in ["/start", "yes", "30", "none", "in 10 weeks", "moderate", "4", "7:00",
                     "London"]:
            await _say(engine, clock, text)
        pushed: dict[datetime, str] = {}
        checked = 0
        for action in STORY:
            async with store.transaction() as tx:
                user = await tx.user("terminal", "p")
                assert user is not None and user.next_prompt_at is not None
                clock.advance_to(user.next_prompt_at)
            await sched.tick()
            local = clock().astimezone(ZoneInfo(ZONE))
            pushed[local] = push_dose(rec.sent[-1][2])
            clock.advance(timedelta(hours=3))
            if action:
                await _say(engine, clock, action)
            plan = await _say(engine, clock, "plan")
            past = [d for d in pushed if d.date() < local.date()
                    and f"{d:%a} {d.day} {d:%b}  " in plan.replace("*", "")]
            for day in past:
                assert plan_dose(plan, day) == pushed[day], (local.date(), day.date(), plan)
            checked += len(past)
        assert len(pushed) == len(STORY) and checked >= 15
    finally:
        await store.close()


def test_plan_shows_past_days_as_the_push_named_them() -> None:
    """A week of done, skip, a fever and a trek-date change: every evening /plan's past
    lines name what each morning's push said (the fever's rest days included)."""
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_story(tmp))


def preview_dose(messages: list[Outgoing]) -> str:
    text = messages[0].text
    if "recovery day" in text:
        return "rest"
    lines = text.replace("*", "").splitlines()
    at = next(i for i, line in enumerate(lines) if "Tomorrow, " in line)
    return _dose_line(lines[at + 1])


# Said the morning after each evening preview (after checking it against `today`).
EVENING = ["done", "skip", "", "my knee hurts 7/10", "done", "I have a fever", "",
           "fever is gone, feeling fine now", "my trek moved to 2027-02-14", "done", "", "",
           "", "", "", "", "done 40 min"]


async def _evenings(store_dir: str, actions: list[str]) -> int:
    from storage import Store

    store = Store(f"sqlite+aiosqlite:///{Path(store_dir) / 'p.db'}")
    await store.start()
    compared = 0
    try:
        clock = FakeClock(START)
        engine = Engine(store, clock)
        rec = Recorder(clock)
        sched = Scheduler(store, clock, {"terminal": rec})
        for text in ["/start", "sometimes", "20", "my ankle", "in 9 weeks", "moderate", "5",
                     "18:30", "London"]:
            await _say(engine, clock, text)
        for action in actions:
            async with store.transaction() as tx:
                user = await tx.user("terminal", "p")
                assert user is not None and user.next_prompt_at is not None
                clock.advance_to(user.next_prompt_at)
            await sched.tick()
            messages = rec.sent[-1][2]
            if "good luck" in messages[0].text.lower():
                break
            preview = preview_dose(messages)
            local = clock().astimezone(ZoneInfo(ZONE))
            morning = (local + timedelta(days=1)).replace(hour=8, minute=0)
            clock.advance_to(morning.astimezone(UTC))
            today = today_dose(await _say(engine, clock, "today"))
            plan = plan_dose(await _say(engine, clock, "plan"), morning)
            assert preview == today == plan, (morning.date(), preview, today, plan)
            compared += 1
            clock.advance(timedelta(hours=2))
            if action:
                await _say(engine, clock, action)
    finally:
        await store.close()
    return compared


def test_an_evening_preview_names_what_today_shows_the_next_morning() -> None:
    """An 18:30 reminder previews tomorrow; the next morning `today` and /plan name the
    same session, through done, skip, pain, a fever and a trek-date change."""
    with tempfile.TemporaryDirectory() as tmp:
        assert asyncio.run(_evenings(tmp, EVENING)) == len(EVENING)


def test_an_evening_preview_after_a_quiet_spell_is_rolled_as_tomorrow_sees_it() -> None:
    """Four quiet days, then a skip in the morning: the rebuild that follows is as of
    today, so the evening preview must still be rolled for tomorrow (missed days make a
    bridge there)."""
    with tempfile.TemporaryDirectory() as tmp:
        actions = ["done", "", "", "", "", "skip", "", ""]
        assert asyncio.run(_evenings(tmp, actions)) == len(actions)
