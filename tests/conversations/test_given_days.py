"""/plan shows past days as they were given: the session `today` named that day, with
done / skipped / unwell marks on the right days, however the plan changed since."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.formatting import short_date
from storage import Store
from tests.conversations.daily_support import Chat, onboarded


def _as_week_line(today_text: str) -> str:
    """`today`'s session line ("*Cycling*: 30 min") as /plan writes it ("Cycling 30 min")."""
    first = today_text.splitlines()[1]
    if first == "*Rest day*":
        return "Rest"
    name, dose = re.fullmatch(r"\*(.+?)\*: (.+)", first).groups()  # type: ignore[union-attr]
    return f"{name} {dose}"


def _plan_lines(text: str) -> dict[date, str]:
    out = {}
    for k in range(14):
        day = date(2026, 11, 30) + timedelta(days=k)
        for line in text.splitlines():
            if line.startswith(short_date(day) + "  "):
                out[day] = line[len(short_date(day)) + 2:]
    return out


# One thing logged each day after asking `today` in the morning (Berlin, 09:00). The plan
# has Wed strength, Fri an easy run, Sat a backpack walk; Tue and Thu are rest days.
DAYS: list[tuple[date, str | None]] = [
    (date(2026, 12, 1), "done 35 min"),  # an extra on a rest day
    (date(2026, 12, 2), "skip"),
    (date(2026, 12, 3), None),
    (date(2026, 12, 4), "I have a fever"),  # after `today` named the day's run
    (date(2026, 12, 5), "my trek moved to 2027-02-20"),  # `today` gave rest: still ill
]


async def test_plan_shows_past_days_as_today_named_them(store: Store, engine: Engine,
                                                       clock: FakeClock) -> None:
    await onboarded(store, trek_date="2027-03-14")
    chat = Chat(engine, clock)
    shown: dict[date, str] = {}
    for day, then in DAYS:
        clock.advance_to(datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC))
        shown[day] = _as_week_line(await chat.say("today"))
        if then:
            await chat.say(then)
    clock.advance_to(datetime(2026, 12, 6, 8, 0, tzinfo=UTC))  # Sunday
    text = await chat.say("/plan")
    lines = _plan_lines(text)
    for day, what in shown.items():
        assert lines[day].startswith(what), (day, lines[day], what)
    assert "✓ done" in lines[date(2026, 12, 1)]
    assert "skipped" in lines[date(2026, 12, 2)] and "✓" not in lines[date(2026, 12, 2)]
    assert lines[date(2026, 12, 4)].startswith("Easy run") and "unwell" in lines[date(2026, 12, 4)]
    assert lines[date(2026, 12, 5)].startswith("Rest")  # the fever's rest day, as given
    assert "<- today" in lines[date(2026, 12, 6)]


async def test_a_session_named_by_today_stays_after_a_fever_that_day(store: Store, engine: Engine,
                                                        clock: FakeClock) -> None:
    """A session named by `today` stays what /plan shows for it after a fever the same
    day, while `today` itself now says rest."""
    await onboarded(store)
    chat = Chat(engine, clock)
    clock.advance_to(datetime(2026, 12, 4, 8, 0, tzinfo=UTC))
    before = await chat.say("today")
    await chat.say("fever since this morning")
    after = await chat.say("today")
    assert "Rest" in after.splitlines()[1] and before != after
    clock.advance(timedelta(days=1))
    lines = _plan_lines(await chat.say("/plan"))
    assert lines[date(2026, 12, 4)].startswith(_as_week_line(before))
