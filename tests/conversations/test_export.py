"""/export: an RFC 5545 calendar of the plan and a CSV of the log, as two attachments."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.export import escape_text, fold
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

    raw_lines = ics.data.decode().split("\r\n")
    assert all(len(line.encode()) <= 75 for line in raw_lines)
    lines = unfold(ics.data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    events = lines.count("BEGIN:VEVENT")
    assert events == lines.count("END:VEVENT") > 0
    starts = [date.fromisoformat(re.sub(r"(\d{4})(\d\d)(\d\d)", r"\1-\2-\3", x.split(":")[1]))
              for x in lines if x.startswith("DTSTART;VALUE=DATE:")]
    assert len(starts) == events
    assert min(starts) >= date(2026, 12, 2) and max(starts) < date(2027, 1, 20)
    uids = [x for x in lines if x.startswith("UID:")]
    assert len(set(uids)) == events
    assert all(x.startswith("DTSTAMP:20261202T090000Z") for x in lines if "DTSTAMP" in x)

    rows = list(csv.DictReader(io.StringIO(log.data.decode())))
    assert [r["kind"] for r in rows] == ["done", "pain"]
    assert rows[0]["minutes"] == "35" and rows[0]["feeling"] == "hard"
    assert rows[1]["pain"] == "4" and rows[1]["note"].startswith("'=")


def test_text_escaping() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_folding_keeps_characters_whole() -> None:
    line = "DESCRIPTION:" + "é" * 80
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
