"""The one table of handlers: commands that work in any state, then one handler per state.

Which commands exist, and what they mean, is `conversations/commands.py`; this module only
says who answers them.
"""

from __future__ import annotations

from conversations import account, daily, onboarding, texts, views
from conversations.commands import COMMANDS, find
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
    "start": onboarding.on_start,
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
    """Route one message: non-text kinds, global commands, then the state's handler."""
    if turn.incoming.kind not in (Kind.TEXT, Kind.CHOICE):
        return await not_text(turn)
    command = find(turn.text)
    if command is not None and command.word in COMMAND_HANDLERS:
        return await COMMAND_HANDLERS[command.word](turn)
    handler = STATES.get(turn.state, welcome)
    return await handler(turn)
