"""Joint-specific exercises and cues, one table row per joint (PLANNER.md "Joint issues")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conversations.plan_texts import session_text
from planner import (
    Grade,
    Joint,
    LogEntry,
    LogKind,
    Phase,
    Profile,
    Running,
    Session,
    SessionType,
    build_plan,
    session_for,
)
from planner.focus import dress

S = date(2025, 1, 6)
ST = SessionType


def prof(joints: frozenset, running: Running = Running.NO) -> Profile:
    return Profile(running, 30 if running is not Running.NO else None, joints,
                   S + timedelta(weeks=12), Grade.MODERATE, 5, S)


def first(p: Profile, stype: SessionType, phase: Phase):
    return next(s for w in build_plan(p, (), S).weeks for s in w.sessions
                if s.type is stype and s.phase is phase)


# joint, session type, phase, exercise codes that must be there, focus codes, words in the text
TABLE = [
    (Joint.KNEE, ST.STRENGTH, Phase.BASE, {"reverse_step_up", "lateral_step_down"}, set(),
     ["reverse step-ups", "lateral step-downs", "2 x 6-10"]),
    (Joint.KNEE, ST.BACKPACK_WALK, Phase.BASE, set(), {"uphill_over_downhill"}, ["climbs"]),
    (Joint.KNEE, ST.STAIRS, Phase.BASE, set(), {"stairs_up"}, ["walk up"]),
    (Joint.ANKLE, ST.STRENGTH, Phase.BASE, {"single_leg_balance"}, set(), ["balance"]),
    (Joint.ANKLE, ST.BACKPACK_WALK, Phase.BASE, set(), {"even_ground"}, ["even ground"]),
    (Joint.ANKLE, ST.BACKPACK_WALK, Phase.BUILD, set(), {"uneven_ground"}, ["uneven"]),
    (Joint.BACK, ST.STRENGTH, Phase.BASE, {"plank", "bird_dog", "dead_bug"}, {"core_first"},
     ["plank", "core work first"]),
    (Joint.BACK, ST.BACKPACK_WALK, Phase.BASE, set(), {"pack_slow"}, ["1 kg a week"]),
    (Joint.HIP, ST.STRENGTH, Phase.BASE, {"glute_bridge", "clamshell", "side_leg_raise"},
     {"step_up_control"}, ["glute bridges", "clamshells", "2 x 10-12", "under control"]),
    (Joint.HIP, ST.BACKPACK_WALK, Phase.BASE, set(), {"short_strides_down"},
     ["shorter strides", "poles"]),
    (Joint.HIP, ST.STAIRS, Phase.BUILD, set(), {"short_strides_down"}, ["shorter strides"]),
]


@pytest.mark.parametrize("joint,stype,phase,moves,focus,words", TABLE)
def test_joint_focus_table(joint: Joint, stype: SessionType, phase: Phase, moves: set,
                           focus: set, words: list) -> None:
    s = first(prof(frozenset({joint})), stype, phase)
    codes = {e.code for e in s.exercises}
    assert moves <= codes and focus <= set(s.focus)
    text = session_text(s)
    for w in words:
        assert w in text
    plain = first(prof(frozenset()), stype, phase)
    assert not moves & {e.code for e in plain.exercises}
    # everyone's cues only: boots and poles, rough ground, downhill practice
    assert set(plain.focus) <= {"trek_kit", "rough_ground", "downhill", "stairs_down"}


def test_knee_moves_dose_2_to_3_sets_of_6_to_15() -> None:
    p = prof(frozenset({Joint.KNEE}))
    for w in build_plan(p, (), S).weeks:
        for s in w.sessions:
            for e in s.exercises:
                if e.joint == "knee":
                    assert s.type is ST.STRENGTH and 2 <= e.sets <= 3
                    assert 6 <= e.reps[0] < e.reps[1] <= 15


@pytest.mark.parametrize("sets,reps", [(2, (6, 10)), (3, (10, 15))])
def test_knee_moves_rep_range_follows_sets(sets: int, reps: tuple) -> None:
    p = prof(frozenset({Joint.KNEE}))
    s = dress(p, Session(S, ST.STRENGTH, 10 * sets, False, Phase.BUILD, sets=sets))
    knee = [e for e in s.exercises if e.joint == "knee"]
    assert [e.code for e in knee] == ["reverse_step_up", "lateral_step_down"]
    assert all(e.sets == sets and e.reps == reps for e in knee)
    assert f"{sets} x {reps[0]}-{reps[1]}" in session_text(s)


@pytest.mark.parametrize("sets,reps", [(2, (10, 12)), (3, (12, 15))])
def test_hip_moves_2_to_3_sets_of_10_to_15(sets: int, reps: tuple) -> None:
    p = prof(frozenset({Joint.HIP}))
    s = dress(p, Session(S, ST.STRENGTH, 5 + 10 * sets, False, Phase.BUILD, sets=sets))
    hip = [e for e in s.exercises if e.joint == "hip"]
    assert [e.code for e in hip] == ["glute_bridge", "clamshell", "side_leg_raise"]
    assert all(e.sets == sets and e.reps == reps for e in hip)
    assert session_text(s).count("For your hip") == 1
    mobility = dress(p, Session(S, ST.MOBILITY, 15, False, Phase.BASE))
    assert {e.code for e in mobility.exercises} == {"glute_bridge", "clamshell"}


def test_back_core_comes_first_and_everyone_gets_the_basic_moves() -> None:
    s = first(prof(frozenset({Joint.BACK})), ST.STRENGTH, Phase.BASE)
    assert s.exercises[0].code == "plank"
    assert {"squat", "lunge", "step_up", "calf_raise"} <= {e.code for e in s.exercises}


def test_focus_follows_adaptations() -> None:
    """Pain turns strength into mobility: knee moves go, back core work stays."""
    p = prof(frozenset({Joint.KNEE, Joint.BACK}))
    day = next(s.day for w in build_plan(p, (), S).weeks for s in w.sessions
               if s.type is ST.STRENGTH and s.day > S + timedelta(7))
    hist = (LogEntry(day - timedelta(1), LogKind.PAIN, pain=7),)
    s = session_for(p, hist, day, day - timedelta(1))
    assert s is not None and s.type is ST.MOBILITY
    codes = {e.code for e in s.exercises}
    assert "plank" in codes and "reverse_step_up" not in codes
