"""`/export` and the calendar feed: the plan as iCalendar (the `icalendar` package), the log as CSV.

Every training day from today on is an all-day event with an alarm at the person's reminder
time, and the trek day is an event of its own. UIDs are stable per user and day, and
SEQUENCE grows with the export time, so a re-import or a feed refresh updates events in
place instead of adding copies.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from conversations.plan_texts import dose, session_name, session_text
from planner import Plan
from storage import LoggedSession

PRODID = "-//Trekbot//Trek training plan//EN"
CALENDAR_NAME = "Trek training"
CSV_FIELDS = ("day", "kind", "session_type", "minutes", "distance_km", "climb_m", "floors",
              "pack_kg", "reps", "effort", "feeling", "pain", "pain_area", "sickness", "source",
              "note")
SEQUENCE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CalendarOwner:
    """Whose calendar: a stable seed for the UIDs, the trek date, the reminder time."""

    uid_seed: str
    trek_date: date
    reminder_minutes: int | None = None  # minutes after local midnight; None: no alarm


def sequence_at(stamp: datetime) -> int:
    """SEQUENCE for an export made at `stamp`: minutes since 2026, so it only grows."""
    return max(0, int((stamp.astimezone(UTC) - SEQUENCE_EPOCH).total_seconds() // 60))


def _event(uid: str, day: date, summary: str, description: str, stamp: datetime,
           reminder: int | None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("sequence", sequence_at(stamp))
    event.add("transp", "TRANSPARENT")
    if reminder is not None:
        # An all-day event starts at local midnight: the alarm fires at the reminder time.
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(minutes=reminder))
        event.add_component(alarm)
    return event


def calendar_ics(plan: Plan, today: date, owner: CalendarOwner, stamp: datetime) -> bytes:
    """Training sessions from `today` on and the trek day, as an .ics file."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for week in plan.weeks:
        for s in week.sessions:
            if not s.training or s.day < today:
                continue
            cal.add_component(_event(
                f"{s.day:%Y%m%d}-{owner.uid_seed}@trekbot", s.day,
                f"{session_name(s)}: {dose(s)}", session_text(s).replace("*", ""), stamp,
                owner.reminder_minutes))
    if owner.trek_date >= today:
        cal.add_component(_event(
            f"trek-{owner.uid_seed}@trekbot", owner.trek_date, "Trek day",
            "The trek starts today. Pack checked, boots on, go steady.", stamp,
            owner.reminder_minutes))
    return cal.to_ical()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@"):
        text = "'" + text  # spreadsheets must not run it as a formula
    return text


def log_csv(rows: Sequence[LoggedSession]) -> bytes:
    """The log, oldest first, one row per entry."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for r in sorted(rows, key=lambda r: (r.day, r.id or 0)):
        writer.writerow([_cell(getattr(r, f, None) if f != "day" else r.day.isoformat())
                         for f in CSV_FIELDS])
    return out.getvalue().encode("utf-8")
