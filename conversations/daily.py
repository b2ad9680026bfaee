"""The daily conversation after onboarding: log sessions, answer questions, show the plan.

`active` handles free text in the ACTIVE state through the intent classifier; the
command handlers (`/today`, `/plan`, ...) share the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from conversations import daily_texts as t
from conversations import plan_texts as pt
from conversations.history import load, logged_on
from conversations.intents import Intent, Parsed, classify, confirmation, normalise, pain_signs
from conversations.messages import Attachment, Outgoing
from conversations.parsing.amounts import Amounts, activity_word, amounts
from conversations.plans import rebuild_plan
from conversations.states import State
from conversations.turn import Turn
from planner import (
    History,
    LogKind,
    Profile,
    Session,
    SessionType,
    build_plan,
    pain_advice,
    readiness,
    session_for,
    should_run,
    sickness_advice,
    week_of,
)
from planner.sessions import RUNNING_TYPES
from storage import LoggedSession, UserStatus

IntentHandler = Callable[[Turn, Parsed], Awaitable[list[Outgoing]]]


@dataclass
class Facts:
    """What the daily handlers need about a user at one moment."""

    profile: Profile
    history: History
    rows: list[LoggedSession]
    today: date


async def facts(turn: Turn) -> Facts:
    profile, history, rows = await load(turn.tx, turn.user)
    return Facts(profile, history, rows, turn.today)


def has_plan(turn: Turn) -> bool:
    p = turn.user.profile or {}
    return bool(p.get("trek_date") and p.get("start_date"))


def session_on(f: Facts, day: date) -> Session | None:
    """The plan's session for `day`; None outside the plan."""
    if day < f.profile.start_date or day >= f.profile.trek_date:
        return None
    return session_for(f.profile, f.history, day, f.today)


def label(s: Session) -> str:
    if not s.training:
        return "rest day"
    return f"{pt.session_name(s)} {pt.dose(s)}"


def training_days(f: Facts, until: date) -> list[Session]:
    """Planned training sessions from the start up to and including `until`."""
    plan = build_plan(f.profile, f.history, f.today)
    return [s for w in plan.weeks for s in w.sessions if s.training and s.day <= until]


def done_days(f: Facts) -> set[date]:
    return {e.day for e in f.history if e.kind is LogKind.DONE}


def streak(f: Facts) -> int:
    """Planned training sessions done in a row, counting back from the latest one due.

    Rest days and extra sessions neither count nor break it; a planned session that was
    skipped or never logged ends it; today's session, while still open, is passed over."""
    done = done_days(f)
    count = 0
    for s in reversed(training_days(f, f.today)):
        if s.day in done:
            count += 1
        elif s.day == f.today:
            continue  # today's session is still open
        else:
            break
    return count


@dataclass
class WeekCounts:
    """This plan week: planned sessions done (by day), extras on other days, minutes."""

    done: int = 0
    planned: int = 0
    extra: int = 0
    minutes_done: int = 0
    minutes_planned: int = 0


def week_counts(f: Facts) -> WeekCounts:
    if not f.profile.start_date <= f.today < f.profile.trek_date:
        return WeekCounts()
    week = week_of(f.profile, f.history, f.today, f.today)
    planned = [s for s in week.sessions if s.training]
    planned_days = {s.day for s in planned}
    done = [e for e in f.history
            if e.kind is LogKind.DONE and week.start <= e.day <= week.end]
    days = {e.day for e in done}
    return WeekCounts(len(days & planned_days), len(planned), len(days - planned_days),
                      sum(e.minutes or 0 for e in done), sum(s.minutes for s in planned))


def next_session(f: Facts, after: date) -> Session | None:
    day = after + timedelta(days=1)
    while day < f.profile.trek_date:
        s = session_on(f, day)
        if s is not None and s.training:
            return s
        day += timedelta(days=1)
    return None


async def refresh(turn: Turn) -> Facts:
    """Rebuild the stored plan after a change and reload what the replies need."""
    await rebuild_plan(turn.tx, turn.user, turn.today)
    return await facts(turn)


# -- logging ----------------------------------------------------------------------------


def _day(turn: Turn, parsed: Parsed) -> date:
    return turn.today - timedelta(days=1) if parsed.day == "yesterday" else turn.today


