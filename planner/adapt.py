"""Adapting to history: breaks, hard weeks, missed sessions, pain and sickness."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from planner.focus import dress
from planner.history import History, LogKind
from planner.plan import Week
from planner.profile import Profile
from planner.safety import PainLevel, pain_rule, sickness_advice
from planner.sessions import Session, SessionType, as_easy, as_rest
from planner.start import stairs_minutes, strength_minutes
from planner.week import layout

BREAK_TABLE: tuple[tuple[int, float], ...] = ((14, 0.60), (7, 0.75))  # days idle -> restart
BRIDGE_MISSED = (2, 4)  # 2-4 missed in a row: an easy bridge session
HARD_FEEDBACK_TO_HOLD = 2
RECENT_DAYS = 2  # "the last 48 hours": today and yesterday


@dataclass(frozen=True)
class WeekAdjust:
    """Week-level changes (hashable: the adapted plan is cached on it)."""

    restart_at: int | None = None
    restart_from: int = 0
    restart_factor: float = 1.0
    holds: frozenset[int] = frozenset()


@dataclass(frozen=True)
class DayAdjust:
    """Day-level changes for the next few days."""

    sick_rest_until: date | None = None
    sick_easy_until: date | None = None
    low_impact_until: date | None = None
    easier_until: date | None = None
    bridge_from: date | None = None
    # after a 6+ pain: (first day, last day, the last planned session of each type before
    # the pain); no session in the window is longer or heavier than its type's cap
    no_rise: tuple[tuple[date, date, tuple[Session, ...]], ...] = ()


def week_index(profile: Profile, day: date) -> int:
    """1-based plan week containing ``day``."""
    return (day - profile.start_date).days // 7 + 1


def logged(history: History, today: date) -> bool:
    """Anything logged on or before ``today``."""
    return any(e.day <= today for e in history)


def week_adjust(profile: Profile, history: History, today: date) -> WeekAdjust:
    """Restart after a break (7+/14+ idle days) and holds after hard weeks.

    A break needs evidence in the history: something logged (done, skipped, pain or
    sick) and then nothing done for 7+ days, or skips covering 7+ days. With an empty
    history we know nothing (the person may train without logging): plan normally."""
    current = week_index(profile, today)
    pain_holds = frozenset(week_index(profile, e.day) + 1 for e in history
                           if e.pain is not None and e.day <= today
                           and pain_rule(e.pain).hold_next_week
                           and week_index(profile, e.day) + 1 >= current)
    if today <= profile.start_date or not logged(history, today):
        return WeekAdjust(holds=pain_holds)
    done = [e.day for e in history if e.kind is LogKind.DONE and e.day <= today]
    last = max(done) if done else None
    idle = (today - last).days - 1 if last else (today - profile.start_date).days
    restart_at, restart_from, factor = None, 0, 1.0
    for days, f in BREAK_TABLE:
        if idle >= days:
            restart_at, factor = current, f
            restart_from = week_index(profile, last) if last and last >= profile.start_date else 1
            break
    hard: dict[int, int] = {}
    for e in history:
        if e.kind is LogKind.DONE and e.felt_hard and profile.start_date <= e.day <= today:
            k = week_index(profile, e.day)
            hard[k] = hard.get(k, 0) + 1
    holds = frozenset(k + 1 for k, c in hard.items()
                      if c >= HARD_FEEDBACK_TO_HOLD and k + 1 >= current) | pain_holds
    return WeekAdjust(restart_at, restart_from, factor, holds)


def _missed_in_a_row(profile: Profile, history: History, today: date) -> int:
    roles = layout(profile)
    done = {e.day for e in history if e.kind is LogKind.DONE}
    missed = 0
    day = today - timedelta(days=1)
    while day >= profile.start_date and missed < BRIDGE_MISSED[1] + 1:
        if day in done:
            break
        if day.weekday() in roles:
            missed += 1
        day -= timedelta(days=1)
    return missed


def day_adjust(profile: Profile, history: History, today: date, restarting: bool) -> DayAdjust:
    """Pain, sickness and bridge adjustments for the days from ``today``."""
    recent = today - timedelta(days=RECENT_DAYS - 1)
    sick_rest = sick_easy = low_impact = easier = None
    for e in history:
        if e.day > today:
            continue
        if e.kind is LogKind.SICK and e.sickness is not None:
            advice = sickness_advice(e.sickness)
            if advice.train and e.day >= recent:
                until = e.day + timedelta(days=1)
                sick_easy = max(sick_easy or until, until)
            elif not advice.train:
                until = e.day + timedelta(days=advice.rest_days_after_clear)
                if until >= today:
                    sick_rest = max(sick_rest or until, until)
        if e.pain is not None:
            rule = pain_rule(e.pain)
            until = e.day + timedelta(days=rule.low_impact_days)
            if rule.level is PainLevel.RED and until >= today:
                low_impact = max(low_impact or until, until)
            elif rule.level is PainLevel.AMBER and until >= today:
                easier = max(easier or until, until)
    bridge = None
    if not restarting and logged(history, today):
        missed = _missed_in_a_row(profile, history, today)
        if BRIDGE_MISSED[0] <= missed <= BRIDGE_MISSED[1]:
            bridge = today
    return DayAdjust(sick_rest, sick_easy, low_impact, easier, bridge)


def no_rise_windows(profile: Profile, history: History, today: date,
                    weeks: tuple[Week, ...]) -> tuple[tuple[date, date, tuple[Session, ...]], ...]:
    """After a pain log whose rule says ``hold_next_week`` (6+): from the day after it to
    the end of the next plan week (at least 7 days), each session is capped at its type's
    last planned dose before the pain."""
    out = []
    for e in history:
        if e.pain is None or e.day > today or not pain_rule(e.pain).hold_next_week:
            continue
        until = profile.start_date + timedelta(days=7 * (week_index(profile, e.day) + 1) - 1)
        until = max(until, e.day + timedelta(days=7))
        if until < today:
            continue
        last: dict[SessionType, Session] = {}
        for w in weeks:
            for s in w.sessions:
                if s.training and s.day < e.day:
                    last[s.type] = s
        out.append((e.day + timedelta(days=1), until, tuple(last.values())))
    return tuple(out)


def _no_higher(s: Session, c: Session) -> Session:
    """``s`` no longer nor heavier than ``c`` (same type)."""
    def low(a: float | None, b: float | None) -> float | None:
        return a if a is None or b is None else min(a, b)

    minutes = min(s.minutes, c.minutes)
    pack = s.pack_kg if c.pack_kg is not None else None
    pack = low(pack, c.pack_kg)
    floors = low(s.floors, c.floors)
    sets = low(s.sets, c.sets)
    if floors is not None:
        minutes = min(minutes, stairs_minutes(int(floors)))
    if sets is not None:
        minutes = min(minutes, strength_minutes(int(sets)))
    rw = s.run_walk
    if c.run_walk is not None and (rw is None or rw[0] > c.run_walk[0]):
        rw = c.run_walk  # no longer run segments than before the pain
    return replace(s, minutes=minutes, pack_kg=pack, run_walk=rw,
                   floors=None if floors is None else int(floors),
                   sets=None if sets is None else int(sets),
                   reps=None if s.reps is None else int(low(s.reps, c.reps) or 0),
                   rep_seconds=None if s.rep_seconds is None
                   else int(low(s.rep_seconds, c.rep_seconds) or 0))


def capped(s: Session, adj: DayAdjust) -> Session:
    """``s`` within the ``no_rise`` caps of ``adj`` that cover its day."""
    if not s.training:
        return s
    for first, last, caps in adj.no_rise:
        if first <= s.day <= last:
            c = next((x for x in caps if x.type is s.type), None)
            if c is not None:
                s = _no_higher(s, c)
    return s


def easy_version(profile: Profile, s: Session, note: str, allow_run: bool = True) -> Session:
    """A shorter, easy, never-longer version of a session."""
    if not s.training:
        return s
    minutes = min(s.minutes, 30)
    if s.type in (SessionType.MOBILITY, SessionType.EASY_WALK):
        return as_easy(s, s.type, minutes, note)
    if s.type is SessionType.STRENGTH:
        return as_easy(s, SessionType.MOBILITY, min(s.minutes, 20), note)
    if minutes < 20:
        return as_easy(s, SessionType.EASY_WALK, minutes, note)
    if allow_run and s.is_run and profile.runner and not profile.joint_issue:
        return as_easy(s, SessionType.ZONE2_RUN, minutes, note)
    return as_easy(s, SessionType.CYCLING, minutes, note)


def apply_day(profile: Profile, s: Session, adj: DayAdjust, first_training: date | None
              ) -> Session:
    """Apply day-level adjustments to one session (days before today are untouched)."""
    return dress(profile, capped(_apply_day(profile, s, adj, first_training), adj))


def _apply_day(profile: Profile, s: Session, adj: DayAdjust, first_training: date | None
               ) -> Session:
    if not s.training:
        return s
    if adj.sick_rest_until and s.day <= adj.sick_rest_until:
        return as_rest(s, "sick_rest")
    if adj.low_impact_until and s.day <= adj.low_impact_until:
        return easy_version(profile, s, "pain_low_impact", allow_run=False)
    if adj.sick_easy_until and s.day <= adj.sick_easy_until:
        return easy_version(profile, s, "sick_easy")
    if adj.easier_until and s.day <= adj.easier_until and s.hard:
        return easy_version(profile, s, "pain_less", allow_run=not s.is_run)
    if adj.bridge_from and first_training is not None and s.day == first_training:
        return easy_version(profile, s, "bridge")
    return s
