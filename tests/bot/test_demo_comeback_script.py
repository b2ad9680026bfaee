"""A scripted demo-clock conversation (issue 11): a 10-day break and the comeback, pain 7
then a check-in, a fever then "it's gone". Each morning's push comes from the scheduler's
tick on the fake clock, as `/nextday` does, and must name what `today` shows."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.clock import FakeClock
from bot.scheduler import Scheduler
from conversations.engine import Engine
from storage import Store
from tests.bot.test_push_matches_today import START, _say, push_dose, today_dose
from tests.bot.test_scheduler import Recorder


class Demo:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.clock = FakeClock(START)
        self.engine = Engine(store, self.clock)
        self.rec = Recorder(self.clock)
        self.sched = Scheduler(store, self.clock, {"terminal": self.rec})

    async def say(self, text: str) -> str:
        return await _say(self.engine, self.clock, text)

    async def next_prompt(self) -> None:
        """Jump to the person's next prompt and run the tick that sends it."""
        async with self.store.transaction() as tx:
            user = await tx.user("terminal", "p")
            assert user is not None and user.next_prompt_at is not None
            due = user.next_prompt_at
        self.clock.advance_to(due)
        await self.sched.tick()

    async def next_day(self) -> str:
        """Jump to the next morning prompt; the push's session, checked against `today`."""
        await self.next_prompt()
        push = push_dose(self.rec.sent[-1][2])
        assert push == today_dose(await self.say("today"))
        self.clock.advance(timedelta(hours=2))
        return push

    async def week_minutes(self) -> int:
        m = re.search(r"Week \d+ \(\w[\w ]*, (\d+) min\)",
                      (await self.say("plan")).replace("*", ""))
        assert m is not None
        return int(m.group(1))


async def test_break_comeback_pain_and_fever(store: Store) -> None:
    demo = Demo(store)
    for text in ["/start", "yes", "30", "none", "in 12 weeks", "moderate", "4", "7:00",
                 "London"]:
        await demo.say(text)
    for _ in range(14):  # two good weeks
        push = await demo.next_day()
        if push != "rest":
            await demo.say("done")
    before = await demo.week_minutes()

    for _ in range(10):  # ten days without a word
        await demo.next_day()
    await demo.next_day()
    await demo.say("done")
    await demo.next_day()
    assert await demo.week_minutes() < before  # the comeback holds after a logged session

    reply = await demo.say("knee 7/10 after the stairs")
    assert "0 to 10" not in reply and "7/10" in reply
    push = await demo.next_day()
    assert "run" not in push  # low impact
    assert "No run today" in await demo.say("should I run today?")
    reply = await demo.say("knee 3/10 today")  # the check-in
    assert "0 to 10" not in reply and "3/10" in reply

    for _ in range(3):
        await demo.next_day()
    assert "Rest today" in await demo.say("I have a fever, 38.5")
    assert await demo.next_day() == "rest"
    assert "Good to hear" in await demo.say("fever is gone, feeling fine now")
    assert await demo.next_day() == "rest"  # 24 h more
    back = [await demo.next_day() for _ in range(4)]
    trained = [p for p in back if p != "rest"]
    assert trained and all(int(re.search(r"(\d+) min", p).group(1)) <= 30 for p in trained)
