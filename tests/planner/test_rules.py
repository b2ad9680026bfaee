"""One table-driven test per PLANNER.md rule, named after the rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest

from planner import (
    Grade,
    Joint,
    LogEntry,
    LogKind,
    PainLevel,
    Phase,
    Profile,
    Running,
    SessionType,
    VerdictAnswer,
    build_plan,
    lead_time,
    pain_advice,
    session_for,
    should_run,
    sickness_advice,
    targets,
)

S = date(2025, 1, 6)  # a Monday


def prof(running: Running = Running.REGULAR, weeks: int = 12, joints: frozenset = frozenset(),
         grade: Grade = Grade.MODERATE, days: int = 4, easy: int | None = 30,
         weight: float | None = None) -> Profile:
    return Profile(running, easy if running is not Running.NO else None, joints,
                   S + timedelta(weeks=weeks), grade, days, S, weight)


def sessions(p: Profile, history: tuple = (), today: date = S) -> list:
    return [s for w in build_plan(p, history, today).weeks for s in w.sessions if s.training]


@pytest.mark.parametrize("easy,expected", [(10, 20), (30, 30), (55, 40)])
def test_zone2_starts_at_current_easy_minutes_clamped_20_40(easy: int, expected: int) -> None:
    z2 = [s for s in sessions(prof(easy=easy)) if s.type is SessionType.ZONE2_RUN]
    assert z2[0].minutes == expected


@pytest.mark.parametrize("weight,kg", [(None, 4.0), (60.0, 6.0), (90.0, 8.0)])
def test_pack_starts_at_about_10_percent_of_body_weight(weight: float | None, kg: float) -> None:
    walks = [s for s in sessions(prof(weight=weight)) if s.type is SessionType.BACKPACK_WALK]
    assert walks[0].pack_kg == kg


@pytest.mark.parametrize("grade,top", [(Grade.EASY, 6), (Grade.MODERATE, 8),
                                       (Grade.DIFFICULT, 10)])
def test_pack_never_exceeds_trek_weight(grade: Grade, top: int) -> None:
    walks = [s for s in sessions(prof(weeks=20, grade=grade))
             if s.type is SessionType.BACKPACK_WALK]
    assert max(s.pack_kg or 0 for s in walks) == top


def test_back_issue_slower_pack_progression() -> None:
    walks = [s.pack_kg for s in sessions(prof(weeks=20, joints=frozenset({Joint.BACK})))
             if s.type is SessionType.BACKPACK_WALK]
    assert all(b - a <= 1.0 for a, b in pairwise(walks))


def test_stairs_start_around_10_floors() -> None:
    stairs = [s for s in sessions(prof(Running.NO)) if s.type is SessionType.STAIRS]
    assert stairs[0].floors == 10


@pytest.mark.parametrize("joint", [Joint.KNEE, Joint.ANKLE, Joint.HIP])
def test_knee_issue_no_downhill_running(joint: Joint) -> None:
    types = {s.type for s in sessions(prof(joints=frozenset({joint}), days=6))}
    assert SessionType.HILL_REPEATS not in types and SessionType.INTERVALS not in types


@pytest.mark.parametrize("days", [3, 4, 5, 6])
@pytest.mark.parametrize("running", [Running.NO, Running.REGULAR])
def test_strength_twice_a_week_not_on_consecutive_days(days: int, running: Running) -> None:
    """A strength session or a short strength block after another session (3-day weeks,
    a 4-day runner's easy run), twice a week and 48 h apart (ACSM)."""
    week = build_plan(prof(running, days=days), (), S).weeks[0]
    strength = [s.day for s in week.sessions
                if s.type is SessionType.STRENGTH or s.strength_block]
    assert len(strength) == 2
    assert all((b - a).days > 1 for a, b in pairwise(strength))
    blocks = [s for s in week.sessions if s.strength_block]
    assert all(s.type is not SessionType.STRENGTH and s.strength_block == 10 for s in blocks)


def test_one_long_loaded_walk_a_week() -> None:
    for w in build_plan(prof(), (), S).weeks[:-2]:
        assert sum(s.type is SessionType.BACKPACK_WALK for s in w.sessions) == 1


@pytest.mark.parametrize("weeks,taper_days", [(4, 7), (6, 7), (8, 14), (12, 14)])
def test_taper_is_the_last_7_to_14_days(weeks: int, taper_days: int) -> None:
    plan = build_plan(prof(weeks=weeks), (), S)
    assert sum(w.days for w in plan.weeks if w.phase is Phase.TAPER) == taper_days


def test_deload_every_4th_week() -> None:
    plan = build_plan(prof(weeks=20), (), S)
    assert [w.index for w in plan.weeks if w.phase is Phase.DELOAD] == [4, 8, 12, 16]


def test_long_base_phase_when_more_than_16_weeks() -> None:
    plan = build_plan(prof(weeks=24), (), S)
    assert sum(w.phase is Phase.BASE for w in plan.weeks) > 8


def test_short_runway_under_3_weeks() -> None:
    plan = build_plan(prof(weeks=2), (), S)
    assert {w.phase for w in plan.weeks} == {Phase.SHORT_RUNWAY}
    assert "short_runway" in plan.warnings


@pytest.mark.parametrize("grade,weeks,short", [(Grade.EASY, 9, False), (Grade.EASY, 8, True),
                                               (Grade.MODERATE, 12, True),
                                               (Grade.DIFFICULT, 17, False)])
def test_recommended_lead_time_warns(grade: Grade, weeks: int, short: bool) -> None:
    assert lead_time(prof(grade=grade, weeks=weeks), S).short is short


@pytest.mark.parametrize("idle,factor", [(8, 0.75), (15, 0.60)])
def test_restart_after_break(idle: int, factor: float) -> None:
    p = prof(weeks=16)
    done = tuple(LogEntry(s.day, LogKind.DONE) for s in sessions(p) if s.day < S + timedelta(21))
    today = done[-1].day + timedelta(days=idle + 1)
    before = build_plan(p, done, done[-1].day)
    after = build_plan(p, done, today)
    k = (today - S).days // 7
    assert after.weeks[k].minutes < before.weeks[k].minutes


@pytest.mark.parametrize("idle,factor", [(8, 0.75), (15, 0.60)])
@pytest.mark.parametrize("logged_back", [1, 3])
def test_restart_holds_for_the_comeback_weeks(idle: int, factor: float, logged_back: int
                                              ) -> None:
    """Sessions logged after a break keep the restart: the comeback week stays at about
    75% / 60% of the last completed week and later weeks ramp from there (10% a week, the
    walk never longer and heavier together), instead of jumping back to the old level."""
    p = prof(weeks=16)
    done = tuple(LogEntry(s.day, LogKind.DONE) for s in sessions(p) if s.day < S + timedelta(28))
    back = done[-1].day + timedelta(days=idle + 1)
    cut = build_plan(p, done, back)  # the day the break shows
    k = (back - S).days // 7
    plan_back = [x for x in sessions(p, (), back) if back <= x.day < back + timedelta(14)]
    h = done + tuple(LogEntry(x.day, LogKind.DONE) for x in plan_back[:logged_back])
    today = plan_back[logged_back - 1].day + timedelta(days=1)
    later = build_plan(p, h, today)
    full = build_plan(p, done, done[-1].day)
    assert later.weeks[k].minutes == cut.weeks[k].minutes < full.weeks[k].minutes
    assert later.weeks[k].minutes <= full.weeks[k - 1].minutes * (factor + 0.1)
    walks = [(x.minutes, x.pack_kg or 0) for w in later.weeks[k:k + 4] for x in w.sessions
             if x.type is SessionType.BACKPACK_WALK and w.phase is not Phase.DELOAD]
    for (m0, kg0), (m1, kg1) in pairwise(walks):
        assert not (m1 > m0 and kg1 > kg0)
    for a, b in pairwise(later.weeks[k:k + 4]):
        if a.phase is not Phase.DELOAD and b.phase is not Phase.DELOAD:
            assert b.minutes <= a.minutes * 1.10 + 1


def test_hard_twice_in_a_week_holds_next_week() -> None:
    p = prof(weeks=16)
    wk1 = [s for s in sessions(p) if s.day < S + timedelta(7)]
    hist = tuple(LogEntry(s.day, LogKind.DONE, feeling="hard") for s in wk1)
    plan = build_plan(p, hist, S + timedelta(7))
    assert plan.weeks[1].minutes <= plan.weeks[0].minutes


@pytest.mark.parametrize("missed,bridge", [(1, False), (2, True), (4, True)])
def test_missed_sessions_bridge(missed: int, bridge: bool) -> None:
    p = prof(weeks=16, days=6)
    days = [s.day for s in sessions(p)]
    done = tuple(LogEntry(d, LogKind.DONE) for d in days[:6])
    today = days[6 + missed]
    s = session_for(p, done, today, today)
    assert s is not None and (s.note == "bridge") is bridge


@pytest.mark.parametrize("swap,today,look,bridge", [
    # Wed's session moved to Sunday, Fri missed: one missed, not two (Wed was no session)
    ((S + timedelta(days=9), S + timedelta(days=13)), S + timedelta(days=12),
     S + timedelta(days=12), False),
    # Fri's session moved to Tue, Tue and Wed missed: two missed (Tue had the session)
    ((S + timedelta(days=11), S + timedelta(days=8)), S + timedelta(days=10),
     S + timedelta(days=12), True),
])
def test_missed_sessions_follow_the_day_swaps(swap: tuple[date, date], today: date,
                                              look: date, bridge: bool) -> None:
    """A swapped-away day is no missed session, the day it was swapped to is."""
    p = replace(prof(weeks=16), training_weekdays=(0, 2, 4, 5), swaps=(swap,))
    done = (LogEntry(S + timedelta(days=7), LogKind.DONE),)  # the week-2 Monday
    s = session_for(p, done, look, today)
    assert s is not None and s.training and (s.note == "bridge") is bridge


@pytest.mark.parametrize("pain,level,stop", [(2, PainLevel.GREEN, False),
                                             (5, PainLevel.AMBER, False),
                                             (7, PainLevel.RED, True)])
def test_pain_traffic_light(pain: int, level: PainLevel, stop: bool) -> None:
    a = pain_advice(pain, "knee")
    assert a.level is level and a.carry_on is not stop and not a.see_professional
    assert pain_advice(pain, "knee", swelling=True).see_professional


def test_pain_6_plus_goes_low_impact() -> None:
    p = prof(weeks=12, days=6)
    hist = (LogEntry(S + timedelta(7), LogKind.PAIN, pain=7, pain_area="knee"),)
    for k in range(7, 11):
        s = session_for(p, hist, S + timedelta(k), S + timedelta(7))
        assert s is not None and not s.is_run and not s.hard


def test_pain_6_plus_holds_next_week_and_no_session_rises() -> None:
    """Knee pain 7 on a week-3 Wednesday: three low-impact days, then no progression: the
    next week is held at this week's level and no session in it is longer or heavier than
    the same type's last planned dose before the pain (the walk does not jump)."""
    p = prof(running=Running.NO, weeks=13, joints=frozenset({Joint.KNEE}))
    pain_day = S + timedelta(days=7 * 4 + 2)  # Wednesday of week 5 (a growth week)
    done = tuple(LogEntry(s.day, LogKind.DONE) for s in sessions(p) if s.day < pain_day)
    hist = done + (LogEntry(pain_day, LogKind.PAIN, pain=7, pain_area="knee"),)
    before, after = build_plan(p, done, pain_day), build_plan(p, hist, pain_day)
    k = (pain_day - S).days // 7  # 0-based index of the pain's week
    assert before.weeks[k + 1].minutes > before.weeks[k].minutes  # the plan would progress
    assert after.weeks[k + 1].minutes <= before.weeks[k].minutes
    last = {s.type: s for w in after.weeks for s in w.sessions if s.training
            and s.day < pain_day}
    window = [s for w in after.weeks[k:k + 2] for s in w.sessions
              if s.training and s.day > pain_day]
    assert any(s.type is SessionType.BACKPACK_WALK for s in window)
    for s in (s for s in window if s.type in last):  # low-impact swaps may be new types
        c = last[s.type]
        assert s.minutes <= c.minutes and (s.pack_kg or 0) <= (c.pack_kg or 0)
        assert (s.sets or 0) <= (c.sets or 0) and (s.floors or 0) <= (c.floors or 0)
    walks = [s for s in before.weeks[k + 1].sessions if s.type is SessionType.BACKPACK_WALK]
    assert walks[0].minutes > last[SessionType.BACKPACK_WALK].minutes  # it did rise before


@pytest.mark.parametrize("easy,first", [(4, (2, 2)), (10, (5, 1)), (19, (9, 1)), (20, None)])
def test_zone2_is_run_walk_below_20_easy_minutes(easy: int, first: tuple | None) -> None:
    for running in (Running.SOMETIMES, Running.REGULAR):
        z2 = [s for s in sessions(prof(running=running, easy=easy, weeks=16, days=5,
                                       grade=Grade.EASY))  # no second walk: more easy runs
              if s.type is SessionType.ZONE2_RUN]
        assert z2[0].minutes == 20 and z2[0].run_walk == first
        assert all(20 <= s.minutes <= 40 for s in z2)
        segs = [s.run_walk[0] if s.run_walk else 99 for s in z2]
        if first is not None:  # the runs grow each week until running is continuous
            assert segs[-1] == 99 and max(segs[:3]) > first[0]
            runs = [s.run_walk for s in z2 if s.run_walk]
            assert all(a[0] <= b[0] for a, b in pairwise(runs))


@pytest.mark.parametrize("kind,train", [("above_neck", True), ("fever", False),
                                        ("chest", False), ("stomach", False)])
def test_sickness_above_or_below_neck(kind: str, train: bool) -> None:
    assert sickness_advice(kind).train is train
    p = prof(weeks=12, days=6)
    day = S + timedelta(8)
    s = session_for(p, (LogEntry(day, LogKind.SICK, sickness=kind),), day, day)
    assert s is not None and not s.hard
    assert (s.type is SessionType.RECOVERY) is (not train)


def _verdict(p: Profile, history: tuple, day: date, trained: bool = False) -> tuple:
    v = should_run(p, history, day, trained)
    return v.answer, v.reason


@pytest.mark.parametrize("case,expected", [
    ("non_runner", (VerdictAnswer.NO, "not_runner")),
    ("pain", (VerdictAnswer.NO, "pain")),
    ("sick", (VerdictAnswer.NO, "sick")),
    ("sick_non_runner", (VerdictAnswer.NO, "sick")),
    ("trek_close", (VerdictAnswer.NO, "trek_close")),
    ("trained", (VerdictAnswer.NO, "trained_today")),
    ("rest_day", (VerdictAnswer.NO, "rest_day")),
    ("run_day", (VerdictAnswer.YES, "run_planned")),
    ("other_day", (VerdictAnswer.YES_EASY, "other_first")),
])
def test_should_i_run_today(case: str, expected: tuple) -> None:
    p = prof(weeks=12)  # Mon long run (odd base weeks) or stairs, Wed strength, Fri zone 2
    # (a second walk from the build phase), Sat walk and a strength block
    mon, wed, tue = S + timedelta(14), S + timedelta(9), S + timedelta(8)
    got = {
        "non_runner": lambda: _verdict(prof(Running.NO), (), mon),
        "pain": lambda: _verdict(p, (LogEntry(mon, LogKind.PAIN, pain=5),), mon),
        "sick": lambda: _verdict(p, (LogEntry(mon, LogKind.SICK, sickness="fever"),), mon),
        "sick_non_runner": lambda: _verdict(
            prof(Running.NO), (LogEntry(mon, LogKind.SICK, sickness="fever"),), mon),
        "trek_close": lambda: _verdict(p, (), p.trek_date - timedelta(days=2)),
        "trained": lambda: _verdict(p, (), mon, True),
        "rest_day": lambda: _verdict(p, (), tue),
        "run_day": lambda: _verdict(p, (), mon),
        "other_day": lambda: _verdict(p, (), wed),
    }[case]()
    assert got == expected


def test_hard_yesterday_makes_todays_hard_run_easy() -> None:
    p = Profile(Running.REGULAR, 30, frozenset(), S + timedelta(weeks=12), Grade.MODERATE, 6,
                S, training_weekdays=(0, 1, 2, 3, 4, 5))
    hard_days = [s.day for s in sessions(p) if s.hard and s.is_run]
    day = hard_days[1]
    hist = (LogEntry(day - timedelta(1), LogKind.DONE, effort=9),)
    assert should_run(p, hist, day).answer is VerdictAnswer.YES_EASY


@pytest.mark.parametrize("grade,run5k,floors", [(Grade.EASY, 45, (10, 15)),
                                                (Grade.MODERATE, 45, (20, 25)),
                                                (Grade.DIFFICULT, 35, (35, 35))])
def test_trek_ready_targets_by_grade(grade: Grade, run5k: int, floors: tuple) -> None:
    t = targets(grade)
    assert (t.run_5k_minutes, t.stairs_floors) == (run5k, floors)


@pytest.mark.parametrize("running", [Running.NO, Running.REGULAR])
@pytest.mark.parametrize("days", [3, 4, 5, 6])
@pytest.mark.parametrize("joint", [Joint.KNEE, Joint.ANKLE, Joint.BACK])
def test_joint_issue_low_impact_cardio_every_week(running: Running, days: int,
                                                  joint: Joint) -> None:
    plan = build_plan(prof(running, joints=frozenset({joint}), days=days), (), S)
    for w in plan.weeks[:-1]:
        cycling = [s for s in w.sessions if s.type is SessionType.CYCLING]
        assert cycling and not any(s.hard for s in cycling), (w.index, w.phase)


@pytest.mark.parametrize("grade,trek_day,peak", [(Grade.EASY, 240, 180),
                                                 (Grade.MODERATE, 300, 225),
                                                 (Grade.DIFFICULT, 360, 270)])
def test_peak_walk_is_75_percent_of_a_trek_day(grade: Grade, trek_day: int, peak: int) -> None:
    t = targets(grade)
    assert (t.trek_day_minutes, t.long_walk_minutes) == (trek_day, peak)
    assert t.long_walk_minutes == 0.75 * t.trek_day_minutes


@pytest.mark.parametrize("running,grade,weeks", [(Running.REGULAR, Grade.MODERATE, 16),
                                                 (Running.NO, Grade.MODERATE, 16),
                                                 (Running.NO, Grade.EASY, 13),
                                                 (Running.REGULAR, Grade.DIFFICULT, 20)])
def test_peak_walk_and_trek_pack_about_3_weeks_out(running: Running, grade: Grade,
                                                   weeks: int) -> None:
    """With a long enough runway (the 10% weekly rule from a ~100-135 min first week needs
    about 13-16 weeks) the longest loaded walk reaches (within 10%) 75% of a trek day two
    to four weeks out, and the pack reaches trek weight at least three weeks out."""
    p = prof(running, weeks=weeks, grade=grade)
    plan = build_plan(p, (), S)
    t = targets(grade)
    walks = [s for s in sessions(p) if s.type is SessionType.BACKPACK_WALK]
    longest = max(walks, key=lambda s: s.minutes)
    assert longest.minutes >= 0.9 * t.long_walk_minutes
    assert 14 <= (p.trek_date - longest.day).days <= 28
    heavy = next(s for s in walks if s.pack_kg == t.pack_kg[1])
    assert (p.trek_date - heavy.day).days >= 21
    assert "walk_short" not in plan.warnings and "pack_short" not in plan.warnings


def test_long_walk_takes_a_larger_share_of_the_week() -> None:
    weeks = build_plan(prof(weeks=12), (), S).weeks
    loaded = (SessionType.BACKPACK_WALK, SessionType.SECOND_WALK)  # the back-to-back pair
    share = [sum(s.minutes for s in w.sessions if s.type in loaded) / w.minutes
             for w in weeks if w.phase in (Phase.BASE, Phase.BUILD, Phase.PEAK)]
    assert share[-1] > 2 * share[0] and share[-1] > 0.8


@pytest.mark.parametrize("weeks,joints,codes", [
    (5, frozenset(), {"walk_short"}),
    (12, frozenset({Joint.BACK}), {"pack_short"}),
])
def test_short_runway_for_the_peak_walk_or_pack_is_a_warning(weeks: int, joints: frozenset,
                                                             codes: set) -> None:
    from conversations.plan_texts import plan_text
    plan = build_plan(prof(Running.NO, weeks=weeks, grade=Grade.DIFFICULT, joints=joints), (),
                      S)
    assert codes <= set(plan.warnings)
    text = plan_text(plan)
    assert text.count("Heads-up") == len({"walk_short", "pack_short"} & set(plan.warnings))
    assert f"{plan.peak_walk_minutes // 60} h" in text or f"{plan.peak_walk_minutes} min" in text


@pytest.mark.parametrize("days_in", [3, 8, 15, 30])
def test_empty_history_is_not_a_break(days_in: int) -> None:
    """With nothing logged we know nothing: no restart and no bridge, the plan as built."""
    p = prof(weeks=16)
    today = S + timedelta(days=days_in)
    assert build_plan(p, (), today).weeks == build_plan(p, (), S).weeks
    assert session_for(p, (), today, today) == session_for(p, (), today, S)


@pytest.mark.parametrize("history,restart", [
    ("done_then_silence", True),   # logged, then nothing for 7+ days
    ("skips_covering_7", True),    # skips covering 7+ days, nothing done
    ("one_skip_then_silence", True),
    ("done_recently", False),
])
def test_break_needs_evidence_in_the_history(history: str, restart: bool) -> None:
    p = prof(weeks=16)
    today = S + timedelta(days=22)
    hist = {
        "done_then_silence": (LogEntry(S + timedelta(days=12), LogKind.DONE),),
        "skips_covering_7": tuple(LogEntry(S + timedelta(days=k), LogKind.SKIPPED)
                                  for k in range(13, 22, 2)),
        "one_skip_then_silence": (LogEntry(S + timedelta(days=2), LogKind.SKIPPED),),
        "done_recently": (LogEntry(S + timedelta(days=20), LogKind.DONE),),
    }[history]
    k = (today - S).days // 7
    cut = build_plan(p, hist, today).weeks[k].minutes < build_plan(p, (), S).weeks[k].minutes
    assert cut is restart


def _week1(p: Profile) -> dict[SessionType, list]:
    out: dict[SessionType, list] = {}
    for s in build_plan(p, (), S).weeks[0].sessions:
        out.setdefault(s.type, []).append(s)
    return out


# running, easy minutes, joints, days -> week-1 doses (planner/README.md "Start volumes"):
# walk min, stairs floors (None: no stairs that week), strength sets, zone 2 min, long run min
START_TABLE = [
    (Running.NO, None, frozenset(), 4, 60, 10, 2, None, None),
    (Running.NO, None, frozenset(), 3, 80, 10, 2, None, None),
    (Running.NO, None, frozenset(), 6, 60, 12, 2, None, None),
    (Running.NO, None, frozenset({Joint.KNEE}), 4, 55, None, 2, None, None),
    (Running.SOMETIMES, 30, frozenset(), 4, 60, 12, 2, 25, None),
    (Running.SOMETIMES, 15, frozenset(), 4, 60, 12, 2, 20, None),
    (Running.REGULAR, 30, frozenset(), 4, 65, None, 2, 30, 40),
    (Running.REGULAR, 55, frozenset(), 4, 65, None, 2, 40, 60),
    (Running.REGULAR, 45, frozenset({Joint.HIP}), 5, 60, None, 2, 30, None),
]


@pytest.mark.parametrize("running,easy,joints,days,walk,floors,sets,z2,long_run", START_TABLE)
def test_start_volumes_follow_the_profile(running: Running, easy: int | None, joints: frozenset,
                                          days: int, walk: int, floors: int | None, sets: int,
                                          z2: int | None, long_run: int | None) -> None:
    wk = _week1(prof(running, weeks=16, joints=joints, days=days, easy=easy))
    assert wk[SessionType.BACKPACK_WALK][0].minutes == walk
    assert [s.floors for s in wk.get(SessionType.STAIRS, [])][:1] == ([floors] if floors else [])
    assert {s.sets for s in wk[SessionType.STRENGTH]} == {sets}
    assert [s.minutes for s in wk.get(SessionType.ZONE2_RUN, [])][:1] == ([z2] if z2 else [])
    assert [s.minutes for s in wk.get(SessionType.LONG_RUN, [])] == (
        [long_run] if long_run else [])


@pytest.mark.parametrize("running", list(Running))
@pytest.mark.parametrize("joints", [frozenset(), frozenset({Joint.KNEE})])
def test_start_week_is_doable_and_grows_with_training_days(running: Running,
                                                           joints: frozenset) -> None:
    """Week 1 is about 25-50 min a training day (fewer, longer days at 3 a week: up to 55),
    no session is longer than a 75-min walk (85 at 3 days a week), and more training days
    never give a smaller first week."""
    firsts = [build_plan(prof(running, weeks=16, joints=joints, days=d), (), S).weeks[0]
              for d in (3, 4, 5, 6)]
    for d, w in zip((3, 4, 5, 6), firsts, strict=True):
        per_day = w.minutes / d
        assert 25 <= per_day <= (55 if d == 3 else 50), (d, w.minutes)
        assert max(s.minutes for s in w.sessions) <= (85 if d == 3 else 75)
    assert [w.minutes for w in firsts] == sorted(w.minutes for w in firsts)


RUNWAY_PROFILES = [
    (Running.NO, None, frozenset(), 3), (Running.NO, None, frozenset(), 4),
    (Running.NO, None, frozenset({Joint.KNEE}), 3), (Running.NO, None, frozenset({Joint.HIP}), 5),
    (Running.SOMETIMES, 20, frozenset(), 5), (Running.SOMETIMES, 30, frozenset({Joint.KNEE}), 4),
    (Running.REGULAR, 30, frozenset(), 4), (Running.REGULAR, 45, frozenset({Joint.ANKLE}), 6),
]


@pytest.mark.parametrize("grade", list(Grade))
@pytest.mark.parametrize("running,easy,joints,days", RUNWAY_PROFILES)
def test_reaches_the_peak_walk_on_the_recommended_runway(grade: Grade, running: Running,
                                                         easy: int | None, joints: frozenset,
                                                         days: int) -> None:
    """With the recommended lead time (9 / 13 / 17 weeks) the longest loaded walk gets
    within 10% of the grade's peak walk, so there is no walk_short heads-up."""
    weeks = lead_time(prof(grade=grade), S).recommended_weeks
    plan = build_plan(prof(running, weeks=weeks, joints=joints, grade=grade, days=days,
                           easy=easy), (), S)
    assert plan.peak_walk_minutes >= 0.9 * targets(grade).long_walk_minutes
    assert "walk_short" not in plan.warnings and "short_lead" not in plan.warnings


@pytest.mark.parametrize("grade,weeks", [(Grade.EASY, 5), (Grade.MODERATE, 7),
                                         (Grade.DIFFICULT, 9)])
@pytest.mark.parametrize("running", [Running.NO, Running.REGULAR])
def test_walk_short_only_on_a_genuinely_short_runway(grade: Grade, weeks: int,
                                                     running: Running) -> None:
    """About half the recommended lead time is too short for the peak walk: heads-up."""
    plan = build_plan(prof(running, weeks=weeks, grade=grade), (), S)
    assert "walk_short" in plan.warnings and "short_lead" in plan.warnings


@pytest.mark.parametrize("kind", ["fever", "chest", "stomach"])
def test_first_sessions_after_fever_chest_or_stomach_are_short_and_easy(kind: str) -> None:
    """After the rest (2 days past the last sick report) the next days' sessions are short
    and easy (our judgement): no 40-min long run three days after a fever."""
    p = prof(weeks=12, running=Running.REGULAR)
    sick_day = S + timedelta(days=14)
    h = (LogEntry(sick_day, LogKind.SICK, sickness=kind),)
    plan = build_plan(p, h, sick_day)
    by_day = {s.day: s for w in plan.weeks for s in w.sessions}
    rest = [sick_day + timedelta(days=d) for d in range(3)]
    back = [sick_day + timedelta(days=d) for d in range(3, 7)]
    assert all(not by_day[d].training for d in rest if d in by_day)
    trained = [by_day[d] for d in back if d in by_day and by_day[d].training]
    assert trained and all(s.minutes <= 30 and not s.hard and s.note == "sick_back"
                           and s.pack_kg is None for s in trained)
    later = [s for s in by_day.values() if s.day > back[-1] and s.training]
    assert later[0].note != "sick_back"


def test_fever_gone_rests_one_more_day_then_easy() -> None:
    """'The fever is gone' (logged as cleared) is not a new sickness: rest 24 h more, then
    short and easy sessions."""
    p = prof(weeks=12)
    sick_day = S + timedelta(days=14)
    cleared = sick_day + timedelta(days=3)
    h = (LogEntry(sick_day, LogKind.SICK, sickness="fever"),
         LogEntry(cleared, LogKind.SICK, sickness="cleared"))
    plan = build_plan(p, h, cleared)
    by_day = {s.day: s for w in plan.weeks for s in w.sessions}
    assert all(not by_day[d].training for d in (cleared, cleared + timedelta(days=1))
               if d in by_day)
    soon = [s for s in by_day.values() if cleared + timedelta(days=1) < s.day
            <= cleared + timedelta(days=5) and s.training]
    assert soon and all(s.note == "sick_back" and s.minutes <= 30 for s in soon)


def test_should_i_run_agrees_with_a_low_impact_day() -> None:
    """Pain 7: three low-impact days. On the third (past the 48 h of the pain report) the
    answer to "should I run today?" is still no, as the plan says."""
    p = prof(weeks=12)
    pain_day = S + timedelta(days=14)
    h = (LogEntry(pain_day, LogKind.PAIN, pain=7, pain_area="knee"),)
    for d in range(1, 4):
        day = pain_day + timedelta(days=d)
        s = session_for(p, h, day, day)
        v = should_run(p, h, day)
        if s is not None and s.note == "pain_low_impact":
            assert v.answer is VerdictAnswer.NO and v.reason == "pain", (d, v)


@pytest.mark.parametrize("pain", [4, 5])
def test_pain_4_to_5_makes_the_next_session_of_that_kind_smaller(pain: int) -> None:
    """PLANNER.md: pain 4-5 = do less next time. The next walk after a walk that hurt is
    smaller than planned (about 80%), the pack no heavier; other sessions unchanged."""
    p = prof(weeks=12)
    plain = build_plan(p, (), S)
    walks = [s for w in plain.weeks for s in w.sessions if s.type is SessionType.BACKPACK_WALK]
    hurt, nxt = walks[1], walks[2]
    h = (LogEntry(hurt.day, LogKind.DONE, session_type=SessionType.BACKPACK_WALK),
         LogEntry(hurt.day, LogKind.PAIN, pain=pain, pain_area="knee"))
    today = hurt.day + timedelta(days=1)
    s = session_for(p, h, nxt.day, today)
    assert s is not None and s.type is SessionType.BACKPACK_WALK
    assert s.minutes <= nxt.minutes * 0.85 and (s.pack_kg or 0) <= (nxt.pack_kg or 0)
    assert s.note == "pain_smaller"
    other = next(x for w in plain.weeks for x in w.sessions
                 if x.training and hurt.day < x.day < nxt.day and not x.hard)
    assert session_for(p, h, other.day, today) == session_for(p, (h[0],), other.day, today)
    after = walks[3]
    assert session_for(p, h, after.day, today).note != "pain_smaller"


def test_a_log_today_does_not_turn_today_into_a_bridge() -> None:
    """Nothing logged before: the missed days are unknown, and whatever is logged today
    (an extra ride, a pain note) leaves today's session as the morning showed it."""
    p = prof(weeks=16, days=6)
    days = [s.day for s in sessions(p)]
    today = days[3]
    before = session_for(p, (), today, today)
    for entry in (LogEntry(today, LogKind.DONE, activity="ride", minutes=10),
                  LogEntry(today, LogKind.PAIN, pain=2)):
        after = session_for(p, (entry,), today, today)
        assert after == before and after is not None and after.note != "bridge"
