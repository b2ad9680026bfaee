"""Trek-ready targets by grade (PLANNER.md, "Trek-ready targets")."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    pack_kg: tuple[int, int]  # trek pack range; the plan builds to the top of it
    carry_hours: int
    long_walk_minutes: int  # the peak long loaded walk: PEAK_WALK_SHARE of a trek day
    weekly_minutes: int  # our judgement: a sustainable peak week
    trek_day_minutes: int = 0  # our judgement: a typical day on the trek
    weekly_climb_m: int = 0  # our judgement: about one trek day's ascent, every week


# A trek day (our judgement from typical itineraries): easy ~4 h, moderate ~5 h (5-6 h),
# difficult ~6 h (6-7 h). The peak long walk is about 75-100% of a trek day (Backpacker);
# we aim at the low end, 75%: 3 h / 3 h 45 / 4 h 30. Trek pack (top of the range):
# easy 6 kg, moderate 8 kg, difficult 10 kg (Trexpert: 8-10 kg for difficult treks).
TREK_DAY_MINUTES: dict[Grade, int] = {Grade.EASY: 240, Grade.MODERATE: 300,
                                      Grade.DIFFICULT: 360}
PEAK_WALK_SHARE = 0.75

TARGETS: dict[Grade, Targets] = {
    Grade.EASY: Targets(Grade.EASY, 45, (10, 15), 3, 3, (15, 20), (5, 6), 2, 180, 240, 240),
    Grade.MODERATE: Targets(Grade.MODERATE, 45, (20, 25), 5, 3, (30, 35), (6, 8), 3, 225, 300,
                            300),
    Grade.DIFFICULT: Targets(Grade.DIFFICULT, 35, (35, 35), 8, 3, (50, 50), (8, 10), 4, 270,
                             360, 360),
}
# A trek day climbs about 500 / 800 / 1000 m (our judgement from typical itineraries); a
# trek-ready week climbs about that much (stairs count at 3 m a floor).
WEEKLY_CLIMB_M: dict[Grade, int] = {Grade.EASY: 500, Grade.MODERATE: 800,
                                    Grade.DIFFICULT: 1000}
TARGETS = {g: replace(t, weekly_climb_m=WEEKLY_CLIMB_M[g]) for g, t in TARGETS.items()}
RUN_TARGET_KM = 5.0  # the run target is 5 km (PLANNER.md, "Trek-ready targets")
# Recommended lead time in weeks (about 2 / 3 / 4 months).
RECOMMENDED_WEEKS: dict[Grade, int] = {Grade.EASY: 9, Grade.MODERATE: 13, Grade.DIFFICULT: 17}
MINIMUM_WEEKS = 8  # Indiahikes asks for at least 2 months


def targets(grade: Grade) -> Targets:
    """Trek-ready targets for a grade."""
    return TARGETS[grade]
