"""Week-by-week progression: doses, the 10% cap, deloads, taper and restarts."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from planner.focus import dress
from planner.phases import (
    DELOAD_CAP,
    DELOAD_FACTOR,
    TAPER_CAP,
    TAPER_FACTOR,
    Phase,
    phase_table,
    underlying_phase,
)
from planner.plan import Week, week_minutes
from planner.profile import Joint, Profile, Running
from planner.sessions import TYPES, Session, SessionType
from planner.start import (
    next_run_segment,
    run_walk,
    stairs_minutes,
    start_volumes,
    strength_minutes,
)
from planner.targets import targets
from planner.week import Role, easy_run_days, layout

WEEKLY_RISE = 1.10  # at most +10% over the last non-deload week
STEP_KG = 2.0  # pack: +2 kg on load weeks
BACK_STEP_KG = 1.0  # back issue: +1 kg
WALK_STEP_MAX = 45  # the long walk grows by at most 45 min a week (our judgement)
SHORT_RUNWAY_LONG_WALK = 60
QUALITY_ROTATION = (SessionType.INTERVALS, SessionType.HILL_REPEATS, SessionType.STAIRS)


@dataclass(frozen=True)
class Doses:
    """Progression state carried from week to week."""

    long_min: int
    pack: float
    floors: int
    stairs_pack: float
    z2: int
    cycling: int
    long_run: int
    sets: int
    quality: int
    step: int
    run_seg: int | None = None  # run/walk segment minutes; None = continuous running


def _clamp(x: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, x))


def start_pack(profile: Profile) -> float:
    """Starting pack: about 10% of body weight, 4 kg when unknown, never above target."""
    top = float(targets(profile.grade).pack_kg[1])
    if profile.body_weight_kg is None:
        return min(4.0, top)
    return min(top, float(_clamp(round(profile.body_weight_kg * 0.10), 3, 8)))


def start_doses(profile: Profile) -> Doses:
    """Doses for week 1, from the start volumes table (planner/start.py)."""
    v = start_volumes(profile)
    return Doses(
        long_min=v.walk,
        pack=start_pack(profile),
        floors=v.floors,
        stairs_pack=0.0,
        z2=v.z2,
        cycling=v.cycling,
        long_run=v.long_run,
        sets=v.strength_sets,
        quality=0,
        step=0,
        run_seg=v.run_seg,
    )


def _grow10(x: int, top: int) -> int:
    return min(top, max(x, math.floor(x * 1.10)))


def pack_step(profile: Profile) -> float:
    """+2 kg on a load week; +1 kg with a back issue."""
    return BACK_STEP_KG if Joint.BACK in profile.joints else STEP_KG


def pack_steps_left(profile: Profile, pack: float) -> int:
    """Load weeks still needed to reach the trek pack weight."""
    top = float(targets(profile.grade).pack_kg[1])
    return max(0, math.ceil((top - pack) / pack_step(profile) - 1e-9))


def next_walk(current: int, target: int, duration_weeks: int) -> int:
    """The long walk on a duration week: an even (geometric) share of the way to the peak
    over the duration weeks left, rounded up to 5 min, at least +10 and at most
    +WALK_STEP_MAX minutes (our judgement)."""
    if current >= target:
        return current
    ratio = (target / current) ** (1 / max(1, duration_weeks))
    nxt = math.ceil(current * ratio / 5) * 5
    return min(target, current + WALK_STEP_MAX, max(current + 10, nxt))


def grow(profile: Profile, d: Doses, tphase: Phase, remaining: int = 1) -> Doses:
    """One progressive week; ``remaining`` counts the growth weeks left up to the peak
    (this one included). The pack and the walk's length never rise in the same week:
    they alternate while both have a way to go, and once one reaches its target the
    other gets every week."""
    t = targets(profile.grade)
    step = d.step + 1
    quality_phase = tphase in (Phase.BUILD, Phase.PEAK)
    top = float(t.pack_kg[1])
    loads = pack_steps_left(profile, d.pack)
    walk_done = d.long_min >= t.long_walk_minutes
    load_week = loads > 0 and (walk_done or step % 2 == 0)
    pack, long_min = d.pack, d.long_min
    if load_week:
        pack = min(top, pack + pack_step(profile))
    else:
        duration_weeks = remaining - min(loads, remaining // 2)
        long_min = next_walk(long_min, t.long_walk_minutes, max(1, duration_weeks))
    floors, stairs_pack = d.floors, d.stairs_pack
    stairs_top = max(0.0, top - 2.0)
    if step % 2 == 0 and quality_phase and stairs_pack < stairs_top:
        stairs_pack = min(stairs_top, stairs_pack + STEP_KG)
    else:
        floors = min(t.stairs_floors[1], floors + 2)
    return Doses(
        long_min=long_min,
        pack=pack,
        floors=floors,
        stairs_pack=stairs_pack,
        z2=_grow10(d.z2, 40),
        cycling=_grow10(d.cycling, 60),
        long_run=_grow10(d.long_run, 60),
        sets=3 if quality_phase else start_volumes(profile).strength_sets,
        quality=d.quality + (1 if quality_phase else 0),
        step=step,
        run_seg=next_run_segment(d.run_seg),
    )


def restart(profile: Profile, d: Doses, factor: float) -> Doses:
    """Doses after a break: about 75% (7+ days) or 60% (14+ days), pack 2 kg lighter."""
    return replace(
        d,
        long_min=max(30, int(d.long_min * factor)),
        pack=max(start_pack(profile), d.pack - STEP_KG),
        floors=max(8, int(d.floors * factor)),
        stairs_pack=max(0.0, d.stairs_pack - STEP_KG),
        z2=max(20, int(d.z2 * factor)),
        cycling=max(20, int(d.cycling * factor)),
        long_run=max(30, int(d.long_run * factor)),
        sets=2,
    )


def choose_type(profile: Profile, role: Role, weekday: int, tphase: Phase, index: int,
                slot: int) -> SessionType:
    """Session type for a role in a phase (PLANNER.md, "The week" and "Joint issues")."""
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
        if tphase is Phase.BASE and free_runner and profile.running is Running.REGULAR:
            return SessionType.LONG_RUN
        return SessionType.STAIRS
    if weekday in easy_run_days(profile):
        return SessionType.ZONE2_RUN
    return SessionType.CYCLING


def _session(profile: Profile, day: date, role: Role, stype: SessionType, phase: Phase,
             d: Doses, f: float) -> Session:
    hard = role in (Role.LONG, Role.HARD)
    spec = TYPES[stype]
    base = Session(day=day, type=stype, minutes=0, hard=hard, phase=phase, cue=spec.cue,
                   note=role.value)
    if stype is SessionType.BACKPACK_WALK:
        return replace(base, minutes=max(30, int(d.long_min * f)), pack_kg=d.pack)
    if stype is SessionType.STAIRS:
        floors = max(8, int(d.floors * f))
        return replace(base, minutes=stairs_minutes(floors), floors=floors,
                       pack_kg=d.stairs_pack or None)
    if stype is SessionType.LONG_RUN:
        minutes = max(30, int(d.long_run * f))
        return replace(base, minutes=minutes, run_walk=run_walk(d.run_seg, minutes))
    if stype is SessionType.INTERVALS:
        q = d.quality
        mins = max(20, int(min(25, 20 + q) * f))
        return replace(base, minutes=mins, reps=min(8, 6 + q // 2),
                       rep_seconds=min(30, 20 + 5 * (q // 2)))
    if stype is SessionType.HILL_REPEATS:
        reps = min(10, 6 + d.quality // 2)
        return replace(base, minutes=_clamp(int((10 + 2 * reps) * f), 20, 35), reps=reps,
                       rep_seconds=min(90, 45 + 10 * (d.quality // 2)))
    if stype is SessionType.ZONE2_RUN:
        minutes = _clamp(int(d.z2 * f), 20, 40)
        return replace(base, minutes=minutes, run_walk=run_walk(d.run_seg, minutes))
    if stype is SessionType.CYCLING:
        return replace(base, minutes=_clamp(int(d.cycling * f), 20, 60))
    if stype is SessionType.STRENGTH:
        sets = d.sets if f >= 1.0 else 2
        return replace(base, minutes=strength_minutes(sets), sets=sets)
    return replace(base, minutes=spec.min_minutes)


def _build(profile: Profile, start: date, ndays: int, phase: Phase, tphase: Phase,
           index: int, d: Doses, f: float) -> tuple[Session, ...]:
    roles = layout(profile)
    out: list[Session] = []
    hard_slot = 0
    for k in range(ndays):
        day = start + timedelta(days=k)
        role = roles.get(day.weekday())
        if role is None:
            continue
        stype = choose_type(profile, role, day.weekday(), tphase, index, hard_slot)
        if role is Role.HARD:
            hard_slot += 1
        out.append(_session(profile, day, role, stype, phase, d, f))
    return tuple(out)


TRIM_ORDER = (SessionType.CYCLING, SessionType.LONG_RUN, SessionType.ZONE2_RUN,
              SessionType.STRENGTH, SessionType.BACKPACK_WALK)  # the long walk last


def trim(sessions: tuple[Session, ...], cap: int,
         order: tuple[SessionType, ...] = TRIM_ORDER) -> tuple[Session, ...]:
    """Shorten elastic sessions (in ``order``; the long walk last) until the week fits
    under ``cap``."""
    out = list(sessions)
    for stype in order:
        for i, s in enumerate(out):
            excess = week_minutes(tuple(out)) - cap
            if excess <= 0:
                return tuple(out)
            if s.type is stype:
                cut = min(excess, s.minutes - TYPES[stype].min_minutes)
                if cut > 0 and s.sets is not None:  # strength: whole sets of 10 min
                    sets = max(2, s.sets - math.ceil(cut / 10))
                    out[i] = replace(s, minutes=strength_minutes(sets), sets=sets)
                elif cut > 0:
                    out[i] = replace(s, minutes=s.minutes - cut)
    return tuple(out)


def _rest(s: Session, note: str) -> Session:
    return replace(s, type=SessionType.RECOVERY, minutes=0, hard=False, reps=None,
                   rep_seconds=None, floors=None, pack_kg=None, sets=None,
                   cue=TYPES[SessionType.RECOVERY].cue, note=note)


ROOM_DROP_ORDER = (SessionType.MOBILITY, SessionType.CYCLING, SessionType.ZONE2_RUN,
                   SessionType.LONG_RUN, SessionType.INTERVALS, SessionType.HILL_REPEATS,
                   SessionType.STRENGTH, SessionType.STAIRS)


def make_room(sessions: tuple[Session, ...], cap: int, keep_cycling: bool, walk_floor: int
              ) -> tuple[Session, ...]:
    """A progression week over the 10% cap: the long walk takes a larger share. First the
    other sessions get shorter; then the walk gives up at most half of this week's rise
    (down to ``walk_floor``), so that a session is not dropped for a few minutes; then
    the other sessions turn into rest days (note ``walk_week``), always keeping one
    strength session and, with a joint issue, one cycling day, and the walk takes back
    the room; only then is the walk shortened further."""
    out = list(trim(sessions, cap, TRIM_ORDER[:-1]))
    walk_i = next((i for i, s in enumerate(out) if s.type is SessionType.BACKPACK_WALK), None)
    desired = out[walk_i].minutes if walk_i is not None else 0

    def total() -> int:
        return week_minutes(tuple(out))

    def set_walk(minutes: int) -> None:
        if walk_i is not None:
            low = TYPES[SessionType.BACKPACK_WALK].min_minutes
            out[walk_i] = replace(out[walk_i], minutes=max(low, minutes))

    def count(t: SessionType) -> int:
        return sum(x.type is t for x in out)

    if walk_i is not None and total() > cap:
        set_walk(max(min(walk_floor, desired), desired - (total() - cap)))
    for stype in ROOM_DROP_ORDER:
        for i, s in enumerate(out):
            if total() <= cap:
                break
            if s.type is not stype:
                continue
            if stype is SessionType.STRENGTH and count(stype) <= 1:
                continue
            if stype is SessionType.CYCLING and keep_cycling and count(stype) <= 1:
                continue
            out[i] = _rest(s, "walk_week")
    if walk_i is not None and total() < cap:
        set_walk(min(desired, out[walk_i].minutes + cap - total()))
    return trim(tuple(out), cap)


DROP_ORDER = (SessionType.MOBILITY, SessionType.CYCLING, SessionType.STRENGTH,
              SessionType.ZONE2_RUN, SessionType.LONG_RUN)


def stretch_walk(sessions: tuple[Session, ...], cap: int, top: int) -> tuple[Session, ...]:
    """On a duration week the long walk takes the room left under the cap, up to ``top``."""
    room = cap - week_minutes(sessions)
    return tuple(replace(s, minutes=min(top, s.minutes + room))
                 if s.type is SessionType.BACKPACK_WALK and room > 0 and s.minutes < top
                 else s for s in sessions)


def fill(sessions: tuple[Session, ...], cap: int, stairs_top: int) -> tuple[Session, ...]:
    """A week under its cap whose walk did not use the room (a pack week, or a walk
    already at its peak): the other sessions take it, within their own maxima (cycling
    and zone 2 runs longer, a third strength set, more floors), so the week still grows
    and the next walk step has room."""
    out = list(sessions)
    for i, s in enumerate(out):
        room = cap - week_minutes(tuple(out))
        if room <= 0:
            break
        if s.type in (SessionType.CYCLING, SessionType.ZONE2_RUN):
            # A run grows ~10% at a time (article); low-impact cycling may take bigger steps.
            step = max(2, s.minutes // 10) if s.type is SessionType.ZONE2_RUN else max(
                5, s.minutes // 4)
            out[i] = replace(s, minutes=s.minutes + min(room, step, TYPES[s.type].max_minutes
                                                        - s.minutes))
        elif s.type is SessionType.STRENGTH and s.sets == 2 and room >= 10:
            out[i] = replace(s, minutes=strength_minutes(3), sets=3)
        elif s.type is SessionType.STAIRS and s.floors is not None:
            step = max(2, s.floors // 5)  # a few floors more, not a jump (our judgement)
            floors = min(stairs_top, s.floors + min(2 * room, step))
            out[i] = replace(s, floors=floors, minutes=stairs_minutes(floors))
    return tuple(out)


def trim_or_rest(sessions: tuple[Session, ...], cap: int, keep_cycling: bool = False
                 ) -> tuple[Session, ...]:
    """Trim; if the week is still over ``cap`` (tiny volumes), turn the easiest sessions
    into rest days, never the long walk (nor, with ``keep_cycling``, the last cycling day:
    joint issues keep their low-impact cardio every week)."""
    out = list(trim(sessions, cap))
    for i, s in enumerate(out):
        if week_minutes(tuple(out)) <= cap:
            return tuple(out)
        if s.type is SessionType.STRENGTH:
            out[i] = replace(s, type=SessionType.MOBILITY, minutes=15, sets=None,
                             cue=TYPES[SessionType.MOBILITY].cue)
    for stype in DROP_ORDER:
        for i, s in enumerate(out):
            if week_minutes(tuple(out)) <= cap:
                return tuple(out)
            if s.type is stype:
                if keep_cycling and stype is SessionType.CYCLING and sum(
                        x.type is SessionType.CYCLING for x in out) <= 1:
                    continue
                out[i] = _rest(s, "light_week")
    return tuple(out)


def _fit_doses(profile: Profile, d: Doses, sessions: tuple[Session, ...]) -> Doses:
    """Carry trimmed minutes back into the doses, so the next week grows from them."""
    for s in sessions:
        if s.type is SessionType.BACKPACK_WALK and s.minutes < d.long_min:
            d = replace(d, long_min=s.minutes)
        elif s.type is SessionType.CYCLING and s.minutes < d.cycling:
            d = replace(d, cycling=s.minutes)
        elif s.type is SessionType.LONG_RUN and s.minutes < d.long_run:
            d = replace(d, long_run=s.minutes)
        elif s.type is SessionType.ZONE2_RUN and s.minutes < d.z2:
            d = replace(d, z2=s.minutes)
    return d


PLANNED_RESTS = frozenset({"walk_week", "light_week"})


def _keep_rests(sessions: tuple[Session, ...], before: tuple[Session, ...],
                notes: frozenset[str] = frozenset({"walk_week"})) -> tuple[Session, ...]:
    """Keep the rest days ``before`` gave to its long walk (an easier week after a walk
    week; the weeks after a restart keep the rest days of the plan as it was)."""
    rested = {s.day.weekday() for s in before if s.note in notes and not s.training}
    return tuple(_rest(s, "light_week") if s.day.weekday() in rested else s for s in sessions)


def _pre_trek(profile: Profile, sessions: tuple[Session, ...]) -> tuple[Session, ...]:
    """The last two days before the trek: an easy walk, then rest."""
    out: list[Session] = []
    for s in sessions:
        left = (profile.trek_date - s.day).days
        if left == 1:
            s = replace(s, type=SessionType.RECOVERY, minutes=0, hard=False, reps=None,
                        rep_seconds=None, floors=None, pack_kg=None, sets=None,
                        cue=TYPES[SessionType.RECOVERY].cue, note="pre_trek_rest")
        elif left == 2:
            s = replace(s, type=SessionType.EASY_WALK, minutes=min(20, s.minutes), hard=False,
                        reps=None, rep_seconds=None, floors=None, pack_kg=None, sets=None,
                        cue=TYPES[SessionType.EASY_WALK].cue, note="pre_trek_walk")
        out.append(s)
    return tuple(out)


def _short_doses(profile: Profile) -> Doses:
    d = start_doses(profile)
    return replace(d, long_min=SHORT_RUNWAY_LONG_WALK, z2=min(d.z2, 30), sets=2)


@lru_cache(maxsize=8192)
def simulate(profile: Profile, restart_at: int | None = None, restart_from: int = 0,
             restart_factor: float = 1.0, holds: frozenset[int] = frozenset()
             ) -> tuple[Week, ...]:
    """All plan weeks (index 1-based). ``restart_at``: week index where a break restart
    applies, with doses taken from week ``restart_from`` scaled by ``restart_factor``.
    ``holds``: week indexes whose volume is held at the week before's level."""
    total = (profile.trek_date - profile.start_date).days
    phases = phase_table(total)
    weeks: list[Week] = []
    history: list[Doses] = []
    d = _short_doses(profile) if phases[:1] == (Phase.SHORT_RUNWAY,) else start_doses(profile)
    growth = [k + 1 for k, ph in enumerate(phases)
              if k > 0 and ph in (Phase.BASE, Phase.BUILD, Phase.PEAK)]
    ref: int | None = None  # minutes of the last non-deload, pre-taper week
    ref_index, ref_sessions, ref_doses = 0, (), d

    def _built(index: int, start: date, ndays: int, phase: Phase, tphase: Phase, d: Doses,
               f: float) -> tuple[Session, ...]:
        out = _build(profile, start, ndays, phase, tphase, index, d, f)
        if restart_at is not None and index >= restart_at:
            out = _keep_rests(out, simulate(profile)[index - 1].sessions, PLANNED_RESTS)
        return out

    for i, phase in enumerate(phases):
        index = i + 1
        start = profile.start_date + timedelta(days=7 * i)
        ndays = min(7, total - 7 * i)
        tphase = phase
        if phase is Phase.DELOAD:
            tphase = underlying_phase(total, i)
        elif phase is Phase.TAPER:
            tphase = Phase.PEAK
        prev_walk = d.long_min
        if index == restart_at:
            src = history[restart_from - 1] if 0 < restart_from <= len(history) else d
            d = restart(profile, src, restart_factor)
        elif phase in (Phase.BASE, Phase.BUILD, Phase.PEAK) and i > 0 and index not in holds:
            d = grow(profile, d, tphase, sum(1 for g in growth if g >= index))
        if phase is Phase.DELOAD:
            sessions = _built(index, start, ndays, phase, tphase, d, DELOAD_FACTOR)
            if weeks:
                sessions = _keep_rests(sessions, weeks[-1].sessions)
            prev = weeks[-1].minutes if weeks else week_minutes(sessions)
            sessions = trim_or_rest(sessions, math.floor(prev * DELOAD_CAP),
                                    profile.joint_issue)
        elif phase is Phase.TAPER:
            sessions = _built(index, start, ndays, phase, tphase, d, TAPER_FACTOR)
            base_ref = ref if ref is not None else week_minutes(sessions)
            sessions = trim_or_rest(sessions, math.floor(base_ref * TAPER_CAP),
                                    profile.joint_issue)
        else:
            sessions = _built(index, start, ndays, phase, tphase, d, 1.0)
            if ref is not None:
                cap = math.floor(ref * 1.10)
                # the walk gives up at most half its rise, none of it in the peak weeks
                floor = d.long_min if tphase is Phase.PEAK else (prev_walk + d.long_min + 1) // 2
                sessions = make_room(sessions, cap, profile.joint_issue, floor)
                if index not in holds and index != restart_at and phase is not \
                        Phase.SHORT_RUNWAY:
                    if d.long_min > prev_walk:  # a duration week: the walk takes the room
                        top = min(targets(profile.grade).long_walk_minutes,
                                  prev_walk + WALK_STEP_MAX)
                        sessions = stretch_walk(sessions, cap, top)
                    sessions = fill(sessions, cap, targets(profile.grade).stairs_floors[1])
                if week_minutes(sessions) > cap:
                    shift = timedelta(days=7 * (index - ref_index))
                    sessions = tuple(
                        replace(s, day=s.day + shift, phase=phase) for s in ref_sessions
                        if s.day + shift < profile.trek_date
                    )
                    d = ref_doses
                else:
                    d = _fit_doses(profile, d, sessions)
            else:
                d = _fit_doses(profile, d, sessions)
            if ndays == 7:
                ref, ref_index, ref_sessions, ref_doses = week_minutes(sessions), index, sessions, d
        sessions = _pre_trek(profile, sessions)
        if restart_at is not None and index >= restart_at:
            planned = {s.day: s for s in simulate(profile)[i].sessions}
            sessions = tuple(planned.get(s.day, s) if (profile.trek_date - s.day).days <= 2
                             else s for s in sessions)
            cap = simulate(profile)[i].minutes  # after a break: never more than planned
            if week_minutes(sessions) > cap:
                sessions = trim_or_rest(sessions, cap, profile.joint_issue)
        sessions = tuple(dress(profile, s) for s in sessions)
        history.append(d)
        weeks.append(Week(index=index, start=start, days=ndays, phase=phase,
                          minutes=week_minutes(sessions), sessions=sessions))
    return tuple(weeks)


@lru_cache(maxsize=8192)
def doses_by_week(profile: Profile) -> tuple[int, ...]:
    """Planned minutes per week of the unadapted plan."""
    return tuple(w.minutes for w in simulate(profile))
