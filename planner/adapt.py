"""Adapting to history: breaks, hard weeks, missed sessions, pain and sickness."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from planner.focus import dress
from planner.history import History, LogEntry, LogKind
from planner.plan import Week
from planner.profile import Profile
from planner.safety import SICK_COMEBACK_EASY_DAYS, PainLevel, pain_rule, sickness_advice
from planner.sessions import TYPES, Session, SessionType, as_easy, as_rest
from planner.start import stairs_minutes, strength_minutes
from planner.swaps import no_bike
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
    # the first days back after fever, chest or stomach illness: short and easy
    sick_back_until: date | None = None
    # after pain 4-5: the next session of the kind that hurt is smaller ("do less next
    # time"); the days of those sessions
    smaller_on: frozenset[date] = frozenset()
    # the day after a session that felt hard (effort 8+): a hard session there is easy
    after_hard: frozenset[date] = frozenset()


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
    restart_at, restart_from, factor = _restart(profile, history, today)
    hard: dict[int, int] = {}
    for e in history:
        if e.kind is LogKind.DONE and e.felt_hard and profile.start_date <= e.day <= today:
            k = week_index(profile, e.day)
            hard[k] = hard.get(k, 0) + 1
    holds = frozenset(k + 1 for k, c in hard.items()
                      if c >= HARD_FEEDBACK_TO_HOLD and k + 1 >= current) | pain_holds
    return WeekAdjust(restart_at, restart_from, factor, holds)


def _restart(profile: Profile, history: History, today: date) -> tuple[int | None, int, float]:
    """The latest break (7+/14+ days without a done session) and where its restart sits.

    A break still open restarts the current week. A break that ended (a session done
    after it) keeps its restart at the week of the comeback, so the comeback weeks stay
    at 75/60% and the plan ramps from there by the normal rules, instead of jumping back
    to the level before the break once one session is logged."""
    done = sorted({e.day for e in history if e.kind is LogKind.DONE and e.day <= today})
    last = done[-1] if done else None
    # nothing done yet: the break is counted from the first log (the evidence), not from
    # the start date (a pain logged on day 13 is no 14-day break)
    first = max(profile.start_date, min(e.day for e in history if e.day <= today))
    idle = (today - last).days - 1 if last else (today - first).days
    gaps = [(idle, last, today)]  # (idle days, last done before, first day back)
    gaps += reversed([((b - a).days - 1, a, b) for a, b in zip(done, done[1:], strict=False)])
    for idle, before, back in gaps:  # newest first
        for days, f in BREAK_TABLE:
            if idle >= days:
                src = week_index(profile, before) if before and before >= profile.start_date \
                    else 1
                return max(1, week_index(profile, back)), src, f
    return None, 0, 1.0


def _swapped_training(profile: Profile, roles: dict[int, object]) -> dict[date, bool]:
    """The days whose training / rest the one-off swaps changed: a swapped-away day is a
    rest day, the swapped-to day a training day (swaps made in the order asked)."""
    moved: dict[date, bool] = {}
    for a, b in profile.swaps:
        ta, tb = (moved.get(d, d.weekday() in roles) for d in (a, b))
        moved[a], moved[b] = tb, ta
    return moved


def _missed_in_a_row(profile: Profile, history: History, today: date) -> int:
    roles = layout(profile)
    moved = _swapped_training(profile, dict(roles))
    done = {e.day for e in history if e.kind is LogKind.DONE}
    missed = 0
    day = today - timedelta(days=1)
    while day >= profile.start_date and missed < BRIDGE_MISSED[1] + 1:
        if day in done:
            break
        if moved.get(day, day.weekday() in roles):
            missed += 1
        day -= timedelta(days=1)
    return missed


def _later(a: date | None, b: date) -> date:
    return b if a is None else max(a, b)


def _sick_windows(history: History, today: date) -> tuple[date | None, date | None,
                                                          date | None]:
    """(rest until, easy until, short-and-easy-comeback until) from the sick logs."""
    recent = today - timedelta(days=RECENT_DAYS - 1)
    rest = easy = back = None
    for e in history:
        if e.day > today or e.kind is not LogKind.SICK or e.sickness is None:
            continue
        advice = sickness_advice(e.sickness)
        if advice.train:
            if e.day >= recent:
                easy = _later(easy, e.day + timedelta(days=1))
            continue
        until = e.day + timedelta(days=advice.rest_days_after_clear)
        if until >= today:
            rest = _later(rest, until)
        if until + timedelta(days=SICK_COMEBACK_EASY_DAYS) >= today:
            back = _later(back, until + timedelta(days=SICK_COMEBACK_EASY_DAYS))
    return rest, easy, back


def day_adjust(profile: Profile, history: History, today: date, restarting: bool) -> DayAdjust:
    """Pain, sickness and bridge adjustments for the days from ``today``."""
    sick_rest, sick_easy, sick_back = _sick_windows(history, today)
    low_impact = easier = None
    for e in history:
        if e.day > today or e.pain is None:
            continue
        rule = pain_rule(e.pain)
        if rule.level is PainLevel.AMBER and lasting(history, e):
            rule = pain_rule(RED_FROM)  # 4+ two days running: a warning sign, go low impact
        until = e.day + timedelta(days=rule.low_impact_days)
        if rule.level is PainLevel.RED and until >= today:
            low_impact = _later(low_impact, until)
        elif rule.level is PainLevel.AMBER and until >= today:
            easier = _later(easier, until)
    bridge = None
    # Evidence from before today: what is logged today (a ride file, a skip) must not
    # turn today's session, already shown in the morning, into another one.
    if not restarting and logged(history, today - timedelta(days=1)):
        missed = _missed_in_a_row(profile, history, today)
        if BRIDGE_MISSED[0] <= missed <= BRIDGE_MISSED[1]:
            bridge = today
    return DayAdjust(sick_rest, sick_easy, low_impact, easier, bridge, sick_back_until=sick_back,
                     after_hard=after_hard_days(history, today))


RED_FROM = 6  # the first score of the red band


def lasting(history: History, e: LogEntry) -> bool:
    """A pain of 4+ that was already 4+ the day before (same area, or no area named):
    pain lasting past the next day (PLANNER.md: a warning sign)."""
    if e.pain is None or e.pain < 4:
        return False
    return any(x.pain is not None and x.pain >= 4 and x.day == e.day - timedelta(days=1)
               and (x.pain_area == e.pain_area or None in (x.pain_area, e.pain_area))
               for x in history)


def after_hard_days(history: History, today: date) -> frozenset[date]:
    """The days, from ``today`` on, right after a done session that felt hard."""
    return frozenset(e.day + timedelta(days=1) for e in history
                     if e.kind is LogKind.DONE and e.felt_hard and e.day <= today
                     and e.day + timedelta(days=1) >= today)


def no_rise_windows(profile: Profile, history: History, today: date,
                    weeks: tuple[Week, ...],
                    before: Mapping[date, tuple[Week, ...]] | None = None
                    ) -> tuple[tuple[date, date, tuple[Session, ...]], ...]:
    """After a pain log whose rule says ``hold_next_week`` (6+): from the day after it to
    the end of the next plan week (at least 7 days), each session is capped at its type's
    last planned dose before the pain (``before``: the plan as of each pain day)."""
    out = []
    for e in history:
        if e.pain is None or e.day > today or not pain_rule(e.pain).hold_next_week:
            continue
        until = profile.start_date + timedelta(days=7 * (week_index(profile, e.day) + 1) - 1)
        until = max(until, e.day + timedelta(days=7))
        if until < today:
            continue
        out.append((e.day + timedelta(days=1), until,
                    pain_caps(weeks, (before or {}).get(e.day), e.day)))
    return tuple(out)


def pain_caps(weeks: tuple[Week, ...], at_pain: tuple[Week, ...] | None, pain_day: date
              ) -> tuple[Session, ...]:
    """Each type's last planned session before ``pain_day``, no longer nor heavier than
    it was in ``at_pain`` (the plan as of the pain day): a restart that rewrites the pain
    week later (7 idle days reached the day after) must not raise the caps of the hold."""
    def last(ws: tuple[Week, ...]) -> dict[SessionType, Session]:
        out: dict[SessionType, Session] = {}
        for w in ws:
            for s in w.sessions:
                if s.training and s.day < pain_day:
                    out[s.type] = s
        return out

    now, then = last(weeks), last(at_pain or ())
    return tuple(_no_higher(s, then[t]) if t in then else s for t, s in now.items())


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
    return no_bike(profile, dress(profile, capped(_apply_day(profile, s, adj, first_training),
                                                  adj)))


LESS = 0.8  # pain 4-5: the next session of that kind at 80% (our judgement: clearly less)


def smaller(s: Session) -> Session:
    """``s`` at about 80%: minutes, floors and a set fewer (never below the type's
    minimum, strength never below 2 sets); pack and intensity unchanged."""
    if s.type is SessionType.STAIRS and s.floors:
        floors = max(1, int(s.floors * LESS))
        return replace(s, floors=floors, minutes=stairs_minutes(floors), note="pain_smaller")
    if s.type is SessionType.STRENGTH and s.sets:
        sets = max(2, s.sets - 1)
        return replace(s, sets=sets, minutes=min(s.minutes, strength_minutes(sets)),
                       note="pain_smaller")
    minutes = max(TYPES[s.type].min_minutes, int(s.minutes * LESS))
    return replace(s, minutes=min(s.minutes, minutes), note="pain_smaller")


def smaller_days(profile: Profile, history: History, today: date,
                 weeks: tuple[Week, ...]) -> frozenset[date]:
    """After each pain 4-5 (amber): the day of the next session, from ``today`` on, of the
    kind that hurt (the session done that day, else the one planned that day)."""
    planned = {x.day: x for w in weeks for x in w.sessions if x.training}
    out = set()
    for e in history:
        if e.pain is None or e.day > today or pain_rule(e.pain).level is not PainLevel.AMBER:
            continue
        kinds = {x.session_type for x in history if x.day == e.day and x.session_type}
        if not kinds and e.day in planned:
            kinds = {planned[e.day].type}
        nxt = [d for d, x in sorted(planned.items()) if d > e.day and x.type in kinds]
        if nxt and nxt[0] >= today and (nxt[0] - e.day).days <= 14:
            out.add(nxt[0])
    return frozenset(out)


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
    if adj.sick_back_until and s.day <= adj.sick_back_until:
        return easy_version(profile, s, "sick_back", allow_run=False)
    if adj.easier_until and s.day <= adj.easier_until and s.hard:
        return easy_version(profile, s, "pain_less", allow_run=not s.is_run)
    if s.day in adj.after_hard and s.hard:
        return easy_version(profile, s, "after_hard")
    if adj.bridge_from and first_training is not None and s.day == first_training:
        return easy_version(profile, s, "bridge")
    if s.day in adj.smaller_on:
        return smaller(s)
    return s
