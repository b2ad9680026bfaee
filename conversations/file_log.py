"""Files people send: GPX/FIT activity files are logged; photos and other documents get a
friendly reply, and a caption is handled as the text it says.

An activity lands on the local day it started (the user's timezone), counts as that day's
planned session when the kind matches (otherwise it is an extra), and is stored with its
file hash: the same file sent twice is logged once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date

from conversations import daily_texts as t
from conversations import file_texts as ft
from conversations import plan_texts as pt
from conversations.activity_files import (
    MAX_BYTES,
    Activity,
    ActivityFileError,
    Problem,
    Sport,
    is_activity_name,
    parse_activity,
)
from conversations.facts import facts, label, refresh
from conversations.formatting import short_date
from conversations.history import logged_on
from conversations.messages import FileTooLarge, IncomingFile, Kind, Outgoing
from conversations.parsing.amounts import amounts
from conversations.turn import Turn
from planner import LogKind, Session, SessionType
from planner.sessions import RUNNING_TYPES
from storage import LoggedSession

log = logging.getLogger(__name__)

TextHandler = Callable[[Turn], Awaitable[list[Outgoing]]]

# Which planned sessions a file of each kind stands for.
MATCHES: dict[Sport, frozenset[SessionType]] = {
    Sport.RUN: frozenset(RUNNING_TYPES),
    Sport.WALK: frozenset({SessionType.BACKPACK_WALK, SessionType.EASY_WALK}),
    Sport.HIKE: frozenset({SessionType.BACKPACK_WALK, SessionType.EASY_WALK,
                           SessionType.HILL_REPEATS}),
    Sport.RIDE: frozenset({SessionType.CYCLING}),
    Sport.SWIM: frozenset(),  # no planned session is a swim: always an extra
    # a file that does not say: any planned session that moves you over ground
    Sport.OTHER: frozenset(RUNNING_TYPES | {SessionType.BACKPACK_WALK, SessionType.EASY_WALK,
                                            SessionType.CYCLING}),
}
ACTIVITY_MIMES = ("application/gpx+xml", "application/vnd.ant.fit", "application/fit")


def looks_like_activity(f: IncomingFile) -> bool:
    """By name or type: worth downloading and reading."""
    return is_activity_name(f.filename) or f.mime.lower() in ACTIVITY_MIMES


async def on_file(turn: Turn, text_handler: TextHandler, ready: bool) -> list[Outgoing]:
    """A document or photo; `text_handler` answers a caption, `ready` says a plan exists."""
    f = turn.incoming.file
    if f is None or not looks_like_activity(f):
        if turn.text:
            return await text_handler(turn)
        return [Outgoing(ft.PHOTO if turn.incoming.kind is Kind.PHOTO else ft.OTHER_DOCUMENT)]
    if not ready:
        return [Outgoing(ft.NOT_YET)]
    if f.size is not None and f.size > MAX_BYTES:
        return [Outgoing(ft.PROBLEMS[Problem.TOO_LARGE])]
    try:
        data = await f.fetch(MAX_BYTES)
    except FileTooLarge:
        return [Outgoing(ft.PROBLEMS[Problem.TOO_LARGE])]
    except Exception as err:  # a download through the channel failed: nothing is lost
        log.warning("could not fetch a %s file: %s", turn.incoming.channel, type(err).__name__)
        return [Outgoing(ft.FETCH_FAILED)]
    try:
        activity = await asyncio.to_thread(parse_activity, data, f.filename)
    except ActivityFileError as err:
        return [Outgoing(ft.PROBLEMS[err.problem])]
    return await log_activity(turn, activity)


def local_day(turn: Turn, activity: Activity) -> date:
    """The user's local date the activity started on (today when the file has no times)."""
    if activity.start is None:
        return turn.today
    return min(activity.start.astimezone(turn.zone).date(), turn.today)


def matches(planned: Session | None, sport: Sport) -> bool:
    return planned is not None and planned.training and planned.type in MATCHES[sport]


