"""Answers to the morning follow-up ("How's the knee today?", "Has the fever gone?").

The question is open on a day when `follow_up.due` finds one and it was not answered yet
(`context.checked_in`); see `conversations/follow_up.py` for what each answer does.
"""

from __future__ import annotations

from conversations import follow_up_texts as t
from conversations import logbook
from conversations.facts import facts, label
from conversations.follow_up import FollowUp, due, meaning, reading
from conversations.history import logged_on
from conversations.intent import Intent, Parsed
from conversations.intents import classify
from conversations.messages import Outgoing
from conversations.turn import Turn
from planner import LogKind

# what a follow-up answer may also read as, when the classifier sees it first
_ANSWERABLE = {Intent.UNKNOWN, Intent.PAIN, Intent.SICK, Intent.THANKS, Intent.GREETING,
               Intent.TODAY}  # "a lot better today"


async def answer(turn: Turn) -> list[Outgoing] | None:
    """The reply to a follow-up answer, or None when the message is not one."""
    said = reading(turn.text, turn.incoming.choice_id)
    if said is None or turn.context.checked_in == turn.today.isoformat():
        return None
    if not turn.incoming.choice_id:
        parsed = classify(turn.text)
        if parsed.intent not in _ANSWERABLE or parsed.pain is not None:
            return None  # "done, felt fine", "knee 3/10 today": read as usual
    f = await facts(turn)
    open_one = due(f.history, f.today)
    if open_one is None:
        return None
    what = meaning(open_one, said)
    if what is None:
        return None
    turn.update_context(checked_in=turn.today.isoformat())
    if open_one.kind == "sick":
        return await _sick(turn, open_one, what)
    return await _pain(turn, open_one, what)


async def _pain(turn: Turn, f: FollowUp, what: str) -> list[Outgoing]:
    if what == "better":
        facts_now = await facts(turn)
        today = facts_now.session_on(facts_now.today)
        lines = [t.PAIN_BETTER.format(area=t.area_name(f.area))]
        if today is not None and logged_on(facts_now.rows, facts_now.today,
                                           LogKind.DONE) is None:
            lines.append(logbook.t.now_today(label(today)))
        return [Outgoing("\n".join(lines))]
    before = f.score if f.score is not None else 4
    score = before if what == "same" else min(10, before + 1)
    replies = await logbook.pain(turn, Parsed(Intent.PAIN, pain=score, pain_area=f.area,
                                              lasting=True))
    if score <= 3:
        replies.insert(0, Outgoing(t.PAIN_SAME_GREEN))
    return replies


async def _sick(turn: Turn, f: FollowUp, what: str) -> list[Outgoing]:
    if what == "gone":
        return await logbook.sick(turn, Parsed(Intent.SICK, sickness="cleared"))
    kind = f.sickness or "unwell"
    replies = await logbook.sick(turn, Parsed(Intent.SICK, sickness=kind))
    extra = t.SICK_STILL_COLD if kind == "above_neck" else t.SICK_STILL
    return [*replies[:-1], Outgoing(f"{replies[-1].text}\n{extra}")]
