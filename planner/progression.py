"""Week-by-week progression: the 10% cap, deloads, taper and restarts, week after week.

The pieces live beside it: ``planner.doses`` (what is carried from week to week),
``planner.build`` (a week's sessions from the doses) and ``planner.fit`` (a week fitted
to its cap)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from planner.build import PLANNED_RESTS, build_week, keep_rests, pair_pack, pre_trek
from planner.descents import descent
from planner.doses import (
    WALK_STEP_MAX,
    WEEKLY_RISE,
    Doses,
    fit_doses,
    grow,
    restart,
    short_doses,
    start_doses,
)
from planner.fit import fill, make_room, stretch_walk, trim_or_rest
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
from planner.profile import Profile
from planner.sessions import Session
from planner.targets import targets
from planner.testdays import mark_tests

GROWTH_PHASES = (Phase.BASE, Phase.BUILD, Phase.PEAK)


@dataclass(frozen=True)
class Reference:
    """The last full non-deload, pre-taper week: the 10% rule's base."""

    minutes: int
    index: int
    sessions: tuple[Session, ...]
    doses: Doses


@dataclass(frozen=True)
class Slot:
    """One plan week to build: where it sits and which phase its sessions follow."""

    i: int  # 0-based
    start: date
    days: int
    phase: Phase
    tphase: Phase  # a deload follows its surrounding phase, the taper the peak's

    @property
    def index(self) -> int:
        """1-based week number."""
        return self.i + 1