async def log_activity(turn: Turn, activity: Activity) -> list[Outgoing]:
    """Store one parsed activity and answer with its one-line summary."""
    f = await facts(turn)
    day = local_day(turn, activity)
    when = short_date(day)
    dup = next((r for r in f.rows if r.file_hash == activity.fingerprint), None)
    if dup is not None:
        return [Outgoing(ft.already(short_date(dup.day)))]
    said = amounts(turn.text)
    done_row = typed_done(f.rows, day)
    if done_row is not None and _typed_match(done_row, activity.sport):
        return await _enrich(turn, done_row, activity, said.pack_kg, when)
    planned = f.session_on(day)
    matched = matches(planned, activity.sport)
    pack = said.pack_kg or (planned.pack_kg if matched and planned is not None else None)
    if matched:
        skipped = logged_on(f.rows, day, LogKind.SKIPPED)
        if skipped is not None:
            await turn.tx.unlog(skipped)  # done after all
    stype = planned.type.value if matched and planned is not None else None
    await turn.tx.log(
        turn.user.id, day, LogKind.DONE.value, session_type=stype, minutes=activity.minutes,
        message_id=turn.incoming.message_id,
        note=(turn.incoming.file.filename if turn.incoming.file else "")[:200],
        **_figures(activity, pack))
    lines = [_summary(activity, when, pack),
             ft.as_planned(pt.NAMES[planned.type], t.when(day, turn.today))
             if matched and planned is not None else ft.EXTRA]
    if (not matched and planned is not None and planned.training and day == turn.today
            and session_done(f.rows, day) is None):
        lines.append(ft.still_open(pt.NAMES[planned.type]))
    return await _after(turn, day, lines)


def is_file_extra(row: LoggedSession) -> bool:
    """A done row from an activity file of another kind than the day's session."""
    return row.kind == LogKind.DONE and row.file_hash is not None and row.session_type is None


def session_done(rows: Sequence[LoggedSession], day: date) -> LoggedSession | None:
    """The done row standing for `day`'s session: not an extra from a file of another
    kind (a ride file on a walk day leaves the walk to be logged)."""
    return next((r for r in rows if r.day == day and r.kind == LogKind.DONE
                 and not is_file_extra(r)), None)


def typed_done(rows: Sequence[LoggedSession], day: date) -> LoggedSession | None:
    """The first done row for `day` that was typed, not sent as a file."""
    return next((r for r in rows if r.day == day and r.kind == LogKind.DONE
                 and r.file_hash is None), None)


def _typed_match(row: LoggedSession, sport: Sport) -> bool:
    try:
        return row.session_type is not None and SessionType(row.session_type) in MATCHES[sport]
    except ValueError:
        return False


def _figures(activity: Activity, pack: float | None) -> dict[str, object]:
    return {"distance_km": round(activity.distance_m / 1000, 2),
            "climb_m": round(activity.ascent_m) if activity.ascent_m is not None else None,
            "pack_kg": pack, "activity": activity.sport.value, "source": "file",
            "file_hash": activity.fingerprint}


def _summary(activity: Activity, when: str, pack: float | None) -> str:
    return ft.summary(when, activity.sport.value, activity.distance_m / 1000,
                      activity.ascent_m, activity.moving_s or activity.total_s, pack)


async def _enrich(turn: Turn, row: LoggedSession, activity: Activity, pack: float | None,
                  when: str) -> list[Outgoing]:
    """A typed "done" for the day's session, now with the file's figures."""
    pack = pack or row.pack_kg
    await turn.tx.amend_log(row, minutes=activity.minutes or row.minutes,
                            **_figures(activity, pack))
    return await _after(turn, row.day, [_summary(activity, when, pack), ft.ENRICHED])


async def _after(turn: Turn, day: date, lines: list[str]) -> list[Outgoing]:
    """The week so far and what comes next, after the summary lines."""
    f = await refresh(turn)
    week = f.week_counts()
    if week.planned:
        lines.append(t.week_count(week.done, week.planned, week.extra, f.streak()))
    nxt = f.next_session(max(day, turn.today))
    lines.append(t.next_up(label(nxt), nxt.day, f.today) if nxt else t.NOTHING_NEXT)
    return [Outgoing("\n".join(lines))]
