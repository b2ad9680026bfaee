"""The daily conversation after onboarding: one table from intent to handler.

`active` handles free text in the ACTIVE state through the intent classifier; `command`
makes the `/today`, `/plan`, ... handlers, which share the same functions. The handlers
live in `logbook.py` (done, skip, pain, sick), `views.py` (today, plan, progress, export),
`account.py` (pause, resume, reset, delete) and `settings_talk.py` (settings).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import replace

from conversations import (
    account,
    coach_notes,
    day_swaps,
    logbook,
    onboarding_extras,
    profile_talk,
    settings_talk,
    views,
)
from conversations import daily_texts as t
from conversations.context import PAIN_SCORE
from conversations.facts import has_plan
from conversations.intent import Intent, Parsed
from conversations.intents import classify, pain_signs
from conversations.messages import Outgoing
from conversations.parsing.sentence import normalise
from conversations.states import State
from conversations.turn import Handler, Turn

IntentHandler = Callable[[Turn, Parsed], Awaitable[list[Outgoing]]]

INTENTS: dict[Intent, IntentHandler] = {
    Intent.DONE: logbook.log_done,
    Intent.SKIP: logbook.log_skip,
    Intent.PAIN: logbook.pain,
    Intent.SICK: logbook.sick,
    Intent.SHOULD_RUN: views.run_question,
    Intent.TODAY: views.today,
    Intent.PLAN: views.plan,
    Intent.PROGRESS: views.progress,
    Intent.EXPORT: views.export,
    Intent.HELP: views.help_,
    Intent.GREETING: views.greeting,
    Intent.THANKS: views.thanks,
    Intent.UNKNOWN: views.unknown,
    Intent.SET_REMINDER: settings_talk.set_reminder,
    Intent.SET_TIMEZONE: settings_talk.set_timezone,
    Intent.SET_DAYS: settings_talk.set_days,
    Intent.SET_TREK_DATE: settings_talk.set_trek_date,
    Intent.SET_NUDGE: settings_talk.set_nudge,
    Intent.SET_PROFILE: profile_talk.set_profile,
    Intent.SET_GRADE: profile_talk.set_grade,
    Intent.SWAP_DAY: day_swaps.swap_day,
    Intent.COACH_NOTE: coach_notes.coach_note,
    Intent.PAUSE: account.pause,
    Intent.RESUME: account.resume,
    Intent.RESET: account.ask_reset,
    Intent.DELETE: account.ask_delete,
}

_SCORE_REPLY = re.compile(
    r"(?:about|around|maybe|like|its|it is|a|i d say|id say|say)?\s*(\d{1,2})"
    r"(?:\s*(?:/|out of)\s*10)?\b(.*)")


def _pending_pain(turn: Turn) -> Parsed | None:
    """A number answering 'how bad is it, 0-10?' (perhaps with more words: "4, swollen").

    The warning signs of the first message are kept; anything else is classified as usual,
    and a pain report without a score keeps those signs too."""
    ctx = turn.context
    if ctx.pending != PAIN_SCORE:
        return None
    turn.forget_context("pending", "pain_area", "pain_signs")
    before = set(ctx.pain_signs)
    m = _SCORE_REPLY.fullmatch(normalise(turn.text))
    if m and 0 <= int(m.group(1)) <= 10:
        signs = before | {k for k, v in pain_signs(m.group(2)).items() if v}
        return Parsed(Intent.PAIN, pain=int(m.group(1)), pain_area=ctx.pain_area,
                      **{name: name in signs for name in t.SIGNS})  # type: ignore[arg-type]
    parsed = classify(turn.text)
    if parsed.intent is Intent.PAIN and before:
        signs = before | set(logbook.signs_of(parsed))
        return replace(parsed, pain_area=parsed.pain_area or ctx.pain_area,
                       **{name: name in signs for name in t.SIGNS})  # type: ignore[arg-type]
    return parsed


async def active(turn: Turn) -> list[Outgoing]:
    """A message in the ACTIVE state."""
    extra = await onboarding_extras.on_pending(turn)
    if extra is not None:
        return extra
    parsed = _pending_pain(turn) or classify(turn.text)
    return await INTENTS[parsed.intent](turn, parsed)


def _details(turn: Turn, intent: Intent) -> Parsed:
    """The rest of '/done 30 min hard' read as the details of `intent`."""
    rest = turn.text.split(maxsplit=1)[1] if len(turn.text.split()) > 1 else ""
    parsed = classify(rest) if rest else Parsed(intent)
    if parsed.intent is not intent:
        parsed = Parsed(intent, minutes=parsed.minutes, effort=parsed.effort,
                        feeling=parsed.feeling, day=parsed.day, text=parsed.text)
    return parsed


def command(intent: Intent) -> Handler:
    """A /command for `intent`: the rest of the message is read as its details."""

    async def run(turn: Turn) -> list[Outgoing]:
        if not has_plan(turn) or turn.state not in (State.ACTIVE, State.CONFIRM_DELETE,
                                                    State.CONFIRM_RESET):
            if intent is Intent.DELETE:
                return await account.ask_delete(turn)
            if intent is Intent.RESET:
                return await account.ask_reset(turn)
            return [Outgoing(t.NOT_READY)]
        if turn.state is not State.ACTIVE:
            account.go_back(turn)
        return await INTENTS[intent](turn, _details(turn, intent))

    return run
