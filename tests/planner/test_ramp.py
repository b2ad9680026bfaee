"""After a pain 6+ hold the plan ramps back: one step a week per session type."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

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
)
from tests.planner.strategies import profiles

WINDOW = 21  # days after the pain that are checked
WALK_STEP_MAX = 45  # README: a walk step is +10 min, +10% or the plan's step (at most 45)
EASIER = (Phase.DELOAD, Phase.TAPER)


@st.composite
def pain_cases(draw: st.DrawFn) -> tuple[Profile, tuple[LogEntry, ...], date]:
    p = draw(profiles(min_days=15))
    span = (p.trek_date - p.start_date).days
    pain_day = p.start_date + timedelta(days=draw(st.integers(0, span - 2)))
    done = tuple(LogEntry(s.day, LogKind.DONE)
                 for w in build_plan(p, (), p.start_date).weeks for s in w.sessions
                 if s.training and s.day < pain_day and draw(st.integers(0, 9)) > 0)
    pain = LogEntry(pain_day, LogKind.PAIN, pain=draw(st.integers(6, 10)), pain_area="knee")
    return p, done + (pain,), pain_day


def _after(plan_weeks: tuple, pain_day: date) -> list[Session]:
    end = pain_day + timedelta(days=WINDOW)
    return [s for w in plan_weeks for s in w.sessions
            if s.training and pain_day < s.day <= end]


# Found by this test: pain 6 on the walk day with nothing done before it, so the held week
# opens with a bridge (130 min, not 135); the week after must stay within 10% of 130.
BRIDGED_HOLD = (
    Profile(Running.NO, None, frozenset({Joint.NONE, Joint.KNEE}), date(2025, 2, 2),
            Grade.EASY, 3, date(2025, 1, 5), None, (0, 1, 3)),
    (LogEntry(date(2025, 1, 9), LogKind.PAIN, pain=6, pain_area="knee"),),
    date(2025, 1, 9),
)

# Found by this test: pain 6 on day 13 with nothing done before it. The day after, 14
# days since the start counted as a break (the pain log was the first evidence) and the
# 60% restart made the week after the deload 121 min against a held week of 109 (+10%).
PAIN_FIRST_LOG = (
    Profile(Running.NO, None, frozenset({Joint.KNEE}), date(2025, 2, 19), Grade.MODERATE,
            4, date(2025, 1, 1)),
    (LogEntry(date(2025, 1, 14), LogKind.PAIN, pain=6, pain_area="knee"),),
    date(2025, 1, 14),
)

# Found by this test: done a week before the pain, so the day after the pain 7 idle days
# restart the pain week at 75% and rewrite its sessions before the pain (second walk 30 ->
# 42 min); the hold's caps and the ramp's reference must stay at what was planned when it
# hurt (week 7 was 182 min against a held week of 154).
RESTART_AFTER_PAIN = (
    Profile(Running.REGULAR, 5, frozenset(), date(2025, 2, 28), Grade.MODERATE, 3,
            date(2025, 1, 2), None, (1, 3, 4)),
    (LogEntry(date(2025, 1, 28), LogKind.DONE),
     LogEntry(date(2025, 2, 4), LogKind.PAIN, pain=6, pain_area="knee")),
    date(2025, 2, 4),
)
# Found by this test: pain 6 on a deload Monday; the low-impact cycling day of the held
# week replaced a cycling with a 10-min strength block while the last cycling before the
# pain had none: counted with the block, week 6 was 195 min against a held week of 168.
BLOCK_ON_LOW_IMPACT_DAY = (
    Profile(Running.NO, None, frozenset({Joint.KNEE}), date(2025, 3, 6), Grade.MODERATE, 5,
            date(2025, 1, 1)),
    (LogEntry(date(2025, 1, 27), LogKind.PAIN, pain=6, pain_area="knee"),),
    date(2025, 1, 27),
)

@settings(max_examples=150, deadline=None)
@given(pain_cases())
@example(BRIDGED_HOLD)
@example(PAIN_FIRST_LOG)
@example(RESTART_AFTER_PAIN)
@example(BLOCK_ON_LOW_IMPACT_DAY)
def test_ramp_back_after_pain_6_plus(case: tuple) -> None:
    p, h, pain_day = case
    today = pain_day + timedelta(days=1)
    if today >= p.trek_date:
        return
    plan = build_plan(p, h, today)
    phase = {s.day: w.phase for w in plan.weeks for s in w.sessions}
    last: dict[SessionType, Session] = {}
    for s in _after(plan.weeks, pain_day):
        a = last.get(s.type)
        last[s.type] = s
        if a is None or phase[a.day] in EASIER:
            continue
        pack_up = (s.pack_kg or 0) > (a.pack_kg or 0)
        assert not (pack_up and s.minutes > a.minutes), (a, s)  # load and length together
        if s.type is SessionType.BACKPACK_WALK:
            assert s.minutes - a.minutes <= WALK_STEP_MAX, (a, s)
    k = (pain_day - p.start_date).days // 7 + 1  # 0-based index of the held week
    if k >= len(plan.weeks):
        return
    ref_week = plan.weeks[k - 1 if plan.weeks[k].phase in EASIER else k]
    ref = _held_minutes(p, h, pain_day, ref_week.sessions)
    for w in plan.weeks[k + 1:]:
        if w.start > pain_day + timedelta(days=WINDOW):
            break
        assert w.minutes <= ref * 1.10, (w.index, w.minutes, ref)
        if w.phase not in EASIER:
            ref = w.minutes


def _held_minutes(p: Profile, h: tuple[LogEntry, ...], pain_day: date,
                  held: tuple[Session, ...]) -> float:
    """The held week's minutes, its low-impact days counted at the dose they replaced,
    capped at that type's last dose before the pain (README, "Ramp back"). A held
    deload or taper week is easier by design: then the pain week is the reference."""
    before = build_plan(p, h, pain_day)
    last = {s.type: s for w in before.weeks for s in w.sessions
            if s.training and s.day < pain_day}
    did = tuple(LogEntry(pain_day + timedelta(days=d), LogKind.DONE) for d in (1, 2, 3))
    later = {s.day: s for w in build_plan(p, h + did, pain_day + timedelta(days=4)).weeks
             for s in w.sessions}  # the low-impact days done: past days show the plan
    total = 0
    for s in held:
        if s.note in ("pain_low_impact", "bridge"):  # a bridge eases one day, not the level
            orig = later[s.day]
            cap = last.get(orig.type)
            s = orig if cap is None or cap.minutes >= orig.minutes else cap
        total += s.minutes + s.strength_block if s.training else 0
    return total


def test_knee_pain_on_a_saturday_ramps_the_walk_back() -> None:
    """The brief's case: a knee issue, pain 7 on a Saturday walk day. The held week's walk,
    then one change a week (length or pack, never both), weekly minutes +10% at most."""
    from planner import Grade, Joint, Running
    s = date(2025, 1, 6)
    p = Profile(Running.NO, None, frozenset({Joint.KNEE}), s + timedelta(weeks=13),
                Grade.MODERATE, 4, s)
    pain_day = s + timedelta(days=7 * 3 + 5)
    done = tuple(LogEntry(x.day, LogKind.DONE) for w in build_plan(p, (), s).weeks
                 for x in w.sessions if x.training and x.day < pain_day)
    h = done + (LogEntry(pain_day, LogKind.PAIN, pain=7, pain_area="knee"),)
    plan = build_plan(p, h, pain_day + timedelta(days=1))
    walks = [(x.minutes, x.pack_kg) for w in plan.weeks[4:7] for x in w.sessions
             if x.type is SessionType.BACKPACK_WALK]
    held, one, two = walks
    assert one[1] == held[1] and held[0] < one[0] <= held[0] + WALK_STEP_MAX
    assert two[0] == one[0] and two[1] == one[1] + 2  # then the pack, length kept
    for a, b in zip(plan.weeks[4:6], plan.weeks[5:7], strict=True):
        assert b.minutes <= a.minutes * 1.10
    unhurt = build_plan(p, done, pain_day + timedelta(days=1))
    assert plan.weeks[5].minutes < unhurt.weeks[5].minutes  # the ramp, not the plan level
