"""The stored profile (user.profile JSON) from onboarding answers, and to `planner.Profile`.

The JSON shape is the one in COMMON.md: running, easy_run_minutes, joints, joint_words,
trek_date, grade, days_per_week, start_date, training_weekdays, body_weight_kg; and,
when told (optional questions or any time later): stairs, bike, gym (true / false), and
swaps, the one-off day swaps as [[from, to], ...] ISO dates.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner import Profile


def from_answers(answers: dict[str, Any], start: date) -> dict[str, Any]:
    """The profile JSON from onboarding answers; `start` is the plan's first day."""
    running = answers["running"]
    return {
        "running": running,
        "easy_run_minutes": answers.get("run_minutes") if running != "no" else None,
        "joints": list(answers.get("joints") or []),
        "joint_words": answers.get("joint_words") or "",
        "trek_date": answers["trek_date"],
        "grade": answers["grade"],
        "days_per_week": int(answers["days"]),
        "start_date": start.isoformat(),
        "training_weekdays": None,
        "body_weight_kg": None,
    }


def to_planner(data: dict[str, Any]) -> Profile:
    """The stored JSON as the planner's frozen `Profile`."""
    from planner import Grade, Joint, Profile, Running

    weekdays = data.get("training_weekdays")
    weight = data.get("body_weight_kg")
    bike, gym = data.get("bike"), data.get("gym")
    return Profile(
        running=Running(data["running"]),
        easy_run_minutes=data.get("easy_run_minutes"),
        joints=frozenset(Joint(j) for j in data.get("joints") or ()),
        trek_date=date.fromisoformat(data["trek_date"]),
        grade=Grade(data["grade"]),
        days_per_week=int(data["days_per_week"]),
        start_date=date.fromisoformat(data["start_date"]),
        body_weight_kg=float(weight) if weight is not None else None,
        training_weekdays=tuple(weekdays) if weekdays else None,
        joint_words=data.get("joint_words") or "",
        stairs=data.get("stairs"),
        bike=None if bike is None and gym is None else bool(bike or gym),
        swaps=tuple((date.fromisoformat(a), date.fromisoformat(b))
                    for a, b in data.get("swaps") or ()),
    )
