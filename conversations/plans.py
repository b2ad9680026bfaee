"""The user's plan: the planner run on the stored profile and log, and its stored copy.

`rebuild_plan` keeps `planned_sessions` (one row per day from today to the trek) up to date
so the scheduler can read the day's message without running the planner for every user. It
writes only the days whose session changed: a message that changes one day writes one row.
The plan
depends on the day it is seen from (missed days make a bridge, a long silence a restart),
so the scheduler rolls each user's row for a morning forward before sending it
(`day_row`, as of that local day): the push names what `today` and `/plan` show.
`users.plan_for_prompt` says which morning the stored row was built for. The row of the
day being rolled (and today's) also carries the morning follow-up after a pain or sickness
report (`details["follow_up"]`, `conversations/follow_up.py`), which the push asks first.

Rows are frozen once given: a row whose day has passed, or that was sent (the morning
push) or shown (`today`, through `give`), is never rewritten, so `/plan` shows past days
as they were given (`given_sessions`), not as the plan would have them now.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from conversations.follow_up import as_details, due
from conversations.plan_texts import session_text
from conversations.profile import to_planner
from conversations.schedule import session_day
from planner import (
    Exercise,
    History,
    LogEntry,
    LogKind,
    Phase,
    Plan,
    Session,
    SessionType,
    build_plan,
    rest_day,
)
from storage import LoggedSession, StoredDay, Tx, User


def history_of(rows: Sequence[LoggedSession]) -> History:
    """Logged rows as the planner's history (rows it cannot read are left out)."""
    out: list[LogEntry] = []
    for r in rows:
        try:
            kind = LogKind(r.kind)
            stype = SessionType(r.session_type) if r.session_type else None
        except ValueError:
            continue
        out.append(LogEntry(day=r.day, kind=kind, session_type=stype, minutes=r.minutes,
                            effort=r.effort, feeling=r.feeling, pain=r.pain,
                            pain_area=r.pain_area, sickness=r.sickness,
                            distance_km=r.distance_km, climb_m=r.climb_m, floors=r.floors,
                            pack_kg=r.pack_kg, activity=r.activity, reps=r.reps))
    return tuple(out)


def days_of(plan: Plan, start: date, end: date) -> list[Session]:
    """One session per day in [start, end): planned ones, rest days in between."""
    out = []
    for w in plan.weeks:  # in day order, one after another
        if w.start + timedelta(days=w.days) <= start or w.start >= end:
            continue
        by_day = {s.day: s for s in w.sessions}
        for k in range(w.days):
            day = w.start + timedelta(days=k)
            if start <= day < end:
                found = by_day.get(day)
                out.append(found if found is not None else rest_day(day, w.phase))
    return out


_FIELDS = tuple(f.name for f in fields(Session) if f.name != "day")
_VALUES = attrgetter(*_FIELDS)  # a session's values of _FIELDS, as one tuple


def _plain(value: Any) -> Any:
    """A value as it comes back from the JSON column: tuples as lists, dataclasses as dicts."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def _details(s: Session) -> dict[str, Any]:
    """The session's fields but the day, as stored (empty ones left out). Shared between
    equal sessions (see `_stored_fields`): read it, never change it."""
    return _stored(s)[0]


def _stored(s: Session) -> tuple[dict[str, Any], str]:
    """`_details(s)` and its JSON text as the details column stores it."""
    values = _VALUES(s)
    return _stored_fields(values, tuple(map(type, values)))  # 10 and 10.0 apart


# Memoised on the session's fields but its day: a plan repeats a few dozen kinds of session
# over its weeks, and people with alike profiles share them, so a rebuild that compares every
# remaining day with its stored row converts only the sessions it has not seen. Bounded by
# entries (each a small dict, well under 1 KB): DETAILS_KEPT * ~1 KB at most.
DETAILS_KEPT = 20_000


@lru_cache(maxsize=DETAILS_KEPT)
def _stored_fields(values: tuple[Any, ...], _types: tuple[type, ...]
                   ) -> tuple[dict[str, Any], str]:
    out: dict[str, Any] = {}
    for name, v in zip(_FIELDS, values, strict=True):
        if v is None or v == "":
            continue
        out[name] = str(v) if name in ("type", "phase") else _plain(v)
    return out, json.dumps(out)  # the column's own serialiser (SQLAlchemy's default)


def _row(s: Session) -> tuple[dict[str, Any], str]:
    """The row to store for `s`, and its details as JSON text (to compare, not written)."""
    details, text = _stored(s)
    return {"day": s.day, "session_type": s.type.value, "minutes": s.minutes, "hard": s.hard,
            "details": details}, text


def _same(row: dict[str, Any], text: str, old: StoredDay) -> bool:
    """Whether `row` (from `_row`), with its details as JSON `text`, is what `old` (read
    with `plan_rows_since`) holds."""
    return (row["session_type"] == old.session_type and row["minutes"] == old.minutes
            and row["hard"] == old.hard and text == old.details)


PlanRow = tuple[date, str, int, bool, dict[str, Any], str]  # day, type, min, hard, details, text


def row_of(s: Session) -> PlanRow:
    """A session as a planned_sessions row's values."""
    return (s.day, s.type.value, s.minutes, s.hard, _details(s), session_text(s))


