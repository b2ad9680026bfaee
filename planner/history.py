"""What the person logged: done, skipped, pain and sickness entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from planner.sessions import SessionType

FLOOR_METRES = 3.0  # one storey of stairs, about 3 m up


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
    # What was measured (free text or an activity file); None when not said.
    distance_km: float | None = None
    climb_m: int | None = None
    floors: int | None = None
    pack_kg: float | None = None
    activity: str | None = None  # what was done: "run" | "walk" | "hike" | "ride" | "stairs"
    reps: int | None = None  # squats in a row (a test-day result)

    @property
    def felt_hard(self) -> bool:
        """Reported as hard, or effort 8+ of 10."""
        return self.feeling == "hard" or (self.effort is not None and self.effort >= 8)

    @property
    def metres_up(self) -> int:
        """Climb in metres: measured climb, else floors at FLOOR_METRES each."""
        if self.climb_m is not None:
            return self.climb_m
        return round((self.floors or 0) * FLOOR_METRES)


History = tuple[LogEntry, ...]
