"""Joint-specific exercises and cues as data (PLANNER.md, "Joint issues").

``dress(profile, session)`` fills ``Session.exercises`` and ``Session.focus`` from these
tables; it is recomputed from scratch, so it can be applied again after any adaptation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.descents import within
from planner.phases import Phase
from planner.profile import Grade, Joint, Profile
from planner.sessions import RUN_WALK_TYPES, Exercise, Session, SessionType

ST = SessionType


@dataclass(frozen=True)
class Move:
    """A table row: an exercise, its dose at 2 and at 3 sets, and where it goes."""

    code: str
    reps_2: tuple[int, int]
    reps_3: tuple[int, int]
    unit: str = "reps"  # or "s" for holds
    joint: Joint | None = None
    types: frozenset[SessionType] = frozenset({ST.STRENGTH})


# Everyone's strength session (PLANNER.md "Session types": squats, lunges, step-ups, calf raises).
BASE_MOVES: tuple[Move, ...] = tuple(
    Move(code, (8, 12), (10, 15)) for code in ("squat", "lunge", "step_up", "calf_raise")
)

# Knee: reverse step-ups and lateral step-downs, 2-3 sets of 6-15 (fewer reps at 2 sets).
# Ankle: balance work. Back: core emphasis (also in mobility + core sessions).
# Hip (our judgement, the usual physio basics): glute bridges, clamshells and side-lying
# leg raises for the hip abductors and extensors, 2-3 sets of 10-15 (each side).
HIP_BOTH = frozenset({ST.STRENGTH, ST.MOBILITY})
JOINT_MOVES: dict[Joint, tuple[Move, ...]] = {
    Joint.KNEE: (
        Move("reverse_step_up", (6, 10), (10, 15), joint=Joint.KNEE),
        Move("lateral_step_down", (6, 10), (10, 15), joint=Joint.KNEE),
    ),
    Joint.ANKLE: (
        Move("single_leg_balance", (20, 30), (30, 45), "s", Joint.ANKLE,
             frozenset({ST.STRENGTH, ST.MOBILITY})),
    ),
    Joint.BACK: (
        Move("plank", (20, 30), (30, 45), "s", Joint.BACK, frozenset({ST.STRENGTH, ST.MOBILITY})),
        Move("bird_dog", (6, 10), (8, 12), joint=Joint.BACK,
             types=frozenset({ST.STRENGTH, ST.MOBILITY})),
        Move("dead_bug", (6, 10), (8, 12), joint=Joint.BACK,
             types=frozenset({ST.STRENGTH, ST.MOBILITY})),
    ),
    Joint.HIP: (
        Move("glute_bridge", (10, 12), (12, 15), joint=Joint.HIP, types=HIP_BOTH),
        Move("clamshell", (10, 12), (12, 15), joint=Joint.HIP, types=HIP_BOTH),
        Move("side_leg_raise", (10, 12), (12, 15), joint=Joint.HIP),
    ),
}


@dataclass(frozen=True)
class Cue:
    """A focus code for some session types, optionally only in some phases."""

    code: str
    types: frozenset[SessionType]
    phases: frozenset[Phase] | None = None  # None: every phase
    not_phases: frozenset[Phase] = frozenset()


CORE_FIRST = frozenset({Joint.BACK})
WALKS = frozenset({ST.BACKPACK_WALK, ST.SECOND_WALK, ST.EASY_WALK})
ANKLE_EVEN = frozenset({Phase.BASE, Phase.DELOAD})  # short runway: the trek is close
# Everyone: boots and poles practised on the loaded walks once the plan builds (issue 12;
# PLANNER.md "practise the pack, stairs and boots").
KIT_CUE = Cue("trek_kit", frozenset({ST.BACKPACK_WALK, ST.SECOND_WALK}),
              phases=frozenset({Phase.BUILD, Phase.PEAK, Phase.SHORT_RUNWAY}))
# Everyone without an ankle issue (the ankle has its own cue): rough ground on the long
# walk once the plan builds (the seed article: hiking demands "balance, joint stability,
# and footwork that road running doesn't train").
ROUGH_CUE = Cue("rough_ground", frozenset({ST.BACKPACK_WALK}),
                phases=frozenset({Phase.BUILD, Phase.PEAK}))
# High treks (our rule: the profile has no altitude, so a difficult trek counts as high;
# they go well above 3,000 m): ascend slowly and hydrate, on the peak and taper long walks.
ALTITUDE_CUE = Cue("altitude", frozenset({ST.BACKPACK_WALK}),
                   phases=frozenset({Phase.PEAK, Phase.TAPER, Phase.SHORT_RUNWAY}))
# Downhill practice (planner/descents.py): a knee walking some floors down hears how.
DOWN_CUES = {ST.STAIRS: "stairs_down", ST.BACKPACK_WALK: "downhill"}
JOINT_CUES: dict[Joint, tuple[Cue, ...]] = {
    Joint.KNEE: (
        Cue("uphill_over_downhill", WALKS),
        Cue("stairs_up", frozenset({ST.STAIRS})),
    ),
    Joint.ANKLE: (
        Cue("even_ground", WALKS | {ST.STAIRS}, phases=ANKLE_EVEN),
        Cue("uneven_ground", WALKS, not_phases=ANKLE_EVEN),
    ),
    Joint.BACK: (
        Cue("pack_slow", frozenset({ST.BACKPACK_WALK})),
        Cue("core_first", frozenset({ST.STRENGTH, ST.MOBILITY})),
    ),
    Joint.HIP: (
        Cue("short_strides_down", WALKS | {ST.STAIRS}),
        Cue("step_up_control", frozenset({ST.STRENGTH})),
    ),
}


def _exercise(m: Move, sets: int) -> Exercise:
    return Exercise(m.code, sets, m.reps_3 if sets >= 3 else m.reps_2, m.unit,
                    m.joint.value if m.joint else "")


def _focus(profile: Profile, s: Session, joints: list[Joint]) -> tuple[str, ...]:
    cues = [c for j in joints for c in JOINT_CUES.get(j, ())] + [KIT_CUE]
    if Joint.ANKLE not in joints:
        cues.append(ROUGH_CUE)
    if profile.grade is Grade.DIFFICULT:
        cues.append(ALTITUDE_CUE)
    codes = [c.code for c in cues
             if s.type in c.types and (c.phases is None or s.phase in c.phases)
             and s.phase not in c.not_phases]
    if s.descent and s.type in DOWN_CUES:
        if "stairs_up" in codes:  # the knee walks the given floors down, slowly
            codes.remove("stairs_up")
        codes.insert(0, DOWN_CUES[s.type])
    return tuple(codes)


def dress(profile: Profile, s: Session) -> Session:
    """The session with its exercise list and joint focus filled in."""
    if s.run_walk is not None and (s.type not in RUN_WALK_TYPES
                                   or sum(s.run_walk) >= s.minutes):
        s = replace(s, run_walk=None)  # not a run, or one segment covers it: continuous
    down = within(profile, s.type, s.descent, s.minutes, s.floors or 0)
    if down != s.descent:
        s = replace(s, descent=down)
    if not s.training:
        return replace(s, exercises=(), focus=()) if s.exercises or s.focus else s
    sets = s.sets or 2
    joints = sorted(j for j in profile.joints if j in JOINT_MOVES or j in JOINT_CUES)
    extra = [m for j in joints for m in JOINT_MOVES.get(j, ()) if s.type in m.types]
    core = [m for m in extra if m.joint in CORE_FIRST]  # core emphasis: done first
    moves = core + [m for m in BASE_MOVES if s.type in m.types]
    moves += [m for m in extra if m.joint not in CORE_FIRST]
    focus = _focus(profile, s, joints)
    exercises = tuple(_exercise(m, sets) for m in moves)
    if exercises == s.exercises and focus == s.focus:
        return s
    return replace(s, exercises=exercises, focus=focus)
