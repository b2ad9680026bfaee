"""Plan and Week: what build_plan returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from planner.lead import LeadTime
from planner.phases import Phase
from planner.sessions import Session


@dataclass(frozen=True)
class Week:
    """One plan week. Weeks start on the plan start date; the last one may be partial.

    ``sessions`` holds the training days (and training days turned into rest by an
    adaptation, as RECOVERY); other days are rest days. ``adjusted`` is True when
    pain, sickness or a bridge session cut the week (it is then not a reference week
    for the 10% rule, like a deload).
    """

    index: int
    start: date
    days: int
    phase: Phase
    minutes: int
    sessions: tuple[Session, ...]
    adjusted: bool = False

    @property
    def end(self) -> date:
        """Last day of the week (inclusive)."""
        return self.start + timedelta(days=self.days - 1)


@dataclass(frozen=True)
class Plan:
    """The whole plan from the start date to the day before the trek."""

    weeks: tuple[Week, ...]
    warnings: tuple[str, ...]
    lead: LeadTime
    peak_walk_minutes: int = 0  # the longest loaded walk in the plan
    target_walk_minutes: int = 0  # the grade's peak walk (75% of a trek day)
    peak_pack_kg: float = 0.0  # the heaviest pack before the taper
    target_pack_kg: float = 0.0  # the grade's trek pack


def week_minutes(sessions: tuple[Session, ...]) -> int:
    """Training minutes of a week (rest days count 0; strength blocks count)."""
    return sum(s.minutes + s.strength_block for s in sessions if s.training)