def day_row(profile: dict[str, Any], history: History, day: date,
            asked_on: date | None = None) -> PlanRow | None:
    """The row for ``day`` as the plan stands that day (None outside the plan), with the
    follow-up the push naming it asks: the one open on ``asked_on`` (an evening preview,
    sent the day before) or else on ``day`` (the morning message)."""
    try:
        trek = date.fromisoformat(profile["trek_date"])
    except (KeyError, TypeError, ValueError):
        return None
    if day >= trek:
        return None
    found = days_of(build_plan(to_planner(profile), history, day), day,
                    day + timedelta(days=1))
    if not found:
        return None
    at, kind, minutes, hard, details, text = row_of(found[0])
    asks = as_details(due(history, asked_on or day))
    return at, kind, minutes, hard, {**details, **asks}, text


def fresh_for(user: User, today: date) -> Any:
    """The morning prompt the rows rebuilt ``today`` are right for: the next one when the
    session it names is ``today``'s in the user's zone, else None (the scheduler rolls them
    first; an evening preview names tomorrow's, so it is always rolled)."""
    npa = user.next_prompt_at
    if npa is None or not user.timezone:
        return None
    try:
        local = npa.astimezone(ZoneInfo(user.timezone))
    except (KeyError, ValueError):
        return None
    return npa if session_day(local) == today else None


async def rebuild_plan(tx: Tx, user: User, today: date, history: History | None = None,
                       regive: Collection[date] = ()) -> Plan | None:
    """Bring the user's planned_sessions rows (today to the trek) up to date; returns the plan.

    `history` is the user's log as the planner reads it (loaded when not given). Only days
    whose session changed are written, with their text; the other rows stay as they are. A
    row's text follows from its other columns, so an unchanged session keeps its text; today's
    is checked all the same, and when the texts changed since the rows were written (a new
    release) every row is written again. Rows given (sent or shown) or past stay as they
    are, but for the days in `regive` from today on (the user moved that day's session
    themselves): those are written again and are no longer given."""
    user.plan_for_prompt = fresh_for(user, today)
    if not user.profile:
        return None
    if history is None:
        history = history_of(await tx.logs(user.id))
    profile = to_planner(user.profile)
    plan = build_plan(profile, history, today)
    sessions = days_of(plan, today, profile.trek_date)
    # From today on (past rows are never rewritten); details compared as JSON text.
    stored = await tx.plan_rows_since(user.id, today)
    frozen = {d for d, r in stored.items() if r.given and d not in regive}
    stored = {d: r for d, r in stored.items() if d not in frozen}
    first = stored.get(today)
    if sessions and first is not None and sessions[0].day == today \
            and _same(*_row(sessions[0]), first) \
            and first.text != session_text(sessions[0]):
        stored = {d: r._replace(details=None) for d, r in stored.items()}  # write them all
    changes: list[tuple[int | None, dict[str, Any]]] = []
    asks = as_details(due(history, today))  # the morning follow-up, on today's row
    for s in sessions:
        (row, text), old = _row(s), stored.get(s.day)
        if s.day == today and asks:
            row["details"] = {**row["details"], **asks}
            text = json.dumps(row["details"])
        again = s.day in regive and old is not None and old.given
        if s.day not in frozen and (again or old is None or not _same(row, text, old)):
            row["text"] = session_text(s)
            # Every written row is not (or no longer) given: a swapped given day is given
            # again by the next push. The same keys on every row: written in one statement.
            row["given"] = False
            changes.append((None if old is None else old.id, row))
    wanted = {s.day for s in sessions}
    await tx.write_plan(user.id, changes, [r.id for d, r in stored.items() if d not in wanted])
    return plan


async def give(tx: Tx, user: User, s: Session) -> None:
    """Freeze `s` as the session given for its day (shown by `today`), unless that day's
    session was given already (the morning push)."""
    day, kind, minutes, hard, details, text = row_of(s)
    await tx.give_day(user.id, {"day": day, "session_type": kind, "minutes": minutes,
                                "hard": hard, "details": details, "text": text})


def session_of(row: StoredDay) -> Session | None:
    """A stored row back as the session it was made from (None when it cannot be read)."""
    raw = row.details
    d = dict(json.loads(raw) if isinstance(raw, str) else raw or {})
    try:
        d = {k: v for k, v in d.items() if k in _FIELDS and k not in ("type", "minutes", "hard")}
        phase = Phase(d.pop("phase"))
        d["exercises"] = tuple(Exercise(**{**e, "reps": tuple(e["reps"])})
                               for e in d.get("exercises", ()))
        d["focus"] = tuple(d.get("focus", ()))
        if d.get("run_walk") is not None:
            d["run_walk"] = tuple(d["run_walk"])
        return Session(day=row.day, type=SessionType(row.session_type), minutes=row.minutes,
                       hard=row.hard, phase=phase, **d)
    except (KeyError, TypeError, ValueError):
        return None


async def given_sessions(tx: Tx, user: User, today: date) -> dict[date, Session]:
    """The sessions as given on the days before ``today`` (those with a stored row)."""
    out: dict[date, Session] = {}
    for day, row in (await tx.plan_rows(user.id)).items():
        if day < today:
            s = session_of(row)
            if s is not None:
                out[day] = s
    return out
