"""Building a plan week from the doses: a session type per role, per-type doses as a table,
the rest days an easier week keeps, and the two days before the trek."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from planner.doses import Doses, clamp
from planner.phases import Phase
from planner.profile import Profile, Running
from planner.sessions import TYPES, Session, SessionType, as_easy, as_rest
from planner.start import run_walk, stairs_minutes, strength_minutes
from planner.week import Role, easy_run_days, layout, strength_block_days

QUALITY_ROTATION = (SessionType.INTERVALS, SessionType.HILL_REPEATS, SessionType.STAIRS)
PLANNED_RESTS = frozenset({"walk_week", "light_week"})
PRE_TREK_WALK = 20  # two days before the trek: an easy walk of at most 20 min, then rest
SECOND_WALK_SHARE = 0.5  # the second day's walk: half the long walk (our judgement)
STRENGTH_BLOCK = 10  # minutes: one set of the strength moves after another session
B2B_PHASES = frozenset({Phase.BUILD, Phase.PEAK})


def _no_stairs(profile: Profile, stype: SessionType) -> SessionType:
    """No stairs or hill nearby: step-ups on a sturdy step instead (same doses)."""
    if stype is SessionType.STAIRS and profile.stairs is False:
        return SessionType.STEP_UPS
    return stype


def choose_type(profile: Profile, role: Role, weekday: int, tphase: Phase, index: int,
                slot: int, phase: Phase | None = None) -> SessionType:
    """Session type for a role in a phase (PLANNER.md, "The week" and "Joint issues");
    ``phase`` is the week's own phase when it differs from ``tphase`` (a taper week)."""
    return _no_stairs(profile, _choose(profile, role, weekday, tphase, index, slot,
                                       phase or tphase))


def _choose(profile: Profile, role: Role, weekday: int, tphase: Phase, index: int,
            slot: int, phase: Phase) -> SessionType:
    if role is Role.SECOND:
        # no back-to-back pair in the taper: the legs come to the trek fresh
        if tphase in B2B_PHASES and phase is not Phase.TAPER:
            return SessionType.SECOND_WALK
        free = profile.runner and not profile.joint_issue
        return SessionType.ZONE2_RUN if free else SessionType.CYCLING
    if role is Role.LONG:
        return SessionType.BACKPACK_WALK
    if role is Role.STRENGTH:
        return SessionType.STRENGTH
    if role is Role.CARDIO:
        return SessionType.CYCLING
    if role is Role.HARD:
        free_runner = profile.runner and not profile.joint_issue
        if tphase in (Phase.BUILD, Phase.PEAK) and free_runner:
            return QUALITY_ROTATION[(index + slot) % len(QUALITY_ROTATION)]
        # one long session a week: the long slow run alternates (every other base week,
        # one quality day) with stairs
        if tphase is Phase.BASE and free_runner and profile.running is Running.REGULAR \
                and slot == 0 and index % 2 == 1:
            return SessionType.LONG_RUN
        return SessionType.STAIRS
    if weekday in easy_run_days(profile):
        return SessionType.ZONE2_RUN
    return SessionType.CYCLING


# -- per-type doses: session (minutes 0, type, role note) + doses + week factor -> session
Dose = Callable[[Session, Doses, float], Session]


def _walk(s: Session, d: Doses, f: float) -> Session:
    return replace(s, minutes=max(30, int(d.long_min * f)), pack_kg=d.pack)


def _stairs(s: Session, d: Doses, f: float) -> Session:
    floors = max(8, int(d.floors * f))
    return replace(s, minutes=stairs_minutes(floors), floors=floors,
                   pack_kg=d.stairs_pack or None)


def _long_run(s: Session, d: Doses, f: float) -> Session:
    minutes = max(30, int(d.long_run * f))
    return replace(s, minutes=minutes, run_walk=run_walk(d.run_seg, minutes))


