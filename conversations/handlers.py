"""The one table of handlers: commands that work in any state, then one handler per state.

Which commands exist, and what they mean, is `conversations/commands.py`; this module only
says who answers them.
"""

from __future__ import annotations

from conversations import account, batch, daily, file_log, onboarding, texts, views
from conversations.commands import COMMANDS, find
from conversations.facts import has_plan
from conversations.intent import Intent
from conversations.messages import Kind, Outgoing
from conversations.states import State
from conversations.turn import Handler, Turn


async def show_help(turn: Turn) -> list[Outgoing]:
    if onboarding.is_onboarding(turn.state):
        return await onboarding.on_help(turn)
    if turn.state is State.ACTIVE:
        return await views.help_(turn)
    return [Outgoing(texts.HELP)]


async def not_text(turn: Turn) -> list[Outgoing]:
    return [Outgoing(texts.NOT_TEXT)]


_reset = daily.command(Intent.RESET)


async def restart(turn: Turn) -> list[Outgoing]:
    """Mid-onboarding: start the questions again. With a plan: ask first, as /reset does."""
    if turn.state is State.ACTIVE:
        return await _reset(turn)
    return await onboarding.on_restart(turn)


async def welcome(turn: Turn) -> list[Outgoing]:
    return [Outgoing(texts.HELP)]


# Commands that do not simply run their intent's daily handler.
SPECIAL: dict[str, Handler] = {
    "help": show_help,
    "menu": show_help,
    "start": batch.on_start,  # "/start CODE" joins a trek batch
    "join": batch.on_join,
    "leave": batch.on_leave,
    "leader": batch.on_leader,
    "restart": restart,
}

# Commands understood in every state, by their word after "/" (or a plain-word twin).
COMMAND_HANDLERS: dict[str, Handler] = {
    c.word: SPECIAL.get(c.word) or daily.command(c.intent) for c in COMMANDS if c.routed
}

# What a message means in each state.
STATES: dict[State, Handler] = {
    State.NEW: onboarding.on_new,
    **{state: onboarding.on_answer for state in onboarding.ONBOARDING_STATES},
    State.ACTIVE: daily.active,
    State.CONFIRM_DELETE: account.confirm_delete,
    State.CONFIRM_RESET: account.confirm_reset,
}


async def dispatch(turn: Turn) -> list[Outgoing]:
    """Route one message: files and photos, other non-text kinds, global commands, then the
    state's handler."""
    if turn.incoming.kind in (Kind.DOCUMENT, Kind.PHOTO):
        ready = turn.state is State.ACTIVE and has_plan(turn)
        file = turn.incoming.file
        # Before the plan exists, a photo's caption is not taken for an onboarding answer.
        if ready or (file is not None and file_log.looks_like_activity(file)):
            return await file_log.on_file(turn, route_text, ready)
    if turn.incoming.kind not in (Kind.TEXT, Kind.CHOICE):
        return await not_text(turn)
    return await route_text(turn)


async def route_text(turn: Turn) -> list[Outgoing]:
    """Global commands, then the state's handler."""
    command = find(turn.text)
    if command is not None and command.word in COMMAND_HANDLERS:
        return await COMMAND_HANDLERS[command.word](turn)
    in_words = batch.plain_handler(turn.text)  # "join CODE", "leave batch"
    if in_words is not None:
        return await in_words(turn)
    handler = STATES.get(turn.state, welcome)
    return await handler(turn)