async def log_done(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    f = await facts(turn)
    day = _day(turn, parsed)
    if logged_on(f.rows, day, LogKind.DONE) is not None:
        replies = [Outgoing(t.already_done(day, f.today))]
        return replies + (await pain(turn, parsed) if parsed.mentions_pain else [])
    planned = session_on(f, day)
    skipped_row = logged_on(f.rows, day, LogKind.SKIPPED)
    if skipped_row is not None:
        await turn.tx.session.delete(skipped_row)  # done after all: the miss no longer holds
    training = planned is not None and planned.training
    said = amounts(turn.text)
    # A plain "done" on a rest day answers the rest-day message's easy walk or mobility.
    recovery = (planned is not None and not training and parsed.minutes is None
                and not said.any)
    minutes = parsed.minutes if parsed.minutes is not None else (
        _planned_minutes(planned, said) if training and planned is not None
        else t.RECOVERY_MINUTES if recovery else None)
    kind = planned.type.value if (training or recovery) and planned is not None else None
    rich = _measures(planned if training else None, said, turn.text)
    await turn.tx.add_log(LoggedSession(
        user_id=turn.user.id, day=day, kind=LogKind.DONE.value, session_type=kind,
        minutes=minutes, effort=parsed.effort, feeling=parsed.feeling,
        message_id=turn.incoming.message_id, note=turn.text[:200], source="chat", **rich,
    ))
    what = (pt.NAMES[planned.type] if training and planned is not None
            else t.RECOVERY_DONE if recovery else t.EXTRA)
    lines = [t.logged(what, minutes, parsed.effort, parsed.feeling, day, turn.today,
                      t.measured(said.distance_km, said.climb_m, said.floors, said.pack_kg))]
    extra = t.done_after_hard(parsed.feeling, parsed.effort)
    if planned is not None and not planned.training:
        extra = t.REST_DAY_EASY if recovery else t.REST_DAY_DONE
    if extra:
        lines.append(extra)
    replies: list[Outgoing] = []
    if parsed.mentions_pain and parsed.pain is not None:
        await _add_pain(turn, f, parsed.pain, parsed.pain_area)
    f = await refresh(turn)
    week = week_counts(f)
    if week.planned:
        lines.append(t.week_count(week.done, week.planned, week.extra, streak(f)))
    nxt = next_session(f, max(day, turn.today))
    lines.append(t.next_up(label(nxt), nxt.day, f.today) if nxt else t.NOTHING_NEXT)
    replies.append(Outgoing("\n".join(lines)))
    if parsed.mentions_pain:
        replies += await pain(turn, parsed, log=False)
    return replies


def _planned_minutes(planned: Session, said: Amounts) -> int:
    """A plain "done" did the planned minutes; "24 floors" on a stairs day scales them."""
    if said.floors and planned.floors and planned.type is SessionType.STAIRS:
        return max(1, round(planned.minutes * said.floors / planned.floors))
    return planned.minutes


def _measures(planned: Session | None, said: Amounts, text: str) -> dict[str, Any]:
    """The log row's measured fields: what was said, else what the planned session asked."""
    stairs = planned is not None and planned.type is SessionType.STAIRS
    return {
        "distance_km": said.distance_km, "climb_m": said.climb_m,
        "floors": said.floors or (planned.floors if stairs and planned else None),
        "pack_kg": said.pack_kg or (planned.pack_kg if planned is not None else None),
        "activity": activity_word(text) or (ACTIVITY_OF.get(planned.type) if planned else None),
    }


# What a planned session is, in the words of activity files.
ACTIVITY_OF: dict[SessionType, str] = {
    **{k: "run" for k in RUNNING_TYPES}, SessionType.BACKPACK_WALK: "walk",
    SessionType.EASY_WALK: "walk", SessionType.STAIRS: "stairs", SessionType.CYCLING: "ride",
}


async def log_skip(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    f = await facts(turn)
    day = _day(turn, parsed)
    if logged_on(f.rows, day, LogKind.DONE) is not None:
        return [Outgoing(t.skip_after_done(day, f.today))]
    if logged_on(f.rows, day, LogKind.SKIPPED) is not None:
        return [Outgoing(t.already_skipped(day, f.today))]
    if day < f.profile.start_date:
        if f.today >= f.profile.start_date:
            return [Outgoing(t.nothing_to_miss(day, f.profile.start_date, f.today))]
        return [Outgoing(t.before_start(f.profile.start_date))]
    if day >= f.profile.trek_date:
        return [Outgoing(t.TREK_TIME)]
    planned = session_on(f, day)
    if planned is not None and not planned.training:
        return [Outgoing(t.skip_rest_day(day, f.today))]
    await turn.tx.add_log(LoggedSession(
        user_id=turn.user.id, day=day, kind=LogKind.SKIPPED.value,
        session_type=planned.type.value if planned is not None else None,
        message_id=turn.incoming.message_id, note=turn.text[:200],
    ))
    f = await refresh(turn)
    nxt = next_session(f, turn.today - timedelta(days=1) if day < turn.today else turn.today)
    lines = [t.skipped(day, f.today)]
    lines.append(t.next_up(label(nxt), nxt.day, f.today) if nxt else t.NOTHING_NEXT)
    return [Outgoing("\n".join(lines))]


async def _add_pain(turn: Turn, f: Facts, score: int, area: str | None) -> None:
    row = logged_on(f.rows, turn.today, LogKind.PAIN)
    if row is not None and (row.pain_area == area or area is None):
        row.pain = max(score, row.pain or 0)
        return
    await turn.tx.add_log(LoggedSession(
        user_id=turn.user.id, day=turn.today, kind=LogKind.PAIN.value, pain=score,
        pain_area=area, message_id=turn.incoming.message_id, note=turn.text[:200],
    ))


def _signs(parsed: Parsed) -> list[str]:
    """The warning signs in a pain report, by name."""
    return [name for name in t.SIGNS if getattr(parsed, name)]


def _recent_area(f: Facts) -> str | None:
    """The area of the latest pain logged today or yesterday ("still hurts" names none)."""
    rows = [r for r in f.rows if r.kind == LogKind.PAIN and r.pain_area
            and (f.today - r.day).days <= 1]
    return rows[-1].pain_area if rows else None


async def pain(turn: Turn, parsed: Parsed, log: bool = True) -> list[Outgoing]:
    """Pain: the traffic light, plus a physiotherapist or doctor for warning signs
    (swelling, worse while moving, lasting past the next day). `log=False` when a "done"
    already logged the score."""
    f = await facts(turn)
    area = parsed.pain_area or (_recent_area(f) if parsed.lasting else None)
    signs = _signs(parsed)
    why = t.signs_text(signs)
    if parsed.pain is None:
        turn.user.context = {**(turn.user.context or {}), "pending": "pain_score",
                             "pain_area": area, "pain_signs": signs}
        return [Outgoing(t.ask_pain_score(area, why))]
    if log:
        await _add_pain(turn, f, parsed.pain, area)
    f = await refresh(turn)
    advice = pain_advice(parsed.pain, area, worse_during=parsed.worse_during,
                         lasts_past_next_day=parsed.lasting, swelling=parsed.swelling)
    lines = [pt.pain_text(advice, why)]
    today = session_on(f, f.today)
    if log and today is not None and logged_on(f.rows, f.today, LogKind.DONE) is None:
        lines.append(t.now_today(label(today)))
    return [Outgoing("\n".join(lines))]


async def sick(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    kind = parsed.sickness or "unwell"
    f = await facts(turn)
    row = logged_on(f.rows, turn.today, LogKind.SICK)
    if row is not None:
        row.sickness = kind
    else:
        await turn.tx.add_log(LoggedSession(
            user_id=turn.user.id, day=turn.today, kind=LogKind.SICK.value, sickness=kind,
            message_id=turn.incoming.message_id, note=turn.text[:200],
        ))
    f = await refresh(turn)
    lines = [pt.sick_text(sickness_advice(kind))]
    if kind == "unwell":
        lines.append(t.UNWELL_HINT)
    today = session_on(f, f.today)
    if today is not None and logged_on(f.rows, f.today, LogKind.DONE) is None:
        lines.append(t.now_today(label(today)))
    return [Outgoing("\n".join(lines))]


# -- questions and views -----------------------------------------------------------------


async def run_question(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    f = await facts(turn)
    if f.today < f.profile.start_date:
        return [Outgoing(t.before_start(f.profile.start_date))]
    trained = logged_on(f.rows, f.today, LogKind.DONE) is not None
    return [Outgoing(pt.verdict_text(should_run(f.profile, f.history, f.today, trained)))]


async def today(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    f = await facts(turn)
    if f.today < f.profile.start_date:
        return [Outgoing(t.before_start(f.profile.start_date))]
    s = session_on(f, f.today)
    if s is None:
        return [Outgoing(t.TREK_TIME)]
    lines = [t.today_head(f.today), pt.session_text(s)]
    if logged_on(f.rows, f.today, LogKind.DONE) is not None:
        lines.append(t.TODAY_DONE)
    return [Outgoing("\n".join(lines))]


async def plan(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    f = await facts(turn)
    day = max(f.today, f.profile.start_date)
    if day >= f.profile.trek_date:
        return [Outgoing(t.TREK_TIME)]
    week = week_of(f.profile, f.history, day, f.today)
    return [Outgoing(pt.week_text(week, f.today, done_days(f)))]


async def progress(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    from conversations.chart import weekly_chart

    f = await facts(turn)
    done = {d for d in done_days(f) if f.profile.start_date <= d <= f.today}
    planned_days = {s.day for s in training_days(f, f.today)}
    due = {d for d in planned_days if d < f.today or d in done}
    week = week_counts(f)
    weeks_left = max(0, (f.profile.trek_date - f.today).days // 7)
    text = t.progress_lines(len(done & due), len(due), len(done - planned_days), streak(f),
                            week.minutes_done, week.minutes_planned, weeks_left)
    text += "\n" + pt.readiness_text(readiness(f.profile, f.history, f.today))
    png = weekly_chart(f.profile, f.history, f.today)
    return [
        Outgoing(text),
        Outgoing(t.CHART_CAPTION,
                 attachment=Attachment("progress.png", png, "image/png", is_image=True)),
    ]


async def export(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    from conversations.export import CalendarOwner, calendar_ics, log_csv
    from conversations.feed import feed_path

    f = await facts(turn)
    plan_ = build_plan(f.profile, f.history, f.today)
    owner = CalendarOwner(f"{turn.user.channel}-{turn.user.id}", f.profile.trek_date,
                          turn.user.reminder_minutes)
    ics = calendar_ics(plan_, f.today, owner, stamp=turn.now)
    csv = log_csv(f.rows)
    intro = t.EXPORT_INTRO + "\n" + t.EXPORT_ICS
    if turn.public_url:
        intro += "\n" + t.export_feed(turn.public_url + feed_path(turn.user))
    return [
        Outgoing(intro,
                 attachment=Attachment("trek-plan.ics", ics, "text/calendar")),
        Outgoing(t.EXPORT_CSV, attachment=Attachment("trek-log.csv", csv, "text/csv")),
    ]


async def help_(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    return [Outgoing(t.HELP)]


async def unknown(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    return [Outgoing(t.UNKNOWN)]


async def greeting(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    return [Outgoing(t.GREETING)]


async def thanks(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    return [Outgoing(t.THANKS)]


# -- account --------------------------------------------------------------------------


async def pause(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    if turn.user.status == UserStatus.PAUSED:
        return [Outgoing(t.ALREADY_PAUSED)]
    turn.user.status = UserStatus.PAUSED.value
    return [Outgoing(t.PAUSED)]


async def resume(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    from conversations.settings_talk import reschedule

    if turn.user.status == UserStatus.ACTIVE:
        return [Outgoing(t.ALREADY_ACTIVE)]
    turn.user.status = UserStatus.ACTIVE.value
    return [Outgoing(t.resumed(reschedule(turn)))]


def _remember_state(turn: Turn) -> None:
    if turn.state not in (State.CONFIRM_RESET, State.CONFIRM_DELETE):
        turn.user.context = {**(turn.user.context or {}), "return_to": turn.state.value}


def _go_back(turn: Turn) -> None:
    ctx = dict(turn.user.context or {})
    turn.go(State(ctx.pop("return_to", State.ACTIVE.value)))
    turn.user.context = ctx


async def ask_reset(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    _remember_state(turn)
    turn.go(State.CONFIRM_RESET)
    return [Outgoing(t.CONFIRM_RESET)]


async def ask_delete(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    _remember_state(turn)
    turn.go(State.CONFIRM_DELETE)
    return [Outgoing(t.CONFIRM_DELETE)]


async def confirm_reset(turn: Turn) -> list[Outgoing]:
    answer = confirmation(turn.text)
    if answer is None:
        return [Outgoing(t.CONFIRM_AGAIN)]
    if not answer:
        _go_back(turn)
        return [Outgoing(t.RESET_CANCELLED)]
    from conversations.handlers import STATES, welcome

    await turn.tx.replace_plan(turn.user.id, [])
    turn.user.context = {}
    turn.go(State.NEW)
    replies = await STATES.get(State.NEW, welcome)(turn)
    # no reminders until onboarding completes again
    turn.user.status = UserStatus.STOPPED.value
    turn.user.next_prompt_at = None
    return replies


async def confirm_delete(turn: Turn) -> list[Outgoing]:
    answer = confirmation(turn.text)
    if answer is None:
        return [Outgoing(t.CONFIRM_AGAIN)]
    if not answer:
        _go_back(turn)
        return [Outgoing(t.DELETE_CANCELLED)]
    await turn.tx.delete_user(turn.user.id)
    return [Outgoing(t.DELETED)]


# -- dispatch ---------------------------------------------------------------------------


def _settings(name: str) -> IntentHandler:
    async def call(turn: Turn, parsed: Parsed) -> list[Outgoing]:
        from conversations import settings_talk

        handler: IntentHandler = getattr(settings_talk, name)
        return await handler(turn, parsed)

    return call


INTENTS: dict[Intent, IntentHandler] = {
    Intent.DONE: log_done,
    Intent.SKIP: log_skip,
    Intent.SHOULD_RUN: run_question,
    Intent.TODAY: today,
    Intent.PLAN: plan,
    Intent.PROGRESS: progress,
    Intent.PAIN: pain,
    Intent.SICK: sick,
    Intent.HELP: help_,
    Intent.SET_REMINDER: _settings("set_reminder"),
    Intent.SET_TIMEZONE: _settings("set_timezone"),
    Intent.SET_DAYS: _settings("set_days"),
    Intent.SET_TREK_DATE: _settings("set_trek_date"),
    Intent.SET_NUDGE: _settings("set_nudge"),
    Intent.PAUSE: pause,
    Intent.RESUME: resume,
    Intent.RESET: ask_reset,
    Intent.DELETE: ask_delete,
    Intent.EXPORT: export,
    Intent.GREETING: greeting,
    Intent.THANKS: thanks,
    Intent.UNKNOWN: unknown,
}


_SCORE_REPLY = re.compile(
    r"(?:about|around|maybe|like|its|it is|a|i d say|id say|say)?\s*(\d{1,2})"
    r"(?:\s*(?:/|out of)\s*10)?\b(.*)")


def _pending_pain(turn: Turn) -> Parsed | None:
    """A number answering 'how bad is it, 0-10?' (perhaps with more words: "4, swollen").

    The warning signs of the first message are kept; anything else is classified as usual,
    and a pain report without a score keeps those signs too."""
    ctx = turn.user.context or {}
    if ctx.get("pending") != "pain_score":
        return None
    turn.user.context = {k: v for k, v in ctx.items()
                         if k not in ("pending", "pain_area", "pain_signs")}
    before = set(ctx.get("pain_signs") or ())
    m = _SCORE_REPLY.fullmatch(normalise(turn.text))
    if m and 0 <= int(m.group(1)) <= 10:
        signs = before | {k for k, v in pain_signs(m.group(2)).items() if v}
        return Parsed(Intent.PAIN, pain=int(m.group(1)), pain_area=ctx.get("pain_area"),
                      **{name: name in signs for name in t.SIGNS})
    parsed = classify(turn.text)
    if parsed.intent is Intent.PAIN and before:
        signs = before | set(_signs(parsed))
        return replace(parsed, pain_area=parsed.pain_area or ctx.get("pain_area"),
                       **{name: name in signs for name in t.SIGNS})
    return parsed


async def active(turn: Turn) -> list[Outgoing]:
    """A message in the ACTIVE state."""
    parsed = _pending_pain(turn) or classify(turn.text)
    return await INTENTS[parsed.intent](turn, parsed)


def command(intent: Intent) -> Callable[[Turn], Awaitable[list[Outgoing]]]:
    """A /command for `intent`: the rest of the message is read as its details."""

    async def run(turn: Turn) -> list[Outgoing]:
        if not has_plan(turn) or turn.state not in (State.ACTIVE, State.CONFIRM_DELETE,
                                                    State.CONFIRM_RESET):
            if intent is Intent.DELETE:
                return await ask_delete(turn)
            if intent is Intent.RESET:
                return await ask_reset(turn)
            return [Outgoing(t.NOT_READY)]
        if turn.state is not State.ACTIVE:
            _go_back(turn)
        rest = turn.text.split(maxsplit=1)[1] if len(turn.text.split()) > 1 else ""
        parsed = classify(rest) if rest else Parsed(intent)
        if parsed.intent is not intent:
            parsed = Parsed(intent, minutes=parsed.minutes, effort=parsed.effort,
                            feeling=parsed.feeling, day=parsed.day, text=parsed.text)
        return await INTENTS[intent](turn, parsed)

    return run
