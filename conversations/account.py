"""The account in the daily conversation: pause, resume, reset and delete (with confirmation)."""

from __future__ import annotations

from conversations import daily_texts as t
from conversations import onboarding
from conversations.intent import Parsed
from conversations.messages import FORGET, Outgoing
from conversations.parsing.yesno import confirmation
from conversations.settings_talk import reschedule
from conversations.states import State
from conversations.turn import Turn
from storage import UserStatus


async def pause(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    if turn.user.status == UserStatus.PAUSED:
        return [Outgoing(t.ALREADY_PAUSED)]
    turn.tx.set_user_status(turn.user, UserStatus.PAUSED)
    return [Outgoing(t.PAUSED)]


async def resume(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    if turn.user.status == UserStatus.ACTIVE:
        return [Outgoing(t.ALREADY_ACTIVE)]
    turn.tx.set_user_status(turn.user, UserStatus.ACTIVE)
    return [Outgoing(t.resumed(reschedule(turn)))]


def _remember_state(turn: Turn) -> None:
    if turn.state not in (State.CONFIRM_RESET, State.CONFIRM_DELETE):
        turn.update_context(return_to=turn.state.value)


def go_back(turn: Turn) -> None:
    """Leave a confirmation for the state it was asked from."""
    back = turn.context.return_to or State.ACTIVE.value
    turn.forget_context("return_to")
    turn.go(State(back))


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
        go_back(turn)
        return [Outgoing(t.RESET_CANCELLED)]
    await turn.tx.replace_plan(turn.user.id, [])
    turn.forget_context()
    turn.go(State.NEW)
    replies = await onboarding.on_new(turn)
    # no reminders until onboarding completes again (a stopped user has no prompt times)
    turn.tx.set_user_status(turn.user, UserStatus.STOPPED)
    return replies


async def confirm_delete(turn: Turn) -> list[Outgoing]:
    answer = confirmation(turn.text)
    if answer is None:
        return [Outgoing(t.CONFIRM_AGAIN)]
    if not answer:
        go_back(turn)
        return [Outgoing(t.DELETE_CANCELLED)]
    await turn.tx.delete_user(turn.user.id)
    return [Outgoing(t.DELETED, meta={FORGET: "1"})]  # its outbox row goes once it is sent
