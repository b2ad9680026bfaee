"""The optional questions after onboarding: body weight, stairs or a hill nearby, a bike
or a gym. Each can be skipped in one word ("skip"; "skip all" ends them).

They are asked in the ACTIVE state, the plan already built: the question waits in the
context (`pending`), each answer is stored on the profile and the plan rebuilt at once,
and a message that is not an answer but means something else ("today", "done 30 min")
ends the questions and is handled as usual. The same facts are understood at any time
later through the intent table ("I weigh 70 kg", `conversations/profile_talk.py`).
"""

from __future__ import annotations

import re

from conversations import profile_texts as t
from conversations.intent import Intent, Parsed
from conversations.intents import classify
from conversations.messages import Choice, Outgoing
from conversations.parsing.sentence import normalise
from conversations.parsing.yesno import confirmation
from conversations.plans import rebuild_plan
from conversations.profile_talk import profile_lines
from conversations.talk_rules import LB_TO_KG, WEIGHT_KG
from conversations.turn import Turn

STEPS = ("weight", "stairs", "bike")
PENDING = {step: f"extra_{step}" for step in STEPS}
QUESTIONS = {"weight": t.ASK_WEIGHT, "stairs": t.ASK_STAIRS, "bike": t.ASK_BIKE}
SKIP_CHOICE = Choice("extra:skip", t.SKIP_LABEL)
CHOICES = {
    "weight": (SKIP_CHOICE,),
    "stairs": (Choice("extra:yes", t.YES_LABEL), Choice("extra:no", t.NO_LABEL), SKIP_CHOICE),
    "bike": (Choice("extra:yes", t.YES_LABEL), Choice("extra:no", t.NO_LABEL), SKIP_CHOICE),
}
_SKIP_ALL = ("skip all", "skip them", "skip everything", "no more questions", "later",
             "not now", "stop asking", "enough")
_SKIP = ("skip", "pass", "next", "rather not", "prefer not", "dont know", "not sure", "idk")
_NO_WEIGHT = ("no", "nope", "no thanks")  # to the weight question "no" is a skip
SHORT = 4  # a skip is a short message: "skip", "pass", "rather not say"
_NUMBER = re.compile(
    r"(?:i weigh |i am |im |about |around |roughly |weight )*(\d{2,3}(?:[.,]\d)?)\s*"
    r"(kg|kgs|kilo|kilos|kilograms|lb|lbs|pounds)?")


def begin(turn: Turn) -> list[Outgoing]:
    """Ask the first optional question (called when onboarding ends)."""
    turn.update_context(pending=PENDING["weight"])
    return [Outgoing(t.ASK_WEIGHT, choices=CHOICES["weight"])]


def _weight(norm: str) -> float | None:
    m = _NUMBER.fullmatch(norm.strip())
    if m is None:
        return None
    kg = float(m.group(1).replace(",", "."))
    if (m.group(2) or "").startswith(("lb", "pound")):
        kg = round(kg * LB_TO_KG, 1)
    return kg if WEIGHT_KG[0] <= kg <= WEIGHT_KG[1] else None


def _answer(step: str, text: str) -> Parsed | None:
    """The answer to ``step`` as profile facts; None when it is not one."""
    said = classify(text)
    if said.intent is Intent.SET_PROFILE:
        return said
    norm = normalise(text)
    if step == "weight":
        kg = _weight(norm)
        return None if kg is None else Parsed(Intent.SET_PROFILE, weight_kg=kg)
    yes = confirmation(text)
    if yes is None:
        return None
    if step == "stairs":
        return Parsed(Intent.SET_PROFILE, stairs=yes)
    return Parsed(Intent.SET_PROFILE, bike=yes) if yes else Parsed(
        Intent.SET_PROFILE, bike=False, gym=False)


def _words(norm: str, phrases: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{re.escape(p)}\b", norm) for p in phrases)


async def on_pending(turn: Turn) -> list[Outgoing] | None:
    """An answer to an optional question, or None when none is waiting (or the message
    means something else: the questions end and it is handled as usual)."""
    pending = turn.context.pending
    step = next((s for s, p in PENDING.items() if p == pending), None)
    if step is None:
        return None
    norm = normalise(turn.text)
    if _words(norm, _SKIP_ALL):
        turn.forget_context("pending")
        return [Outgoing(t.EXTRAS_SKIPPED)]
    lines: list[str] = []
    skips = _SKIP + _NO_WEIGHT if step == "weight" else _SKIP
    if not (len(norm.split()) <= SHORT and _words(norm, skips)):
        parsed = _answer(step, turn.text)
        if parsed is None:
            if classify(turn.text).intent not in (Intent.UNKNOWN, Intent.COACH_NOTE):
                turn.forget_context("pending")
                return None
            return [Outgoing(t.EXTRAS_AGAIN[step], choices=CHOICES[step])]
        changes, lines = profile_lines(dict(turn.user.profile or {}), parsed)
        if changes:
            turn.tx.update_profile(turn.user, **changes)
            await rebuild_plan(turn.tx, turn.user, turn.today)
    nxt = STEPS.index(step) + 1
    if nxt < len(STEPS):
        turn.update_context(pending=PENDING[STEPS[nxt]])
        return [Outgoing("\n".join([*lines, QUESTIONS[STEPS[nxt]]]),
                         choices=CHOICES[STEPS[nxt]])]
    turn.forget_context("pending")
    return [Outgoing("\n".join([*lines, t.EXTRAS_DONE]))]
