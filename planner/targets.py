"""Trek-ready targets by grade (PLANNER.md, "Trek-ready targets")."""

from __future__ import annotations

from dataclasses import dataclass

from planner.profile import Grade


@dataclass(frozen=True)
class Targets:
    """What trek-ready looks like for a grade."""

    grade: Grade
    run_5k_minutes: int
    stairs_floors: tuple[int, int]
    pack_walk_km: int
    squat_sets: int
    squat_reps: tuple[int, int]
    pack_kg: tuple[int, int]
    carry_hours: int
    long_walk_minutes: int
    weekly_minutes: int  # our judgement: a sustainable peak week


TARGETS: dict[Grade, Targets] = {
    Grade.EASY: Targets(Grade.EASY, 45, (10, 15), 3, 3, (15, 20), (5, 6), 2, 120, 180),
    Grade.MODERATE: Targets(Grade.MODERATE, 45, (20, 25), 5, 3, (30, 35), (6, 8), 3, 180, 240),
    Grade.DIFFICULT: Targets(Grade.DIFFICULT, 35, (35, 35), 8, 3, (50, 50), (8, 10), 4, 240, 300),
}

# Recommended lead time in weeks (about 2 / 3 / 4 months).
RECOMMENDED_WEEKS: dict[Grade, int] = {Grade.EASY: 9, Grade.MODERATE: 13, Grade.DIFFICULT: 17}
MINIMUM_WEEKS = 8  # Indiahikes asks for at least 2 months


def targets(grade: Grade) -> Targets:
    """Trek-ready targets for a grade."""
    return TARGETS[grade]
