"""Logging in the daily conversation: done, skipped, pain and sickness reports.

Each writes through `storage.Tx` verbs, rebuilds the stored plan and answers with what
changed and what comes next.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from conversations import daily_texts as t
from conversations import follow_up_texts as FT
from conversations import plan_texts as pt
from conversations.context import PAIN_SCORE
from conversations.facts import Facts, facts, label, refresh
from conversations.file_log import session_done
from conversations.history import logged_on
from conversations.intent import Parsed
from conversations.log_day import LogTarget, matches, target
from conversations.messages import Outgoing
from conversations.parsing.amounts import Amounts, activity_word, amounts, without_amounts
from conversations.parsing.numbers import minutes_in
from conversations.parsing.sentence import normalise
from conversations.turn import Turn
from planner import LogKind, Session, SessionType, pain_advice, sickness_advice
from planner.sessions import RUNNING_TYPES
from storage import LoggedSession


def _day(turn: Turn, parsed: Parsed) -> date:
    return turn.today - timedelta(days=1) if parsed.day == "yesterday" else turn.today


def _note(turn: Turn) -> dict[str, str | None]:
    """Where a log entry came from: the message id and the first 200 characters."""
    return {"message_id": turn.incoming.message_id, "note": turn.text[:200]}


def _done_lines(parsed: Parsed, planned: Session | None, minutes: int | None,
                recovery: bool, day: date, f: Facts, said: Amounts,
                named: str | None = None) -> list[str]:
    today = f.today
    training = planned is not None and planned.training
    what = (pt.NAMES[planned.type] if training and planned is not None
            else named if named is not None
            else t.RECOVERY_DONE if recovery else t.EXTRA)
    lines = [t.logged(what, minutes, parsed.effort, parsed.feeling, day, today,
                      t.measured(said.distance_km, said.climb_m, said.floors, said.pack_kg,
                                 said.squats))]
    after = f.session_on(day + timedelta(days=1))
    extra = t.done_after_hard(parsed.feeling, parsed.effort,
                              rest_tomorrow=after is None or not after.training)
    if planned is not None and not planned.training:
        extra = t.REST_DAY_EASY if recovery else t.REST_DAY_DONE
    if extra:
        lines.append(extra)
    return lines


def _next_line(f: Facts, after: date) -> str:
    nxt = f.next_session(after)
    return t.next_up(label(nxt), nxt.day, f.today) if nxt else t.NOTHING_NEXT


def _cannot_log(f: Facts, aim: LogTarget) -> str | None:
    """Why a done log cannot go where it points (a future day, before the plan)."""
    if aim.future:
        return t.LOG_FUTURE
    if aim.day < f.profile.start_date:
        return t.log_before_plan(aim.day, f.profile.start_date)
    return None


def _another(row: LoggedSession, aim: LogTarget) -> bool:
    """A second session of another type on a day already logged ("I also did the run")."""
    return (aim.named is not None and row.session_type is not None
            and row.session_type != aim.named.value)


async def log_done(turn: Turn, parsed: Parsed, on: date | None = None) -> list[Outgoing]:
    """A done log; ``on``: the day it is for when the caller knows it ("done on Sunday
    instead of Saturday" names two days)."""
    f = await facts(turn)
    aim = target(turn.text, turn.today, parsed.day == "yesterday")
    if on is not None:
        aim = replace(aim, day=on, future=False)
    why_not = _cannot_log(f, aim)
    if why_not is not None:
        return [Outgoing(why_not)]
    day = aim.day
    if parsed.effort_only:
        return await _felt(turn, f, parsed, day)
    already = session_done(f.rows, day)  # a ride file on a walk day leaves the walk open
    if already is not None and not _another(already, aim):
        added = await _add_results(turn, already, amounts(turn.text))
        replies = [Outgoing(t.results_added(added, day, f.today) if added
                            else t.already_done(day, f.today))]
        return replies + (await pain(turn, parsed) if parsed.mentions_pain else [])
    return await _log_new(turn, f, parsed, aim, already is not None)


async def _log_new(turn: Turn, f: Facts, parsed: Parsed, aim: LogTarget, second: bool
                   ) -> list[Outgoing]:
    """Log a done session on ``aim.day`` (``second``: another one that day)."""
    day = aim.day
    planned = f.session_on(day)
    named = aim.named if aim.named is not None and not matches(aim.named, planned) else None
    shown = named  # what the reply calls it
    if second or (named is not None and planned is not None and planned.training):
        planned = None  # another session than the planned one: logged as what was named
    else:
        named = None  # a rest day or no plan: stored as an extra session, as before
    skipped_row = logged_on(f.rows, day, LogKind.SKIPPED)
    if skipped_row is not None:
        await turn.tx.unlog(skipped_row)  # done after all: the miss no longer holds
    training = planned is not None and planned.training
    said = amounts(turn.text)
    # A plain "done" on a rest day answers the rest-day message's easy walk or mobility.
    recovery = (planned is not None and not training and parsed.minutes is None
                and not said.any)
    minutes = parsed.minutes if parsed.minutes is not None else (
        _planned_minutes(planned, said) if training and planned is not None
        else t.RECOVERY_MINUTES if recovery else None)
    kind = (planned.type.value if (training or recovery) and planned is not None
            else named.value if named is not None else None)
    measures = _measures(planned if training else None, said, turn.text)
    if measures["activity"] is None and named is not None:
        measures["activity"] = ACTIVITY_OF.get(named)
    estimated = minutes is None and measures["activity"] in ("walk", "hike")
    if estimated and said.distance_km:
        minutes = walking_minutes(said.distance_km, said.climb_m)
    await turn.tx.log(turn.user.id, day, LogKind.DONE.value, session_type=kind,
                      minutes=minutes, effort=parsed.effort, feeling=parsed.feeling,
                      source="chat", **measures, **_note(turn))
    if parsed.mentions_pain and parsed.pain is not None:
        await _add_pain(turn, f, parsed.pain, parsed.pain_area)
    f = await refresh(turn)
    what = (pt.NAMES[named] if named is not None
            else f"{t.EXTRA} ({pt.NAMES[shown].lower()})" if shown is not None and not recovery
            else None)
    lines = _done_lines(parsed, planned, minutes, recovery, day, f, said, what)
    if estimated and minutes is not None:
        lines.insert(1, t.walk_estimate(minutes))
    if aim.sore_area is not None and not parsed.mentions_pain:
        lines.insert(1, t.sore_note(FT.area_name(aim.sore_area)))
    week = f.week_counts()
    if week.planned:
        lines.append(t.week_count(week.done, week.planned, week.extra, f.streak()))
    lines.append(_next_line(f, max(day, turn.today)))
    replies = [Outgoing("\n".join(lines))]
    if parsed.mentions_pain:
        replies += await pain(turn, parsed, log=False)
    return replies


async def _felt(turn: Turn, f: Facts, parsed: Parsed, day: date) -> list[Outgoing]:
    """"that was really hard": the feeling (or effort) of the session logged that day; asks
    which session when none is logged."""
    row = logged_on(f.rows, day, LogKind.DONE)
    if row is None:
        planned = f.session_on(day)
        name = label(planned) if planned is not None and planned.training else None
        return [Outgoing(t.which_session(day, f.today, name))]
    await turn.tx.amend_log(row, feeling=parsed.feeling or row.feeling,
                            effort=parsed.effort if parsed.effort is not None else row.effort)
    f = await refresh(turn)
    kind = SessionType(row.session_type) if row.session_type in _TYPE_VALUES else None
    what = pt.NAMES[kind] if kind is not None else t.EXTRA
    lines = [t.effort_noted(what, parsed.feeling, parsed.effort, day, f.today)]
    after = f.session_on(day + timedelta(days=1))
    extra = t.done_after_hard(parsed.feeling, parsed.effort,
                              rest_tomorrow=after is None or not after.training)
    if extra:
        lines.append(extra)
    lines.append(_next_line(f, max(day, turn.today)))
    return [Outgoing("\n".join(lines))]


_TYPE_VALUES = {k.value for k in SessionType}


async def _add_results(turn: Turn, row: Any, said: Amounts) -> list[str]:
    """A test result said after the day was logged ("30 squats", "22 floors with 8 kg"):
    added to the day's done entry; what was added, in a few words."""
    fields = {k: v for k, v in (("distance_km", said.distance_km), ("climb_m", said.climb_m),
                                ("floors", said.floors), ("pack_kg", said.pack_kg),
                                ("reps", said.squats)) if v is not None}
    if not fields:
        return []
    timed = minutes_in(normalise(without_amounts(turn.text.lower())))
    run = row.session_type in {x.value for x in RUNNING_TYPES} or row.activity == "run"
    if timed is not None and said.distance_km is not None and run and not row.distance_km:
        fields["minutes"] = timed  # "5 km in 41 min" after "done" on a run day: that run
    await turn.tx.amend_log(row, **fields)
    await refresh(turn)
    return t.measured(said.distance_km, said.climb_m, said.floors, said.pack_kg, said.squats)


def walking_minutes(km: float, climb_m: int | None) -> int:
    """Naismith's rule: 5 km an hour, plus 10 minutes for every 100 m up."""
    return round(km * 12 + (climb_m or 0) / 10)


def _planned_minutes(planned: Session, said: Amounts) -> int:
    """A plain "done" did the planned minutes; "24 floors" on a stairs day scales them."""
    if said.floors and planned.floors and planned.type is SessionType.STAIRS:
        return max(1, round(planned.minutes * said.floors / planned.floors))
    return planned.minutes


# What a planned session is, in the words of activity files.
ACTIVITY_OF: dict[SessionType, str] = {
    **{k: "run" for k in RUNNING_TYPES}, SessionType.BACKPACK_WALK: "walk",
    SessionType.EASY_WALK: "walk", SessionType.STAIRS: "stairs", SessionType.CYCLING: "ride",
}


def _measures(planned: Session | None, said: Amounts, text: str) -> dict[str, Any]:
    """The log row's measured fields: what was said, else what the planned session asked."""
    stairs = planned is not None and planned.type is SessionType.STAIRS
    return {
        "distance_km": said.distance_km, "climb_m": said.climb_m,
        "floors": said.floors or (planned.floors if stairs and planned else None),
        "pack_kg": said.pack_kg or (planned.pack_kg if planned is not None else None),
        "reps": said.squats,
        "activity": activity_word(text) or (ACTIVITY_OF.get(planned.type) if planned else None),
    }


def _cannot_skip(f: Facts, day: date) -> str | None:
    """Why `day` cannot be logged as skipped; None when it can."""
    if logged_on(f.rows, day, LogKind.DONE) is not None:
        return t.skip_after_done(day, f.today)
    if logged_on(f.rows, day, LogKind.SKIPPED) is not None:
        return t.already_skipped(day, f.today)
    if day < f.profile.start_date:
        if f.today >= f.profile.start_date:
            return t.nothing_to_miss(day, f.profile.start_date, f.today)
        return t.before_start(f.profile.start_date)
    if day >= f.profile.trek_date:
        return t.TREK_TIME
    planned = f.session_on(day)
    if planned is not None and not planned.training:
        return t.skip_rest_day(day, f.today)
    return None


_WEEKDAY = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_SKIPPED_WORDS = {"skipped", "missed", "didnt", "couldnt", "bailed"}  # a past day named


def _skip_day(turn: Turn, parsed: Parsed) -> date:
    """The day a skip is for: "skip saturday" the coming Saturday (today when it is
    Saturday), "I skipped saturday" the last one; else today or yesterday."""
    if parsed.on_day is None:
        return _day(turn, parsed)
    wd, today = _WEEKDAY[parsed.on_day], turn.today
    if set(parsed.text.split()) & _SKIPPED_WORDS:
        return today - timedelta(days=(today.weekday() - wd) % 7)
    return today + timedelta(days=(wd - today.weekday()) % 7)


async def log_skip(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    f = await facts(turn)
    day = _skip_day(turn, parsed)
    why_not = _cannot_skip(f, day)
    if why_not is not None:
        return [Outgoing(why_not)]
    planned = f.session_on(day)
    await turn.tx.log(turn.user.id, day, LogKind.SKIPPED.value,
                      session_type=planned.type.value if planned is not None else None,
                      **_note(turn))
    f = await refresh(turn)
    if day > turn.today:  # a coming day: the next session other than that one
        nxt = f.next_session(turn.today)
        after = day if nxt is not None and nxt.day == day else turn.today
        return [Outgoing("\n".join([t.skip_ahead(day, f.today), _next_line(f, after)]))]
    after = turn.today - timedelta(days=1) if day < turn.today else turn.today
    return [Outgoing("\n".join([t.skipped(day, f.today), _next_line(f, after)]))]


async def _add_pain(turn: Turn, f: Facts, score: int, area: str | None) -> None:
    row = logged_on(f.rows, turn.today, LogKind.PAIN)
    if row is not None and (row.pain_area == area or area is None):
        await turn.tx.amend_log(row, pain=max(score, row.pain or 0))
        return
    await turn.tx.log(turn.user.id, turn.today, LogKind.PAIN.value, pain=score,
                      pain_area=area, **_note(turn))


def signs_of(parsed: Parsed) -> list[str]:
    """The warning signs in a pain report, by name."""
    return [name for name in t.SIGNS if getattr(parsed, name)]


def _recent_area(f: Facts) -> str | None:
    """The area of the latest pain logged today or yesterday ("still hurts" names none)."""
    rows = [r for r in f.rows if r.kind == LogKind.PAIN and r.pain_area
            and (f.today - r.day).days <= 1]
    return rows[-1].pain_area if rows else None


def _now_today(f: Facts) -> list[str]:
    """Today's (possibly changed) session, unless it is already done."""
    today = f.session_on(f.today)
    if today is not None and logged_on(f.rows, f.today, LogKind.DONE) is None:
        return [t.now_today(label(today))]
    return []


async def pain(turn: Turn, parsed: Parsed, log: bool = True) -> list[Outgoing]:
    """Pain: the traffic light, plus a physiotherapist or doctor for warning signs
    (swelling, worse while moving, lasting past the next day). `log=False` when a "done"
    already logged the score."""
    f = await facts(turn)
    area = parsed.pain_area or (_recent_area(f) if parsed.lasting else None)
    signs = signs_of(parsed)
    why = t.signs_text(signs)
    if parsed.pain is None:
        turn.update_context(pending=PAIN_SCORE, pain_area=area, pain_signs=signs)
        return [Outgoing(t.ask_pain_score(area, why))]
    if log:
        await _add_pain(turn, f, parsed.pain, area)
    f = await refresh(turn)
    advice = pain_advice(parsed.pain, area, worse_during=parsed.worse_during,
                         lasts_past_next_day=parsed.lasting, swelling=parsed.swelling)
    lines = [pt.pain_text(advice, why)]
    if log:
        lines += _now_today(f)
    return [Outgoing("\n".join(lines))]


RECOVERY_LOOKBACK = 14  # days: "it's gone" refers to an illness reported this recently


def _was_ill(f: Facts) -> bool:
    """A fever, chest or stomach illness (or "unwell") reported in the last two weeks."""
    return any(r.kind == LogKind.SICK and r.sickness not in (None, "cleared", "above_neck")
               and 0 <= (f.today - r.day).days <= RECOVERY_LOOKBACK for r in f.rows)


async def sick(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    kind = parsed.sickness or "unwell"
    f = await facts(turn)
    if kind == "cleared" and not _was_ill(f):
        return [Outgoing("\n".join([t.GLAD_FINE, *_now_today(f)]))]
    row = logged_on(f.rows, turn.today, LogKind.SICK)
    if row is not None and kind != "cleared":  # "it's gone" is its own entry
        await turn.tx.amend_log(row, sickness=kind)
    else:
        await turn.tx.log(turn.user.id, turn.today, LogKind.SICK.value, sickness=kind,
                          **_note(turn))
    f = await refresh(turn)
    lines = [pt.sick_text(sickness_advice(kind))]
    if kind == "unwell":
        lines.append(t.UNWELL_HINT)
    return [Outgoing("\n".join(lines + _now_today(f)))]
