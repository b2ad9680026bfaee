"""Trek batches in the conversation: join with a code, leave, and link a leader's own chat.

`/start CODE` (a Telegram deep link, or typed) and "join CODE" (WhatsApp's click-to-chat
text) put the person in the batch and set their trek date and grade from it: during
onboarding those two questions are skipped, with a plan the plan is rebuilt. They are told
that the leader will see their training progress, and "leave batch" takes them out.
`/leader CODE` links a leader's own chat to their leader row, for alerts.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from conversations import batch_texts as T
from conversations import onboarding
from conversations.messages import Outgoing
from conversations.plans import rebuild_plan
from conversations.states import State
from conversations.turn import Turn
from storage import UserStatus
from storage import batches as q
from storage.batch_models import Batch

Handler = Callable[[Turn], Awaitable[list[Outgoing]]]

# The answers a batch sets; onboarding skips their questions (`answers["preset"]`).
PRESET = ("trek_date", "grade")
_JOIN = re.compile(r"^(?:/?join|/start)(?:\s+(?:batch|code|the batch))?\s+([A-Za-z0-9_-]{1,64})"
                   r"[.!]?$", re.IGNORECASE)
_LEAVE = re.compile(r"^/?leave(?:\s+(?:the|my))?(?:\s+(?:batch|group))?[.!]?$", re.IGNORECASE)


def code_in(text: str) -> str | None:
    """The code of '/start CODE' or 'join CODE', else None."""
    found = _JOIN.match(text.strip())
    return found.group(1) if found else None


def plain_handler(text: str) -> Handler | None:
    """The handler for a plain-words batch message ('join CODE', 'leave batch'), if it is one."""
    stripped = text.strip()
    if stripped.lower().startswith("join ") and code_in(stripped):
        return on_join
    if _LEAVE.match(stripped) and any(w in stripped.lower() for w in ("batch", "group")):
        return on_leave  # plain "leave" alone is too vague; "/leave" is a command
    return None


async def on_start(turn: Turn) -> list[Outgoing]:
    """/start, with a batch code after it (a deep link) or without."""
    code = code_in(turn.text)
    if code is None:
        return await onboarding.on_start(turn)
    return await join_with(turn, code)


async def on_join(turn: Turn) -> list[Outgoing]:
    code = code_in(turn.text)
    if code is None:
        return [Outgoing(T.JOIN_HOW)]
    return await join_with(turn, code)


async def join_with(turn: Turn, code: str) -> list[Outgoing]:
    """Join the batch of `code`; an unknown or past code gets a reply and normal onboarding."""
    batch = await q.batch_by_code(turn.tx, code)
    if batch is None or batch.trek_date <= turn.today:
        refusal = T.unknown_code(code) if batch is None else T.expired_code(batch.name)
        return await _without_batch(turn, refusal)
    current = await q.membership(turn.tx, turn.user.id)
    if current is not None and current.id == batch.id:
        return [Outgoing(T.already_in(batch.name))]
    await q.join(turn.tx, turn.user.id, batch, turn.now)
    if turn.user.profile:
        return await _replan(turn, batch)
    return _onboard(turn, batch)


async def _without_batch(turn: Turn, refusal: str) -> list[Outgoing]:
    if turn.state is State.NEW:
        return [Outgoing(refusal), *await onboarding.on_new(turn)]
    if onboarding.is_onboarding(turn.state):
        return [Outgoing(refusal), onboarding.question(turn.state, "", _answers(turn))]
    return [Outgoing(refusal)]


def _onboard(turn: Turn, batch: Batch) -> list[Outgoing]:
    """Onboarding with the batch's date and grade already answered."""
    intro = ""
    if not onboarding.is_onboarding(turn.state):
        onboarding.begin(turn)
        intro = onboarding.T.WELCOME
    answers = _answers(turn)
    answers.update(trek_date=batch.trek_date.isoformat(), grade=batch.grade,
                   preset=list(PRESET))
    turn.update_context(answers=answers)
    state = turn.state
    if onboarding.QUESTIONS[state][0] in PRESET:
        following = onboarding.next_state(state, answers)
        assert following is not None  # the date and grade are never the last questions
        turn.go(following)
    return [Outgoing(T.joined(batch.name, batch.trek_date, batch.grade)),
            onboarding.question(turn.state, intro, answers)]


async def _replan(turn: Turn, batch: Batch) -> list[Outgoing]:
    """Someone with a plan joined: the plan now builds to the batch's date and grade."""
    profile = turn.profile
    changes = {"trek_date": batch.trek_date.isoformat(), "grade": batch.grade}
    if (profile.start_date if profile is not None else turn.today) >= batch.trek_date:
        changes["start_date"] = turn.today.isoformat()
    turn.tx.update_profile(turn.user, **changes)
    if turn.user.status == UserStatus.STOPPED:
        turn.tx.set_user_status(turn.user, UserStatus.ACTIVE)
    await rebuild_plan(turn.tx, turn.user, turn.today)
    weeks = (batch.trek_date - turn.today).days // 7
    return [Outgoing(T.moved_to_batch(batch.name, batch.trek_date, batch.grade, weeks))]


async def on_leave(turn: Turn) -> list[Outgoing]:
    batch = await q.membership(turn.tx, turn.user.id)
    if batch is None:
        return [Outgoing(T.NOT_IN_BATCH)]
    await q.leave(turn.tx, turn.user.id)
    replies = [Outgoing(T.left(batch.name))]
    if onboarding.is_onboarding(turn.state):
        replies.append(onboarding.question(turn.state, "", _answers(turn)))
    return replies


def _answers(turn: Turn) -> dict[str, Any]:
    return dict(turn.context.answers)


async def on_leader(turn: Turn) -> list[Outgoing]:
    """/leader CODE: this chat gets the alerts of the leader with that chat code."""
    parts = turn.text.split()
    if len(parts) < 2:
        return [Outgoing(T.LEADER_HOW)]
    leader = await q.link_chat(turn.tx, parts[1], turn.incoming.channel,
                               turn.incoming.user_key, turn.now)
    if leader is None:
        return [Outgoing(T.unknown_leader_code(parts[1][:32]))]
    names = [b.name for b in await q.leader_batches(turn.tx, leader.id)]
    return [Outgoing(T.leader_linked(names))]
