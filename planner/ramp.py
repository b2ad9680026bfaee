"""Ramping back after a pain 6+ hold: one progression step per session type a week.

After the hold window (the day after the pain to the end of the next plan week) each
session type's dose rises from the dose it had in the hold by at most one normal step a
week, in one dimension only (pack, or length / floors / sets, or reps, rep length, run
segment), until it meets the planned dose again; a week's minutes stay within +10% of the
week before (the held week first, its low-impact days counted at the capped dose they
replaced)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from planner.adapt import DayAdjust, _apply_day, capped, pain_caps, week_index
from planner.doses import WALK_STEP_MAX, WEEKLY_RISE, pack_step
from planner.focus import dress
from planner.history import History
from planner.phases import Phase
from planner.plan import Week, week_minutes
from planner.profile import Profile
from planner.safety import pain_rule
from planner.sessions import RUN_WALK_TYPES, TYPES, Session, SessionType, as_rest
from planner.start import next_run_segment, run_walk, stairs_minutes, strength_minutes

CONTINUOUS = 10**6  # a continuous run: the longest run segment
DIMS = ("pack", "dur", "reps", "rep_s", "seg")  # rotated: one rises a week
MINUTES_RISE = 1.10  # minutes (runs, cycling...) +10% a week, at least +1 min
WALK_STEP_MIN = 10  # the walk: +10 min, +10% or the plan's own walk step that week
NOT_REFERENCE = (Phase.DELOAD, Phase.TAPER)  # easier weeks neither lead nor count
# when a week is over its +10%: shorten these first (never below the type's minimum),
# then turn them into rest days in this order (the walk and one strength day stay)
SHORTEN_ORDER = (SessionType.MOBILITY, SessionType.EASY_WALK, SessionType.CYCLING,
                 SessionType.ZONE2_RUN, SessionType.LONG_RUN)
DROP_ORDER = SHORTEN_ORDER + (SessionType.STAIRS, SessionType.INTERVALS,
                              SessionType.HILL_REPEATS, SessionType.STRENGTH)

Dims = dict[str, float]


def _dims(s: Session) -> Dims:
    d: Dims = {}
    d["pack"] = s.pack_kg or 0.0  # no pack yet: the first kilos are a load step too
    if s.type is SessionType.STAIRS and s.floors is not None:
        d["dur"] = s.floors
    elif s.type is SessionType.STRENGTH and s.sets is not None:
        d["dur"] = s.sets
    else:
        d["dur"] = s.minutes
    if s.reps is not None:
        d["reps"] = s.reps
    if s.rep_seconds is not None:
        d["rep_s"] = s.rep_seconds
    if s.type in RUN_WALK_TYPES:
        d["seg"] = s.run_walk[0] if s.run_walk else CONTINUOUS
    return d


def _step(profile: Profile, t: SessionType, dim: str, v: float, walk_step: int) -> float:
    if dim == "dur" and t is SessionType.BACKPACK_WALK:
        return max(v + WALK_STEP_MIN, int(v * MINUTES_RISE), v + min(walk_step, WALK_STEP_MAX))
    if dim == "pack":
        return v + pack_step(profile)
    if dim == "dur":
        if t is SessionType.STAIRS:
            return v + max(1, int(v) // 10)
        if t is SessionType.STRENGTH:
            return v + 1
        return max(v + 1, int(v * MINUTES_RISE))
    if dim == "reps":
        return v + 1
    if dim == "rep_s":
        return max(v + 5, int(v * MINUTES_RISE))
    seg = next_run_segment(int(v)) if v < CONTINUOUS else None
    return CONTINUOUS if seg is None else seg


def _apply(s: Session, d: Dims) -> Session:
    """``s`` no longer nor heavier than the dose ``d`` (per dimension)."""
    def low(a: float | None, key: str) -> float | None:
        return a if a is None or key not in d else min(a, d[key])

    minutes, floors, sets = s.minutes, s.floors, s.sets
    if s.type is SessionType.STAIRS and floors is not None:
        floors = int(min(floors, d.get("dur", floors)))
        minutes = min(minutes, stairs_minutes(floors))
    elif s.type is SessionType.STRENGTH and sets is not None:
        sets = int(min(sets, d.get("dur", sets)))
        minutes = min(minutes, strength_minutes(sets))
    else:
        minutes = int(min(minutes, d.get("dur", minutes)))
    rw = s.run_walk
    seg = d.get("seg")
    if s.type in RUN_WALK_TYPES and seg is not None and seg < (rw[0] if rw else CONTINUOUS):
        rw = run_walk(int(seg), minutes)
    reps, rep_s, pack = low(s.reps, "reps"), low(s.rep_seconds, "rep_s"), low(s.pack_kg, "pack")
    return replace(s, minutes=minutes, floors=floors, sets=sets, pack_kg=pack or None,
                   reps=None if reps is None else int(reps),
                   rep_seconds=None if rep_s is None else int(rep_s), run_walk=rw)


def _shorten(sessions: list[Session], types: tuple[SessionType, ...], over: int) -> int:
    """Shorten sessions of ``types`` (never below the type's minimum) while over budget."""
    for t in types:
        for i, s in enumerate(sessions):
            if over > 0 and s.type is t:
                cut = min(over, s.minutes - TYPES[t].min_minutes)
                if cut > 0:
                    sessions[i] = replace(s, minutes=s.minutes - cut)
                    over -= cut
    return over


def _drop(profile: Profile, sessions: list[Session], over: int) -> int:
    """Turn sessions into rest days (DROP_ORDER, latest first) while over budget; one
    strength day and, with a joint issue, one cycling day stay."""
    for t in DROP_ORDER:
        stays = t is SessionType.STRENGTH or (t is SessionType.CYCLING and profile.joint_issue)
        for i, s in reversed(list(enumerate(sessions))):
            keep = stays and sum(x.type is t for x in sessions) < 2
            if over > 0 and s.type is t and not keep:
                over -= s.minutes + s.strength_block
                sessions[i] = as_rest(s, "rest_day")
    return over


def _fit(profile: Profile, sessions: list[Session], planned: tuple[Session, ...],
         state: dict[SessionType, Dims], budget: int) -> list[Session]:
    """Bring the week within ``budget`` minutes: undo this week's rises (walk last),
    shorten easy sessions, then make them rest days (the walk and one strength stay)."""
    over = week_minutes(tuple(sessions)) - budget
    walk = SessionType.BACKPACK_WALK
    for t in sorted({s.type for s in sessions if s.training and s.type in state} - {walk}):
        over = _undo(sessions, planned, state, t, over)
    over = _shorten(sessions, SHORTEN_ORDER, over)
    if walk in state:  # the walk gives up at most half its rise before others rest
        rise = sum(s.minutes - _apply(planned[i], state[walk]).minutes
                   for i, s in enumerate(sessions) if s.type is walk)
        over = _undo(sessions, planned, state, walk, min(over, rise // 2)) + max(
            0, over - rise // 2)
    over = _drop(profile, sessions, over)
    if walk in state:
        over = _undo(sessions, planned, state, walk, over)
    _shorten(sessions, (walk,), over)  # the held week was short (low-impact days)
    return sessions


def _undo(sessions: list[Session], planned: tuple[Session, ...],
          state: dict[SessionType, Dims], t: SessionType, over: int) -> int:
    """Take back this week's rise of type ``t`` while the week is over budget."""
    for i, s in enumerate(sessions):
        if over > 0 and s.type is t:
            new = _apply(planned[i], state[t])
            if t is SessionType.BACKPACK_WALK:  # the walk keeps what room there is
                new = replace(s, minutes=max(new.minutes, s.minutes - over))
                new = replace(new, run_walk=None)
            over -= s.minutes - new.minutes
            sessions[i] = new
    return over


def _asked(profile: Profile, s: Session, asked: tuple[date, DayAdjust, date | None] | None
           ) -> Session:
    """The held week's session as the person is asked to do it: a bridge or an eased
    session from today on counts at its smaller dose (sick-rest and low-impact days count
    at the capped dose they replaced: a few days' break, not the level)."""
    if asked is None or s.day < asked[0]:
        return s
    return _apply_day(profile, s, asked[1], asked[2])


def _held(profile: Profile, weeks: tuple[Week, ...], pain_day: date, pain: int,
          asked: tuple[date, DayAdjust, date | None] | None = None,
          at_pain: tuple[Week, ...] | None = None
          ) -> tuple[dict[SessionType, Dims], int]:
    """Each type's dose as the hold left it, and the reference minutes for the week after
    the held week ``weeks[k]`` (``k``: the pain week, 1-based); ``asked`` (today, the day
    adjustments, the first training day) counts a bridge in the held week at its dose;
    ``at_pain`` (the plan as of the pain day) keeps the caps from rising afterwards."""
    k = week_index(profile, pain_day)
    first, until = pain_day + timedelta(days=1), weeks[k].end
    low_days = pain_rule(pain).low_impact_days
    caps = pain_caps(weeks[:k], at_pain, pain_day)
    ref = DayAdjust(no_rise=((first, until, caps),))
    state = {s.type: _dims(s) for s in caps}
    low_until = pain_day + timedelta(days=low_days)
    block = {s.type: s.strength_block for s in caps}

    def hold(s: Session) -> Session:
        """The day as the hold capped it; a low-impact day counts at the capped dose it
        replaced, its strength block no longer than the cap's (the low-impact day has
        none: counting a block the last dose before the pain did not have raised the
        reference)."""
        c = capped(s, ref) if s.day >= first else s
        if first <= s.day <= low_until and s.type in block:
            c = replace(c, strength_block=min(c.strength_block, block[s.type]))
        return c

    totals = []
    for w in weeks[k - 1:k + 1]:  # the hold as it capped each day (low-impact days count
        # at the capped dose they replaced: a few days' break, not the level)
        held = tuple(hold(s) for s in w.sessions)
        totals.append(week_minutes(tuple(_asked(profile, s, asked) for s in held)))
        for s in held:
            if s.training and s.day > low_until:
                state[s.type] = _dims(s)
    # the held week is the reference; a held deload / taper week is easier by design, so
    # then the pain week is (like the 10% rule's "last non-deload week")
    return state, totals[0] if weeks[k].phase in NOT_REFERENCE else totals[1]


def _rises(profile: Profile, state: dict[SessionType, Dims], w: Week,
           turn: dict[SessionType, int], walk_step: int) -> dict[SessionType, Dims]:
    """Each type's dose a step up in the next dimension (in turn) still below the plan's
    ``w``; ``turn`` records the dimension each type rose in."""
    cand = dict(state)
    for t, d in state.items():
        planned = [_dims(s) for s in w.sessions if s.type is t]
        room = [x for x in DIMS if x in d and any(p.get(x, 0) > d[x] for p in planned)]
        if room:
            start = turn.get(t, -1)
            x = min(room, key=lambda x: (DIMS.index(x) - start - 1) % len(DIMS))
            turn[t] = DIMS.index(x)
            cand[t] = {**d, x: _step(profile, t, x, d[x], walk_step)}
    return cand


def _ramp_one(profile: Profile, weeks: tuple[Week, ...], pain_day: date, pain: int,
              asked: tuple[date, DayAdjust, date | None] | None = None,
              at_pain: tuple[Week, ...] | None = None) -> tuple[Week, ...]:
    k = week_index(profile, pain_day)  # 1-based: the pain week; week k + 1 is held
    if k + 1 >= len(weeks):
        return weeks
    state, ref_total = _held(profile, weeks, pain_day, pain, asked, at_pain)
    turn: dict[SessionType, int] = {}
    out = list(weeks)
    prev_walk = _walk_minutes(weeks[k])
    for i in range(k + 1, len(weeks)):
        w = weeks[i]
        cand = _rises(profile, state, w, turn, max(0, _walk_minutes(w) - prev_walk))
        new = [_apply(s, cand[s.type]) if s.training and s.type in cand else s
               for s in w.sessions]
        new = _fit(profile, new, w.sessions, state, int(ref_total * WEEKLY_RISE))
        final = tuple(dress(profile, s) if s != p else p for s, p in zip(new, w.sessions,
                                                                          strict=True))
        bound = final != w.sessions
        if bound:
            out[i] = replace(w, sessions=final, minutes=week_minutes(final), adjusted=True)
        if w.phase in NOT_REFERENCE:  # easier weeks are capped but do not advance the ramp
            continue
        prev_walk = _walk_minutes(w)
        if not bound:
            break
        state.update((s.type, _dims(s)) for s in final if s.training and s.type in state)
        ref_total = week_minutes(final)
    return tuple(out)


def _walk_minutes(w: Week) -> int:
    return max((s.minutes for s in w.sessions if s.type is SessionType.BACKPACK_WALK),
               default=0)


def ramp(profile: Profile, history: History, today: date, weeks: tuple[Week, ...],
         days: DayAdjust | None = None, first_training: date | None = None,
         before: Mapping[date, tuple[Week, ...]] | None = None) -> tuple[Week, ...]:
    """The plan with a ramp back after every pain 6+ logged on or before ``today``.

    ``days`` (the day adjustments as of ``today``) makes a held week's bridge or eased
    session count at the dose asked for, so the next week stays within +10% of it;
    ``before`` (the plan as of each pain day) keeps the hold's caps from rising when a
    later restart rewrites the pain week."""
    asked = None if days is None else (today, DayAdjust(
        sick_easy_until=days.sick_easy_until, easier_until=days.easier_until,
        bridge_from=days.bridge_from), first_training)
    pains: dict[date, int] = {}
    for e in history:
        if e.pain is not None and profile.start_date <= e.day <= today \
                and pain_rule(e.pain).hold_next_week:
            pains[e.day] = max(pains.get(e.day, 0), e.pain)
    for day in sorted(pains):
        weeks = _ramp_one(profile, weeks, day, pains[day], asked, (before or {}).get(day))
    return weeks