class _Simulation:
    """One run over the plan weeks: the doses and the reference week as they move on."""

    def __init__(self, profile: Profile, restart_at: int | None, restart_from: int,
                 restart_factor: float, holds: frozenset[int]) -> None:
        self.profile = profile
        self.restart_at, self.restart_from, self.factor = restart_at, restart_from, \
            restart_factor
        self.holds = holds
        self.total = (profile.trek_date - profile.start_date).days
        self.phases = phase_table(self.total)
        short = self.phases[:1] == (Phase.SHORT_RUNWAY,)
        self.d = short_doses(profile) if short else start_doses(profile)
        self.growth = [k + 1 for k, ph in enumerate(self.phases) if k > 0 and ph in GROWTH_PHASES]
        self.ref: Reference | None = None
        self.weeks: list[Week] = []
        self.history: list[Doses] = []

    def slot(self, i: int, phase: Phase) -> Slot:
        tphase = phase
        if phase is Phase.DELOAD:
            tphase = underlying_phase(self.total, i)
        elif phase is Phase.TAPER:
            tphase = Phase.PEAK
        return Slot(i, self.profile.start_date + timedelta(days=7 * i),
                    min(7, self.total - 7 * i), phase, tphase)

    def after_restart(self, w: Slot) -> bool:
        return self.restart_at is not None and w.index >= self.restart_at

    def next_doses(self, w: Slot) -> None:
        if w.index == self.restart_at:
            n = self.restart_from
            src = self.history[n - 1] if 0 < n <= len(self.history) else self.d
            self.d = restart(self.profile, src, self.factor)
        elif w.phase in GROWTH_PHASES and w.i > 0 and w.index not in self.holds:
            self.d = grow(self.profile, self.d, w.tphase,
                          sum(1 for g in self.growth if g >= w.index))

    def built(self, w: Slot, f: float) -> tuple[Session, ...]:
        out = build_week(self.profile, w.start, w.days, w.phase, w.tphase, w.index, self.d, f)
        if self.after_restart(w):  # the weeks after a restart keep the plan's rest days
            out = keep_rests(out, simulate(self.profile)[w.i].sessions, PLANNED_RESTS)
        return out

    def deload(self, w: Slot) -> tuple[Session, ...]:
        sessions = self.built(w, DELOAD_FACTOR)
        if self.weeks:
            sessions = keep_rests(sessions, self.weeks[-1].sessions)
        prev = self.weeks[-1].minutes if self.weeks else week_minutes(sessions)
        return trim_or_rest(sessions, math.floor(prev * DELOAD_CAP), self.profile.joint_issue)

    def taper(self, w: Slot) -> tuple[Session, ...]:
        sessions = self.built(w, TAPER_FACTOR)
        base = self.ref.minutes if self.ref is not None else week_minutes(sessions)
        return trim_or_rest(sessions, math.floor(base * TAPER_CAP), self.profile.joint_issue)

    def progress(self, w: Slot, prev_walk: int) -> tuple[Session, ...]:
        """A base / build / peak / short-runway week within +10% of the reference."""
        sessions = self.built(w, 1.0)
        ref = self.ref
        if ref is None:
            self.d = fit_doses(self.d, sessions)
        else:
            sessions = self.capped(w, sessions, ref, prev_walk)
        if w.days == 7:
            self.ref = Reference(week_minutes(sessions), w.index, sessions, self.d)
        return sessions

    def capped(self, w: Slot, sessions: tuple[Session, ...], ref: Reference, prev_walk: int
               ) -> tuple[Session, ...]:
        d, t = self.d, targets(self.profile.grade)
        cap = math.floor(ref.minutes * WEEKLY_RISE)
        # the walk gives up at most half its rise, none of it in the peak weeks
        floor = d.long_min if w.tphase is Phase.PEAK else (prev_walk + d.long_min + 1) // 2
        sessions = make_room(sessions, cap, self.profile.joint_issue, floor)
        if w.index not in self.holds and w.index != self.restart_at \
                and w.phase is not Phase.SHORT_RUNWAY:
            if d.long_min > prev_walk:  # a duration week: the walk takes the room
                top = min(t.long_walk_minutes, prev_walk + WALK_STEP_MAX)
                sessions = stretch_walk(sessions, cap, top)
            sessions = fill(sessions, cap, t.stairs_floors[1])
        if week_minutes(sessions) <= cap:
            self.d = fit_doses(d, sessions)
            return sessions
        # still over: repeat the reference week
        shift = timedelta(days=7 * (w.index - ref.index))
        self.d = ref.doses
        return tuple(replace(s, day=s.day + shift, phase=w.phase) for s in ref.sessions
                     if s.day + shift < self.profile.trek_date)

    def as_planned(self, w: Slot, sessions: tuple[Session, ...]) -> tuple[Session, ...]:
        """After a break: the pre-trek days as planned, and never more than the plan."""
        plan = simulate(self.profile)[w.i]
        planned = {s.day: s for s in plan.sessions}
        sessions = tuple(planned.get(s.day, s) if (self.profile.trek_date - s.day).days <= 2
                         else s for s in sessions)
        if week_minutes(sessions) > plan.minutes:
            sessions = trim_or_rest(sessions, plan.minutes, self.profile.joint_issue)
        return sessions

    def week(self, i: int, phase: Phase) -> Week:
        w = self.slot(i, phase)
        prev_walk = self.d.long_min
        self.next_doses(w)
        if phase is Phase.DELOAD:
            sessions = self.deload(w)
        elif phase is Phase.TAPER:
            sessions = self.taper(w)
        else:
            sessions = self.progress(w, prev_walk)
        sessions = pair_pack(pre_trek(self.profile, sessions))
        sessions = with_descents(self.profile, phase, self.d.quality, sessions)
        if self.after_restart(w):
            sessions = self.as_planned(w, sessions)
        sessions = tuple(dress(self.profile, s) for s in sessions)
        self.history.append(self.d)
        week = Week(index=w.index, start=w.start, days=w.days, phase=phase,
                    minutes=week_minutes(sessions), sessions=sessions)
        self.weeks.append(week)
        return week


WEEK_FACTOR = {Phase.DELOAD: DELOAD_FACTOR, Phase.TAPER: TAPER_FACTOR}


def with_descents(profile: Profile, phase: Phase, quality: int,
                  sessions: tuple[Session, ...]) -> tuple[Session, ...]:
    """Downhill practice on the stairs and the long walk (planner/descents.py)."""
    f = WEEK_FACTOR.get(phase, 1.0)
    out = []
    for s in sessions:
        down = descent(profile, s.type, quality, s.minutes, s.floors or 0, f)
        out.append(replace(s, descent=down) if down != s.descent else s)
    return tuple(out)


@lru_cache(maxsize=8192)
def simulate(profile: Profile, restart_at: int | None = None, restart_from: int = 0,
             restart_factor: float = 1.0, holds: frozenset[int] = frozenset()
             ) -> tuple[Week, ...]:
    """All plan weeks (index 1-based). ``restart_at``: week index where a break restart
    applies, with doses taken from week ``restart_from`` scaled by ``restart_factor``.
    ``holds``: week indexes whose volume is held at the week before's level."""
    sim = _Simulation(profile, restart_at, restart_from, restart_factor, holds)
    return mark_tests(profile, tuple(sim.week(i, phase) for i, phase in enumerate(sim.phases)))
