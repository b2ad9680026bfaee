"""Golden plans as readable text; regenerate with UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from conversations.plan_texts import lead_time_text, plan_text, session_text, week_text
from planner import Grade, Joint, Profile, Running, build_plan

GOLDEN = Path(__file__).parent / "golden"
START = date(2025, 1, 6)

CASES: dict[str, Profile] = {
    "runner_12_weeks": Profile(Running.REGULAR, 30, frozenset(), START + timedelta(weeks=12),
                               Grade.MODERATE, 4, START, 70.0),
    "non_runner_knee_8_weeks": Profile(Running.NO, None, frozenset({Joint.KNEE}),
                                       START + timedelta(weeks=8), Grade.MODERATE, 4, START,
                                       joint_words="sore left knee"),
    "short_runway_2_weeks": Profile(Running.SOMETIMES, 20, frozenset(),
                                    START + timedelta(weeks=2), Grade.EASY, 3, START),
    "difficult_20_weeks": Profile(Running.REGULAR, 40, frozenset(), START + timedelta(weeks=20),
                                  Grade.DIFFICULT, 5, START, 80.0),
}


def render(profile: Profile) -> str:
    plan = build_plan(profile, (), profile.start_date)
    parts = [lead_time_text(plan.lead) or "Lead time: enough.", plan_text(plan)]
    parts += [week_text(w, profile.start_date) for w in plan.weeks]
    parts += ["*Week 1 day by day*"]
    parts += [session_text(s) for s in plan.weeks[0].sessions if s.training]
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_plan(name: str) -> None:
    path = GOLDEN / f"{name}.txt"
    text = render(CASES[name])
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text)
    assert path.read_text() == text
