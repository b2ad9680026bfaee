"""The demo clock's `/nextday` in `trekbot chat --demo`: jump to the next message and send it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.prompt_rules import zone_of
from bot.scheduler import Scheduler
from bot.terminal import LocalCommand
from conversations import prompt_texts
from conversations.formatting import short_moment
from conversations.messages import Outgoing
from storage import schedule_rows as q


class JumpingClock(Protocol):
    """A clock that can be moved ahead (`ShiftedClock`, `FakeClock`)."""

    def advance_to(self, moment: datetime) -> None: ...


async def demo_next_day(
    scheduler: Scheduler, clock: JumpingClock, channel: str, user_key: str
) -> list[Outgoing]:
    """Jump to the user's next message time and run the tick.

    An evening nudge due before the next morning goes out first, as it would in real time.
    """
    async with scheduler.store.transaction() as tx:
        prompt_at, nudge_at = await q.next_times(tx, channel, user_key)
        zone_name = None
        user = await tx.user(channel, user_key)
        if user is not None:
            zone_name = user.timezone
    if prompt_at is None:
        return [Outgoing(prompt_texts.DEMO_NOTHING_SCHEDULED)]
    zone = zone_of(zone_name)
    sender = scheduler.channels[channel]
    stops = [t for t in (nudge_at, prompt_at) if t is not None and t <= prompt_at]
    for moment in sorted(stops):
        clock.advance_to(moment)
        when = short_moment(moment.astimezone(zone))
        await sender.send(user_key, [Outgoing(prompt_texts.DEMO_JUMP.format(when=when))])
        report = await scheduler.tick()
        if not report.sent:
            await sender.send(user_key,
                              [Outgoing(prompt_texts.DEMO_NOTHING_SENT.format(when=when))])
    return []


def demo_command(scheduler: Scheduler, clock: JumpingClock, channel: str, user_key: str
                 ) -> LocalCommand:
    """The terminal's local command hook: understands /nextday."""

    async def command(word: str) -> list[Outgoing] | None:
        if word.split()[0] != "/nextday":
            return None
        return await demo_next_day(scheduler, clock, channel, user_key)

    return command
