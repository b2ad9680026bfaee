"""Doses carried from week to week: the start, one progression step, a restart."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from planner.phases import Phase
from planner.profile import Joint, Profile
from planner.sessions import Session, SessionType
from planner.start import next_run_segment, start_volumes
from planner.targets import targets

WEEKLY_RISE = 1.10  # at most +10% over the last non-deload week
STEP_KG = 2.0  # pack: +2 kg on load weeks
BACK_STEP_KG = 1.0  # back issue: +1 kg
WALK_STEP_MAX = 45  # the long walk grows by at most 45 min a week (our judgement)
SHORT_RUNWAY_LONG_WALK = 60


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
    second_pack: float = 4.0  # the second day's walk keeps the starting pack


def clamp(x: int, lo: int, hi: int) -> int:
    """``x`` within ``lo`` .. ``hi``."""
    return max(lo, min(hi, x))


def start_pack(profile: Profile) -> float:
    """Starting pack: about 10% of body weight, 4 kg when unknown, never above target."""
    top = float(targets(profile.grade).pack_kg[1])
    if profile.body_weight_kg is None:
        return min(4.0, top)
    return min(top, float(clamp(round(profile.body_weight_kg * 0.10), 3, 8)))


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
        second_pack=start_pack(profile),
    )


def short_doses(profile: Profile) -> Doses:
    """Week-1 doses on a short runway: a 60-min walk with the trek pack (practise it;
    PLANNER.md "W < 3"), 2 strength sets, zone 2 at most 30."""
    d = start_doses(profile)
    return replace(d, long_min=SHORT_RUNWAY_LONG_WALK, z2=min(d.z2, 30), sets=2,
                   pack=float(targets(profile.grade).pack_kg[1]))


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
        second_pack=d.second_pack,
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


# a trimmed session carries its minutes back into this dose, so the next week grows from it
TRIMMED_DOSE: dict[SessionType, str] = {
    SessionType.BACKPACK_WALK: "long_min",
    SessionType.CYCLING: "cycling",
    SessionType.LONG_RUN: "long_run",
    SessionType.ZONE2_RUN: "z2",
}


def fit_doses(d: Doses, sessions: tuple[Session, ...]) -> Doses:
    """Carry trimmed minutes back into the doses, so the next week grows from them."""
    for s in sessions:
        field = TRIMMED_DOSE.get(s.type)
        if field is not None and s.minutes < getattr(d, field):
            d = replace(d, **{field: s.minutes})
    return d
