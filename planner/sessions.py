"""Session types as a data table, and the Session a person is asked to do."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from planner.phases import Phase


class SessionType(StrEnum):
    """Kinds of session."""

    ZONE2_RUN = "zone2_run"
    INTERVALS = "intervals"
    HILL_REPEATS = "hill_repeats"
    LONG_RUN = "long_run"
    BACKPACK_WALK = "backpack_walk"
    STAIRS = "stairs"
    CYCLING = "cycling"
    STRENGTH = "strength"
    MOBILITY = "mobility"
    RECOVERY = "recovery"
    EASY_WALK = "easy_walk"
    SECOND_WALK = "second_walk"  # the shorter loaded walk the day after the long walk
    STEP_UPS = "step_ups"  # stairs without stairs: step-ups on a sturdy step
    BRISK_WALK = "brisk_walk"  # cycling without a bike or gym: a brisk walk or a swim


@dataclass(frozen=True)
class TypeSpec:
    """Rules for one session type (PLANNER.md, "Session types")."""

    running: bool
    low_impact: bool
    min_minutes: int
    max_minutes: int
    cue: str
    why: str


TYPES: dict[SessionType, TypeSpec] = {
    SessionType.ZONE2_RUN: TypeSpec(True, False, 20, 40, "conversational", "aerobic_base"),
    SessionType.INTERVALS: TypeSpec(True, False, 20, 25, "bursts", "speed_reserve"),
    SessionType.HILL_REPEATS: TypeSpec(True, False, 20, 35, "hill_hard", "climbing"),
    SessionType.LONG_RUN: TypeSpec(True, False, 30, 60, "steady", "endurance"),
    SessionType.BACKPACK_WALK: TypeSpec(False, False, 30, 270, "brisk_talk", "carry_weight"),
    SessionType.STAIRS: TypeSpec(False, False, 14, 45, "puffing", "elevation"),
    SessionType.CYCLING: TypeSpec(False, True, 20, 60, "conversational", "low_impact"),
    SessionType.STRENGTH: TypeSpec(False, True, 25, 35, "two_in_reserve", "strength"),
    SessionType.MOBILITY: TypeSpec(False, True, 15, 20, "gentle", "mobility"),
    SessionType.RECOVERY: TypeSpec(False, True, 0, 0, "rest", "recovery"),
    SessionType.EASY_WALK: TypeSpec(False, True, 10, 30, "easy", "fresh"),
    SessionType.SECOND_WALK: TypeSpec(False, False, 30, 150, "steady_tired", "tired_legs"),
    SessionType.STEP_UPS: TypeSpec(False, False, 14, 45, "puffing", "elevation"),
    SessionType.BRISK_WALK: TypeSpec(False, True, 20, 60, "conversational", "low_impact"),
}

RUNNING_TYPES = frozenset(t for t, s in TYPES.items() if s.running)
RUN_WALK_TYPES = frozenset({SessionType.ZONE2_RUN, SessionType.LONG_RUN})  # may be run/walk


@dataclass(frozen=True)
class Exercise:
    """One exercise of a strength or mobility session: sets x reps (or seconds held)."""

    code: str
    sets: int
    reps: tuple[int, int]
    unit: str = "reps"  # "reps" or "s"
    joint: str = ""  # the joint issue it is there for, "" for everyone


@dataclass(frozen=True)
class Session:
    """One day's session. RECOVERY means a rest day (minutes 0)."""

    day: date
    type: SessionType
    minutes: int
    hard: bool
    phase: Phase
    reps: int | None = None
    rep_seconds: int | None = None
    floors: int | None = None
    pack_kg: float | None = None
    sets: int | None = None
    cue: str = ""
    note: str = ""
    exercises: tuple[Exercise, ...] = ()  # strength / mobility content (planner.focus)
    focus: tuple[str, ...] = ()  # joint cue codes, e.g. "even_ground" (planner.focus)
    run_walk: tuple[int, int] | None = None  # (run min, walk min) repeats; None = continuous
    strength_block: int = 0  # minutes of a short strength block after the session (0: none)

    @property
    def is_run(self) -> bool:
        """A running session."""
        return self.type in RUNNING_TYPES

    @property
    def training(self) -> bool:
        """Not a rest day."""
        return self.type is not SessionType.RECOVERY


def rest_day(day: date, phase: Phase, note: str = "rest_day") -> Session:
    """A recovery (rest) day."""
    return Session(day=day, type=SessionType.RECOVERY, minutes=0, hard=False, phase=phase,
                   cue=TYPES[SessionType.RECOVERY].cue, note=note)


def as_easy(s: Session, stype: SessionType, minutes: int, note: str) -> Session:
    """``s`` turned into an easy session of ``stype`` (RECOVERY, 0 min: a rest day).

    The one way to do it: not hard; no reps, floors, pack or sets; the type's cue and the
    ``note``; exercises and focus cleared (``planner.focus.dress`` fills them again). A
    run/walk pattern stays only while the new session is a run/walk type and one segment
    plus its walk does not cover it, as ``dress`` would leave it: an easy run keeps the
    run segment the person can manage, anything else runs continuously or not at all."""
    rw = s.run_walk
    if rw is not None and (stype not in RUN_WALK_TYPES or sum(rw) >= minutes):
        rw = None
    return replace(s, type=stype, minutes=minutes, hard=False, reps=None, rep_seconds=None,
                   floors=None, pack_kg=None, sets=None, run_walk=rw, cue=TYPES[stype].cue,
                   note=note, exercises=(), focus=(), strength_block=0)


def as_rest(s: Session, note: str) -> Session:
    """``s`` turned into a rest day (``as_easy`` to RECOVERY)."""
    return as_easy(s, SessionType.RECOVERY, 0, note)
