"""Fitting a week to its cap: trim, make room for the long walk, fill spare room, or turn
the easiest sessions into rest days."""

from __future__ import annotations

import math
from dataclasses import replace

from planner.plan import week_minutes
from planner.sessions import TYPES, Session, SessionType, as_easy, as_rest
from planner.start import stairs_minutes, strength_minutes

TRIM_ORDER = (SessionType.CYCLING, SessionType.LONG_RUN, SessionType.ZONE2_RUN,
              SessionType.STRENGTH, SessionType.SECOND_WALK, SessionType.BACKPACK_WALK)
ROOM_DROP_ORDER = (SessionType.MOBILITY, SessionType.CYCLING, SessionType.ZONE2_RUN,
                   SessionType.LONG_RUN, SessionType.INTERVALS, SessionType.HILL_REPEATS,
                   SessionType.STRENGTH, SessionType.STAIRS, SessionType.STEP_UPS)
DROP_ORDER = (SessionType.MOBILITY, SessionType.CYCLING, SessionType.STRENGTH,
              SessionType.ZONE2_RUN, SessionType.LONG_RUN, SessionType.SECOND_WALK)
WEEK_STRENGTH = 1  # a walk week keeps one strength day (2 cost the peak walk; README)
LIGHT_MOBILITY = 15  # a light week's strength session becomes 15 min of mobility


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


def _keeps(out: list[Session], stype: SessionType, keep_cycling: bool, strength: int = 1
           ) -> bool:
    """The last ``strength`` strength days (sessions or blocks) and, with
    ``keep_cycling``, the last cycling day stay."""
    if stype is SessionType.STRENGTH:
        days = sum(x.training and (x.type is stype or x.strength_block > 0) for x in out)
        return days <= strength
    return keep_cycling and stype is SessionType.CYCLING and sum(
        x.type is stype for x in out) <= 1


def _drop(out: list[Session], cap: int, order: tuple[SessionType, ...], keep_cycling: bool,
          note: str, strength: int = 1) -> None:
    """Turn sessions (in ``order``) into rest days until the week fits under ``cap``."""
    for stype in order:
        for i, s in enumerate(out):
            if week_minutes(tuple(out)) <= cap:
                return
            if s.type is stype and not _keeps(out, stype, keep_cycling, strength):
                out[i] = as_rest(s, note)


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
    if walk_i is None:
        _drop(out, cap, ROOM_DROP_ORDER, keep_cycling, "walk_week", WEEK_STRENGTH)
        return trim(tuple(out), cap)
    desired = out[walk_i].minutes
    low = TYPES[SessionType.BACKPACK_WALK].min_minutes

    def set_walk(minutes: int) -> None:
        out[walk_i] = replace(out[walk_i], minutes=max(low, minutes))

    over = week_minutes(tuple(out)) - cap
    if over > 0:
        set_walk(max(min(walk_floor, desired), desired - over))
    _drop(out, cap, ROOM_DROP_ORDER, keep_cycling, "walk_week", WEEK_STRENGTH)
    room = cap - week_minutes(tuple(out))
    if room > 0:
        set_walk(min(desired, out[walk_i].minutes + room))
    return trim(tuple(out), cap)


def stretch_walk(sessions: tuple[Session, ...], cap: int, top: int) -> tuple[Session, ...]:
    """On a duration week the long walk takes the room left under the cap, up to ``top``."""
    room = cap - week_minutes(sessions)
    return tuple(replace(s, minutes=min(top, s.minutes + room))
                 if s.type is SessionType.BACKPACK_WALK and room > 0 and s.minutes < top
                 else s for s in sessions)


def _filled(s: Session, room: int, stairs_top: int) -> Session:
    """``s`` taking some of ``room`` minutes, within its own maxima."""
    if s.type in (SessionType.CYCLING, SessionType.ZONE2_RUN):
        # A run grows ~10% at a time (article); low-impact cycling may take bigger steps.
        step = max(2, s.minutes // 10) if s.type is SessionType.ZONE2_RUN else max(
            5, s.minutes // 4)
        return replace(s, minutes=s.minutes + min(room, step,
                                                  TYPES[s.type].max_minutes - s.minutes))
    if s.type is SessionType.STRENGTH and s.sets == 2 and room >= 10:
        return replace(s, minutes=strength_minutes(3), sets=3)
    if s.type in (SessionType.STAIRS, SessionType.STEP_UPS) and s.floors is not None:
        step = max(2, s.floors // 5)  # a few floors more, not a jump (our judgement)
        floors = min(stairs_top, s.floors + min(2 * room, step))
        return replace(s, floors=floors, minutes=stairs_minutes(floors))
    return s


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
        out[i] = _filled(s, room, stairs_top)
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
        if s.type is SessionType.STRENGTH:  # strength first becomes light mobility
            out[i] = as_easy(s, SessionType.MOBILITY, LIGHT_MOBILITY, s.note)
    _drop(out, cap, DROP_ORDER, keep_cycling, "light_week")
    return tuple(out)
