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

from hypothesis import HealthCheck, given, settings
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
    return _dose_line(re.sub(r"( ✓ done)?( <- today)?$", "", line[len(head):]))


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
def test_push_today_and_plan_name_the_same_session(answers: list[str],
                                                   days: list[list[str]]) -> None:
    asyncio.run(_run(answers, [a for day in days for a in day][:42]))
