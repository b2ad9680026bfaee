"""Build the scheduler's messages as `Outgoing`: the day's session (or, for an evening
reminder, tomorrow's as a preview), recovery day, trek eve, evening nudge, and a generic
session when the stored plan has no row for the day.

Pure functions: the scheduler passes in what it read from the database (today's planned
row), so nothing here touches the planner or the store.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from conversations import prompt_texts as t
from conversations.follow_up import FollowUp, morning
from conversations.formatting import short_date
from conversations.messages import Choice, Outgoing

DONE = Choice("done", t.DONE_LABEL)
SKIP = Choice("skip", t.SKIP_LABEL)
SHOULD_RUN = Choice("should_run", t.SHOULD_RUN_LABEL)

RECOVERY_TYPE = "recovery"


class PromptKind(StrEnum):
    """What a scheduled send is; one of each per user and local date (`sent_prompts.kind`)."""

    DAILY = "daily"
    TREK_EVE = "trek_eve"
    NUDGE = "nudge"


class Content(StrEnum):
    """Which morning message was built (for counts and logs)."""

    SESSION = "session"
    RECOVERY = "recovery"
    GENERIC = "generic"
    TREK_EVE = "trek_eve"
    NUDGE = "nudge"


def _name(display_name: str | None) -> str:
    first = (display_name or "").strip().split(" ", 1)[0]
    return f", {first}" if first else ""


def _greeting(local_hour: int) -> str:
    if local_hour < 12:
        return t.GREETING["morning"]
    if local_hour < 18:
        return t.GREETING["afternoon"]
    return t.GREETING["evening"]


def daily(
    day: date,
    local_hour: int,
    display_name: str | None,
    session_type: str | None,
    session_text: str | None,
    plan_covers_day: bool,
    done: bool = False,
    follow_up: FollowUp | None = None,
) -> tuple[Content, list[Outgoing]]:
    """The morning message: the planned session, a recovery reminder, or a generic session.

    A session already logged as done (`done`) is acknowledged, not asked for again. No row
    on a day the plan covers is a recovery day; no row past the plan's end (or no
    plan at all) gets the generic session. The morning after a pain or sickness report
    (`follow_up`) the message asks how it is first, with the answers as its choices.
    """
    fields = _fields(day, local_hour, display_name)
    content, out = _daily(fields, session_type, session_text, plan_covers_day, done)
    if follow_up is not None and not done:
        out = _asking(out, fields, follow_up, t.SESSION_ASK, rest=content is Content.RECOVERY)
    return content, out


def _asking(out: list[Outgoing], fields: dict[str, str], follow_up: FollowUp, ask_line: str,
            rest: bool) -> list[Outgoing]:
    """The message with the open follow-up asked first (morning and evening alike)."""
    head = f"{fields['greeting']}{fields['name']}! "
    return [morning(out[0].text, head, follow_up, ask_line, rest=rest), *out[1:]]


def _fields(day: date, local_hour: int, display_name: str | None) -> dict[str, str]:
    return {"greeting": _greeting(local_hour), "name": _name(display_name),
            "day": short_date(day)}


def _content(session_type: str | None, session_text: str | None,
             plan_covers_day: bool) -> Content:
    """What a day's message is about: its session, a recovery day, or a generic session."""
    if session_type is not None and session_type != RECOVERY_TYPE and session_text:
        return Content.SESSION
    if session_type == RECOVERY_TYPE or (session_type is None and plan_covers_day):
        return Content.RECOVERY
    return Content.GENERIC


def _daily(fields: dict[str, str], session_type: str | None, session_text: str | None,
           plan_covers_day: bool, done: bool) -> tuple[Content, list[Outgoing]]:
    content = _content(session_type, session_text, plan_covers_day)
    if content is Content.SESSION:
        session = (session_text or "").strip()
        if done:
            text = t.SESSION_DONE.format(session=session, **fields)
            return content, [Outgoing(text, (SHOULD_RUN,))]
        text = t.SESSION.format(session=session, **fields)
        return content, [Outgoing(text, (DONE, SKIP, SHOULD_RUN))]
    if content is Content.RECOVERY:
        return content, [Outgoing(t.RECOVERY.format(**fields), (DONE, SHOULD_RUN))]
    return content, [Outgoing(t.GENERIC.format(**fields), (DONE, SKIP, SHOULD_RUN))]


def preview(
    day: date,
    local_hour: int,
    display_name: str | None,
    session_type: str | None,
    session_text: str | None,
    plan_covers_day: bool,
    follow_up: FollowUp | None = None,
) -> tuple[Content, list[Outgoing]]:
    """An evening reminder: tomorrow's session (`day`) as a preview. No Done or Skip
    buttons: they would log today, not the day it names. The follow-up still open today
    (`follow_up`: yesterday's pain or sickness, unanswered) is asked first, as the morning
    message asks it, with the answers as its choices."""
    fields = _fields(day, local_hour, display_name)
    content = _content(session_type, session_text, plan_covers_day)
    if content is Content.SESSION:
        text = t.PREVIEW_SESSION.format(session=(session_text or "").strip(), **fields)
        ask = t.PREVIEW_ASK
    elif content is Content.RECOVERY:
        text, ask = t.PREVIEW_RECOVERY.format(**fields), t.PREVIEW_RECOVERY_ASK
    else:
        text, ask = t.PREVIEW_GENERIC.format(**fields), t.PREVIEW_GENERIC_ASK
    out = [Outgoing(text)]
    if follow_up is not None:
        out = _asking(out, fields, follow_up, ask, rest=True)  # the closing: the next days
    return content, out


def trek_eve(display_name: str | None) -> list[Outgoing]:
    """The one good-luck message on the day before the trek."""
    return [Outgoing(t.TREK_EVE.format(name=_name(display_name)))]


def nudge(day: date) -> list[Outgoing]:
    """The evening nudge when nothing was logged today."""
    return [Outgoing(t.NUDGE.format(day=short_date(day)), (DONE, SKIP))]
