"""/export: an RFC 5545 calendar of the plan and a CSV of the log, as two attachments."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import Store
from tests.conversations.daily_support import Chat, onboarded

WED = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    return text.replace("\r\n ", "").split("\r\n")[:-1]


async def test_export_sends_a_calendar_and_a_csv(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store, trek_date="2027-01-20")
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    await chat.send("done 35 min, felt hard")
    await chat.send("=cmd, pain 4/10 in my knee")
    out = await chat.send("/export")
    ics, log = (o.attachment for o in out)
    assert ics is not None and log is not None
    assert ics.filename.endswith(".ics") and ics.mime == "text/calendar"
    assert log.filename.endswith(".csv") and log.mime == "text/csv"

    cal = Calendar.from_ical(ics.data)
    assert str(cal["version"]) == "2.0"
    events = cal.walk("VEVENT")
    starts = [e.decoded("dtstart") for e in events]
    assert all(isinstance(d, date) for d in starts)
    assert min(starts) >= date(2026, 12, 2) and max(starts) == date(2027, 1, 20)
    trek = [e for e in events if e.decoded("dtstart") == date(2027, 1, 20)]
    assert len(trek) == 1 and "Trek" in str(trek[0]["summary"])
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert all(e.decoded("dtstamp") == WED for e in events)
    alarms = [a for e in events for a in e.walk("VALARM")]
    assert len(alarms) == len(events)
    # onboarded() sets the reminder at 7:00: the alarm fires 7 h after the day starts
    assert {a.decoded("trigger") for a in alarms} == {timedelta(hours=7)}
    assert len(ics.data.decode().split("\r\n")[0]) <= 75

    rows = list(csv.DictReader(io.StringIO(log.data.decode())))
    assert [r["kind"] for r in rows] == ["done", "pain"]
    assert rows[0]["minutes"] == "35" and rows[0]["feeling"] == "hard"
    assert rows[1]["pain"] == "4" and rows[1]["note"].startswith("'=")


async def test_a_later_export_updates_the_same_events(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    await onboarded(store, trek_date="2027-01-20")
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    first = Calendar.from_ical((await chat.send("/export"))[0].attachment.data)
    clock.advance_to(WED + timedelta(hours=2))
    second = Calendar.from_ical((await chat.send("export"))[0].attachment.data)
    def seqs(cal: Calendar) -> dict[str, int]:
        return {str(e["uid"]): int(e["sequence"]) for e in cal.walk("VEVENT")}
    a, b = seqs(first), seqs(second)
    assert a.keys() == b.keys()
    assert all(b[uid] > a[uid] for uid in a)
