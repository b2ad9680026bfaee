"""Lead time: weeks left against the recommended preparation time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.phases import SHORT_RUNWAY_DAYS
from planner.profile import Profile
from planner.targets import MINIMUM_WEEKS, RECOMMENDED_WEEKS


@dataclass(frozen=True)
class LeadTime:
    """How much time is left, and whether it is short."""

    days_left: int
    weeks_left: int
    recommended_weeks: int
    minimum_weeks: int
    short: bool
    short_runway: bool


def lead_time(profile: Profile, today: date) -> LeadTime:
    """Weeks left to the trek from ``today`` against the grade's recommended lead time."""
    days = max(0, (profile.trek_date - today).days)
    rec = RECOMMENDED_WEEKS[profile.grade]
    return LeadTime(
        days_left=days,
        weeks_left=days // 7,
        recommended_weeks=rec,
        minimum_weeks=MINIMUM_WEEKS,
        short=days < rec * 7,
        short_runway=days < SHORT_RUNWAY_DAYS,
    )
