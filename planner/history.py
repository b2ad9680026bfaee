"""What the person logged: done, skipped, pain and sickness entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from planner.sessions import SessionType


class LogKind(StrEnum):
    """Kind of log entry."""

    DONE = "done"
    SKIPPED = "skipped"
    PAIN = "pain"
    SICK = "sick"


@dataclass(frozen=True)
class LogEntry:
    """One thing the person told the coach about a day."""

    day: date
    kind: LogKind
    session_type: SessionType | None = None
    minutes: int | None = None
    effort: int | None = None
    feeling: str | None = None
    pain: int | None = None
    pain_area: str | None = None
    sickness: str | None = None

    @property
    def felt_hard(self) -> bool:
        """Reported as hard, or effort 8+ of 10."""
        return self.feeling == "hard" or (self.effort is not None and self.effort >= 8)


History = tuple[LogEntry, ...]
