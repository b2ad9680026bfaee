"""Stand-in (daily branch) for onboarding's converter: stored profile JSON -> planner.Profile.

The onboarding branch owns this module; at merge its version replaces this one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planner import Grade, Joint, Profile, Running


def to_planner(data: dict[str, Any]) -> Profile:
    weekdays = data.get("training_weekdays")
    return Profile(
        running=Running(data.get("running", "no")),
        easy_run_minutes=data.get("easy_run_minutes"),
        joints=frozenset(Joint(j) for j in data.get("joints") or []),
        trek_date=date.fromisoformat(data["trek_date"]),
        grade=Grade(data.get("grade", "moderate")),
        days_per_week=int(data.get("days_per_week", 4)),
        start_date=date.fromisoformat(data["start_date"]),
        body_weight_kg=data.get("body_weight_kg"),
        training_weekdays=tuple(weekdays) if weekdays else None,
        joint_words=data.get("joint_words", ""),
    )