def _intervals(s: Session, d: Doses, f: float) -> Session:
    q = d.quality
    return replace(s, minutes=max(20, int(min(25, 20 + q) * f)), reps=min(8, 6 + q // 2),
                   rep_seconds=min(30, 20 + 5 * (q // 2)))


def _hills(s: Session, d: Doses, f: float) -> Session:
    reps = min(10, 6 + d.quality // 2)
    return replace(s, minutes=clamp(int((10 + 2 * reps) * f), 20, 35), reps=reps,
                   rep_seconds=min(90, 45 + 10 * (d.quality // 2)))


def _second_walk(s: Session, d: Doses, f: float) -> Session:
    return replace(s, minutes=max(30, int(d.long_min * SECOND_WALK_SHARE * f)),
                   pack_kg=min(d.second_pack, d.pack))


def _zone2(s: Session, d: Doses, f: float) -> Session:
    minutes = clamp(int(d.z2 * f), 20, 40)
    return replace(s, minutes=minutes, run_walk=run_walk(d.run_seg, minutes))


def _cycling(s: Session, d: Doses, f: float) -> Session:
    return replace(s, minutes=clamp(int(d.cycling * f), 20, 60))


def _strength(s: Session, d: Doses, f: float) -> Session:
    sets = d.sets if f >= 1.0 else 2  # easier weeks: 2 sets
    return replace(s, minutes=strength_minutes(sets), sets=sets)


DOSES: dict[SessionType, Dose] = {
    SessionType.BACKPACK_WALK: _walk,  # walk at least 30 min, the week's pack
    SessionType.STAIRS: _stairs,  # at least 8 floors; a pack from the build phase
    SessionType.STEP_UPS: _stairs,  # no stairs nearby: the same floors as step-ups
    SessionType.SECOND_WALK: _second_walk,  # half the long walk, the starting pack
    SessionType.LONG_RUN: _long_run,  # at least 30 min; run/walk while segments are short
    SessionType.INTERVALS: _intervals,  # 20-25 min, 6-8 reps of 20-30 s
    SessionType.HILL_REPEATS: _hills,  # 20-35 min, 6-10 reps of 45-90 s
    SessionType.ZONE2_RUN: _zone2,  # 20-40 min
    SessionType.CYCLING: _cycling,  # 20-60 min
    SessionType.STRENGTH: _strength,  # 2-3 sets
}


def session(day: date, role: Role, stype: SessionType, phase: Phase, d: Doses,
            f: float) -> Session:
    """The session of ``stype`` on ``day`` at doses ``d`` scaled by the week's factor."""
    spec = TYPES[stype]
    base = Session(day=day, type=stype, minutes=0, hard=role in (Role.LONG, Role.HARD),
                   phase=phase, cue=spec.cue, note=role.value)
    dose = DOSES.get(stype)
    return dose(base, d, f) if dose else replace(base, minutes=spec.min_minutes)


def build_week(profile: Profile, start: date, ndays: int, phase: Phase, tphase: Phase,
               index: int, d: Doses, f: float) -> tuple[Session, ...]:
    """The training days of a week of ``ndays`` from ``start`` (``tphase``: the phase the
    session types follow; a deload takes its surrounding phase's)."""
    roles = layout(profile)
    blocks = strength_block_days(profile)
    out: list[Session] = []
    hard_slot = 0
    for k in range(ndays):
        day = start + timedelta(days=k)
        role = roles.get(day.weekday())
        if role is None:
            continue
        stype = choose_type(profile, role, day.weekday(), tphase, index, hard_slot, phase)
        if role is Role.HARD:
            hard_slot += 1
        s = session(day, role, stype, phase, d, f)
        if day.weekday() in blocks:
            s = replace(s, strength_block=STRENGTH_BLOCK)
        out.append(s)
    return tuple(out)


def keep_rests(sessions: tuple[Session, ...], before: tuple[Session, ...],
               notes: frozenset[str] = frozenset({"walk_week"})) -> tuple[Session, ...]:
    """Keep the rest days ``before`` gave to its long walk (an easier week after a walk
    week; the weeks after a restart keep the rest days of the plan as it was)."""
    rested = {s.day.weekday() for s in before if s.note in notes and not s.training}
    return tuple(as_rest(s, "light_week") if s.day.weekday() in rested else s
                 for s in sessions)


def pair_pack(sessions: tuple[Session, ...]) -> tuple[Session, ...]:
    """The second-day walk never carries more than the week's long walk (when the long
    walk became an easy day, e.g. before the trek, the second walk carries nothing)."""
    seconds = [s for s in sessions if s.type is SessionType.SECOND_WALK]
    if not seconds:
        return sessions
    top = max((s.pack_kg or 0.0 for s in sessions if s.type is SessionType.BACKPACK_WALK),
              default=0.0)
    return tuple(replace(s, pack_kg=min(s.pack_kg, top) or None)
                 if s.type is SessionType.SECOND_WALK and s.pack_kg and s.pack_kg > top
                 else s for s in sessions)


def pre_trek(profile: Profile, sessions: tuple[Session, ...]) -> tuple[Session, ...]:
    """The last two days before the trek: an easy walk, then rest."""
    out: list[Session] = []
    for s in sessions:
        left = (profile.trek_date - s.day).days
        if left == 1:
            s = as_rest(s, "pre_trek_rest")
        elif left == 2:
            s = as_easy(s, SessionType.EASY_WALK, min(PRE_TREK_WALK, s.minutes),
                        "pre_trek_walk")
        out.append(s)
    return tuple(out)
