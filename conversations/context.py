"""The conversation's typed context: what a dialogue remembers between two messages.

Stored as the user's `context` JSON; handlers read it as a `Context` and change it with
`Turn.update_context(...)` (in the spirit of aiogram's `FSMContext.update_data`) and
`Turn.forget_context(...)`, never by key on a plain dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

PAIN_SCORE = "pain_score"  # `pending` while the coach waits for a 0-10 pain score

ContextKey = Literal["answers", "pending", "pain_area", "pain_signs", "return_to",
                     "checked_in", "night_minutes"]


class ContextData(TypedDict, total=False):
    """The fields `Turn.update_context` accepts."""

    answers: dict[str, Any]  # onboarding answers so far
    pending: str  # a question waiting for its answer (PAIN_SCORE)
    pain_area: str | None  # the area of the pain report waiting for its score
    pain_signs: list[str]  # that report's warning signs
    return_to: str  # the state to go back to when a confirmation is declined
    checked_in: str  # the local date (ISO) the morning follow-up was answered
    night_minutes: int  # a reminder time before 5:00 waiting for "yes, at night?"


@dataclass(frozen=True)
class Context:
    """A read-only view of the stored context."""

    answers: dict[str, Any] = field(default_factory=dict)
    pending: str | None = None
    pain_area: str | None = None
    pain_signs: tuple[str, ...] = ()
    return_to: str | None = None
    checked_in: str | None = None
    night_minutes: int | None = None

    @classmethod
    def of(cls, raw: Mapping[str, Any] | None) -> Context:
        """The typed view of a stored context (missing keys take their defaults)."""
        raw = raw or {}
        return cls(
            answers=dict(raw.get("answers") or {}),
            pending=raw.get("pending"),
            pain_area=raw.get("pain_area"),
            pain_signs=tuple(raw.get("pain_signs") or ()),
            return_to=raw.get("return_to"),
            checked_in=raw.get("checked_in"),
            night_minutes=raw.get("night_minutes"),
        )
