"""The one table of handlers: commands that work in any state, then one handler per state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from conversations import batch, daily, onboarding, texts
from conversations.intents import Intent
from conversations.messages import Kind, Outgoing
from conversations.states import State
from conversations.turn import Turn

Handler = Callable[[Turn], Awaitable[list[Outgoing]]]


async def show_help(turn: Turn) -> list[Outgoing]:
    if onboarding.is_onboarding(turn.state):
        return await onboarding.on_help(turn)
    if turn.state is State.ACTIVE:
        return await daily.help_(turn)
    return [Outgoing(texts.HELP)]


async def not_text(turn: Turn) -> list[Outgoing]:
    return [Outgoing(texts.NOT_TEXT)]


async def restart(turn: Turn) -> list[Outgoing]:
    """Mid-onboarding: start the questions again. With a plan: ask first, as /reset does."""
    if turn.state is State.ACTIVE:
        return await _reset(turn)
    return await onboarding.on_restart(turn)


_reset = daily.command(Intent.RESET)


async def welcome(turn: Turn) -> list[Outgoing]:
    return [Outgoing(texts.HELP)]


# Commands understood in every state, by their word after "/" (or as the whole message).
COMMANDS: dict[str, Handler] = {
    "help": show_help,
    "menu": show_help,
    "start": batch.on_start,  # "/start CODE" joins a trek batch
    "join": batch.on_join,
    "leave": batch.on_leave,
    "leader": batch.on_leader,
    "restart": restart,
    # the daily conversation (conversations/daily.py); each also works as plain words
    "today": daily.command(Intent.TODAY),
    "plan": daily.command(Intent.PLAN),
    "week": daily.command(Intent.PLAN),
    "progress": daily.command(Intent.PROGRESS),
    "done": daily.command(Intent.DONE),
    "skip": daily.command(Intent.SKIP),
    "run": daily.command(Intent.SHOULD_RUN),
    "pause": daily.command(Intent.PAUSE),
    "resume": daily.command(Intent.RESUME),
    "export": daily.command(Intent.EXPORT),
    "reset": daily.command(Intent.RESET),
    "delete": daily.command(Intent.DELETE),
}

# Whole messages that work like a command without the "/" (WhatsApp has no slash commands).
PLAIN_COMMANDS = {"help": "help", "menu": "menu"}

# What a message means in each state.
STATES: dict[State, Handler] = {
    State.NEW: onboarding.on_new,
    **{state: onboarding.on_answer for state in onboarding.ONBOARDING_STATES},
    State.ACTIVE: daily.active,
    State.CONFIRM_DELETE: daily.confirm_delete,
    State.CONFIRM_RESET: daily.confirm_reset,
}


def command_of(text: str) -> str | None:
    """'/Help@TrekBot extra' -> 'help'; plain text -> None."""
    if not text.startswith("/"):
        return None
    word = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    return word.split("@", 1)[0].lower() or None


async def dispatch(turn: Turn) -> list[Outgoing]:
    """Route one message: non-text kinds, global commands, then the state's handler."""
    if turn.incoming.kind not in (Kind.TEXT, Kind.CHOICE):
        return await not_text(turn)
    command = command_of(turn.text) or PLAIN_COMMANDS.get(turn.text.lower().strip(" .!?"))
    if command is not None and command in COMMANDS:
        return await COMMANDS[command](turn)
    in_words = batch.plain_handler(turn.text)  # "join CODE", "leave batch"
    if in_words is not None:
        return await in_words(turn)
    handler = STATES.get(turn.state, welcome)
    return await handler(turn)
