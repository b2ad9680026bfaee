"""`/export`: the plan as an iCalendar file (RFC 5545, written by hand) and the log as CSV.

The calendar is small and regular (one all-day event per training day), so it is written
directly: CRLF line ends, TEXT values escaped, lines folded at 75 octets.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from conversations.plan_texts import dose, session_name, session_text
from planner import Plan
from storage import LoggedSession

PRODID = "-//Trekbot//Trek training plan//EN"
CSV_FIELDS = ("day", "kind", "session_type", "minutes", "effort", "feeling", "pain",
              "pain_area", "sickness", "note")


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newline escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue on lines starting with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start = 0
    limit = 75
    while start < len(data):
        end = min(len(data), start + limit)
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
        limit = 74  # the leading space counts
    return "\r\n ".join(parts)


def _date(day: date) -> str:
    return day.strftime("%Y%m%d")


def calendar_ics(plan: Plan, today: date, uid_seed: str, stamp: datetime) -> bytes:
    """Every training session from `today` on as an all-day event."""
    stamp_s = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:Trek training"]
    for week in plan.weeks:
        for s in week.sessions:
            if not s.training or s.day < today:
                continue
            summary = f"{session_name(s)}: {dose(s)}"
            description = session_text(s).replace("*", "")
            lines += [
                "BEGIN:VEVENT",
                f"UID:{_date(s.day)}-{escape_text(uid_seed)}@trekbot",
                f"DTSTAMP:{stamp_s}",
                f"DTSTART;VALUE=DATE:{_date(s.day)}",
                f"DTEND;VALUE=DATE:{_date(s.day + timedelta(days=1))}",
                f"SUMMARY:{escape_text(summary)}",
                f"DESCRIPTION:{escape_text(description)}",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(x) for x in lines) + "\r\n").encode("utf-8")


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
        writer.writerow([_cell(getattr(r, f) if f != "day" else r.day.isoformat())
                         for f in CSV_FIELDS])
    return out.getvalue().encode("utf-8")
