"""The morning follow-up: the day after a pain or sickness report, the push asks how it is
("How's the knee today?", "Has the fever gone?") and the answer steers the day.

- `due(history, day)`: what the morning of `day` asks about (the pain or sickness logged the
  day before, unless something was reported on `day` already), None for nothing. The stored
  plan row of that morning carries it (`details["follow_up"]`, see `conversations/plans.py`)
  so the scheduler's push asks without another query.
- `reading(text)`: "better" / "same" / "worse" / "gone" / "still" / "yes" / "no", or None.
- `answer(turn)`: the reply to an answer, or None when the message is not one (it is then
  read as usual, so an ignored question never swallows the next message).

Better: the day as planned (already eased by the planner when yesterday's pain asked for
it). Same or worse pain: logged again today, as lasting, so the planner goes low impact
(pain 4+ two days running) and the reply refers to a physiotherapist or doctor. Gone: the
illness cleared (one more day of rest, then short and easy). Still there: the sickness is
logged again today, so today is rest, with the doctor line.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from conversations import follow_up_texts as t
from conversations.messages import Choice, Outgoing
from conversations.parsing.reports import recovered
from conversations.parsing.sentence import normalise
from planner import History, LogKind

SERIOUS = ("fever", "chest", "stomach")


@dataclass(frozen=True)
class FollowUp:
    """What a morning asks about: yesterday's pain (area, score) or sickness."""

    kind: str  # "pain" | "sick"
    area: str | None = None
    score: int | None = None
    sickness: str | None = None

    @property
    def question(self) -> str:
        if self.kind == "sick":
            return t.SICK_QUESTION.get(self.sickness or "unwell", t.SICK_QUESTION["unwell"])
        if self.score is None:
            return t.PAIN_QUESTION_NO_SCORE.format(area=t.area_name(self.area))
        return t.PAIN_QUESTION.format(area=t.area_name(self.area), score=self.score)

    @property
    def choices(self) -> tuple[Choice, ...]:
        values = ("gone", "still") if self.kind == "sick" else ("better", "same", "worse")
        return tuple(Choice(f"follow:{v}", t.LABELS[v]) for v in values)


def due(history: History, day: date) -> FollowUp | None:
    """The follow-up the morning of ``day`` asks, from what was reported the day before."""
    if any(e.day == day and e.kind in (LogKind.PAIN, LogKind.SICK) for e in history):
        return None  # already told today
    before = [e for e in history if e.day == day - timedelta(days=1)]
    sick = [e.sickness for e in before
            if e.kind is LogKind.SICK and e.sickness and e.sickness != "cleared"]
    pains = [e for e in before if e.pain is not None]
    serious = [s for s in sick if s in SERIOUS]
    if serious:
        return FollowUp("sick", sickness=min(serious, key=SERIOUS.index))
    if pains:
        worst = max(pains, key=lambda e: e.pain or 0)
        return FollowUp("pain", area=worst.pain_area, score=worst.pain)
    if sick:
        return FollowUp("sick", sickness=sick[-1])
    return None


def as_details(f: FollowUp | None) -> dict[str, Any]:
    """The follow-up as a plan row's details field (nothing when there is none)."""
    return {} if f is None else {"follow_up": {k: v for k, v in asdict(f).items() if v is not None}}


def from_details(raw: Any) -> FollowUp | None:
    """The stored follow-up back (None when absent or unreadable)."""
    if not isinstance(raw, dict) or raw.get("kind") not in ("pain", "sick"):
        return None
    score = raw.get("score")
    return FollowUp(str(raw["kind"]), raw.get("area"), score if isinstance(score, int) else None,
                    raw.get("sickness"))


def morning(text: str, head: str, f: FollowUp, ask_line: str, rest: bool) -> Outgoing:
    """A morning message (or an evening preview) asking the follow-up first: ``head`` is
    its greeting ("Good morning, Ana! "), ``ask_line`` the usual closing line, replaced by
    the follow-up's; ``rest`` for a day without training today (a rest day, or an evening
    preview of tomorrow: the closing then looks at the next days)."""
    body = text[len(head):] if text.startswith(head) else text
    if body.endswith(ask_line):
        body = body[:-len(ask_line)].rstrip()
    closing = t.CLOSING_REST if rest else t.CLOSING
    return Outgoing(f"{head}{f.question}\n\n{body}\n{closing}", f.choices)


_BETTER = re.compile(
    r"^(?:(?:much|a lot|lots|loads|way|a bit|a little|bit|slightly|somewhat|far|yes|yeah|"
    r"its|it s|it is|feels?|feeling|im|i am|knee|ankle|it)\s+)*"
    r"(?:better|fine|good|great|ok|okay|alright|all good|grand|improved|improving|no pain|"
    r"pain free|doesnt hurt|does not hurt|gone)\b")
_WORSE = re.compile(r"\b(?:worse|hurts more|more pain|more painful|getting bad)\b")
_SAME = re.compile(
    r"\b(?:same|no change|unchanged|not better|no better|still|not gone|hasnt gone|"
    r"has not gone|not really|not yet|about the same|similar)\b")
_YES = {"yes", "yeah", "yep", "yup", "y", "sure", "it has", "yes it has", "yes its gone"}
_NO = {"no", "nope", "nah", "n", "not yet", "no it hasnt", "not really"}
MAX_WORDS = 12  # longer messages are read as usual


def reading(text: str, choice_id: str | None = None) -> str | None:
    """What an answer to the follow-up says (None: not an answer)."""
    if choice_id and choice_id.startswith("follow:"):
        return choice_id.split(":", 1)[1]
    norm = normalise(text)
    if not norm or len(norm.split()) > MAX_WORDS or "?" in text:
        return None
    if norm in _YES:
        return "yes"
    if norm in _NO:
        return "no"
    if _WORSE.search(norm):
        return "worse"
    if _SAME.search(norm):
        return "same"
    if recovered(text) or _BETTER.search(norm):
        return "better"
    return None


def meaning(f: FollowUp, said: str) -> str | None:
    """An answer in the follow-up's own terms: pain better/same/worse, sickness gone/still."""
    if f.kind == "sick":
        return {"better": "gone", "gone": "gone", "yes": "gone", "same": "still",
                "worse": "still", "still": "still", "no": "still"}.get(said)
    return {"better": "better", "gone": "better", "same": "same", "still": "same",
            "worse": "worse"}.get(said)
