"""Chat text for sessions, weeks, plans, verdicts, readiness, lead time, pain and sickness."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from conversations.formatting import duration, short_date, span
from planner import (
    Exercise,
    LeadTime,
    PainAdvice,
    PainLevel,
    Phase,
    Plan,
    Readiness,
    Session,
    SessionType,
    SickAdvice,
    Verdict,
    VerdictAnswer,
    Week,
)

NAMES: dict[SessionType, str] = {
    SessionType.ZONE2_RUN: "Easy run",
    SessionType.INTERVALS: "Run with bursts",
    SessionType.HILL_REPEATS: "Hill repeats",
    SessionType.LONG_RUN: "Long slow run",
    SessionType.BACKPACK_WALK: "Backpack walk",
    SessionType.STAIRS: "Stairs",
    SessionType.CYCLING: "Cycling",
    SessionType.STRENGTH: "Strength",
    SessionType.MOBILITY: "Mobility + core",
    SessionType.RECOVERY: "Rest",
    SessionType.EASY_WALK: "Easy walk",
    SessionType.SECOND_WALK: "Second-day walk",
    SessionType.STEP_UPS: "Step-ups",
    SessionType.BRISK_WALK: "Brisk walk or swim",
}

CUES: dict[str, str] = {
    "conversational": "easy enough to talk in full sentences",
    "bursts": "bursts quick but controlled; jog gently between them",
    "hill_hard": "push up the hill, breathing hard; walk back down to recover",
    "steady": "steady and relaxed; you could still chat in short sentences",
    "brisk_talk": "brisk, but you can still hold a conversation",
    "puffing": "breathing hard at the top, back to normal before the next climb",
    "two_in_reserve": "stop each set with two good reps left in you",
    "gentle": "slow and gentle, never into pain",
    "rest": "feet up, or an easy stroll",
    "easy": "relaxed pace, nothing that tires you",
    "steady_tired": "steady, on yesterday's legs; slower than yesterday is fine",
}

WHY: dict[SessionType, str] = {
    SessionType.ZONE2_RUN: "Easy running builds the aerobic base every trek day rests on.",
    SessionType.INTERVALS: "Short bursts give you spare capacity for steep sections.",
    SessionType.HILL_REPEATS: "Climbing hard trains the legs and lungs for long ascents.",
    SessionType.LONG_RUN: "Long and slow grows endurance for long days on the trail.",
    SessionType.BACKPACK_WALK: "Time on your feet with weight on your back is the trek itself.",
    SessionType.STAIRS: "Steps stand in for elevation gain when there is no mountain nearby.",
    SessionType.CYCLING: "Builds your engine without pounding the joints.",
    SessionType.STRENGTH: "Strong legs and core keep you steady on uneven ground and descents.",
    SessionType.MOBILITY: "Loose hips and ankles and a solid core make rough ground easier.",
    SessionType.RECOVERY: "Your body gets fitter while it recovers, not while it works.",
    SessionType.EASY_WALK: "Keeps you moving while you stay fresh.",
    SessionType.SECOND_WALK: "A trek is day two and day three on tired legs; this walk, the "
                             "day next to your long one, practises exactly that.",
    SessionType.STEP_UPS: "Stepping up onto a sturdy step stands in for stairs and hills "
                          "when there are none nearby.",
    SessionType.BRISK_WALK: "A brisk walk or an easy swim builds the same engine as a ride, "
                            "no bike needed.",
}

NOTES: dict[str, str] = {
    "bridge": "An easy one to get going again after a few missed days; no catching up.",
    "pain_low_impact": "Swapped for something low impact while the pain settles.",
    "pain_less": "Toned down after the pain you reported.",
    "after_hard": "Easy today: yesterday's session was a tough one.",
    "pain_smaller": "A bit less than planned after the pain last time: see how it feels.",
    "sick_easy": "Kept short and easy while you have a head cold.",
    "sick_rest": "Rest: give your body time to clear the illness first.",
    "sick_back": "Kept short and easy: your first sessions back after being ill.",
    "pre_trek_rest": "Rest before the trek: arrive fresh.",
    "pre_trek_walk": "Just a loosener: the hard work is done.",
    "light_week": "A lighter week: rest today and let the training sink in.",
}

EXERCISE_NAMES: dict[str, str] = {
    "squat": "squats",
    "lunge": "lunges",
    "step_up": "step-ups",
    "calf_raise": "calf raises",
    "reverse_step_up": "reverse step-ups (step down backwards, slowly)",
    "lateral_step_down": "lateral step-downs (off a low step, knee over toes)",
    "single_leg_balance": "single-leg balance (eyes open, then closed)",
    "plank": "plank",
    "bird_dog": "bird dog (each side)",
    "dead_bug": "dead bug (each side)",
    "glute_bridge": "glute bridges",
    "clamshell": "clamshells (each side)",
    "side_leg_raise": "side-lying leg raises (each side)",
}

JOINT_LABELS: dict[str, str] = {"knee": "For your knee", "ankle": "For your ankle",
                                "back": "For your back", "hip": "For your hip"}

FOCUS: dict[str, str] = {
    "uphill_over_downhill": "Knee: favour the climbs; go down slowly with short steps "
                            "(poles help).",
    "stairs_up": "Knee: walk up; take the lift down, or step down slowly.",
    "even_ground": "Ankle: keep to even ground for now; uneven trails come later.",
    "uneven_ground": "Ankle: add some uneven trail if the ankle feels steady; back to even "
                     "ground if it complains.",
    "pack_slow": "Back: the pack goes up by 1 kg a week at most; tighten the hip belt so "
                 "your hips carry it.",
    "core_first": "Back: core work first, while you're fresh; keep your back neutral.",
    "short_strides_down": "Hip: shorter strides on the way down; poles take some load off "
                          "the hip.",
    "trek_kit": "Wear the boots you'll trek in, and practise with poles if you'll use them.",
    "step_up_control": "Hip: step up slowly and under control, knee in line with your toes; "
                       "stop short of any pain in the hip.",
}

PHASE_NAMES: dict[Phase, str] = {
    Phase.BASE: "Base", Phase.BUILD: "Build", Phase.PEAK: "Peak", Phase.TAPER: "Taper",
    Phase.DELOAD: "Easier week", Phase.SHORT_RUNWAY: "Short runway",
}


def _kg(x: float) -> str:
    return f"{x:g} kg"


RUN_WALK_NAMES: dict[SessionType, str] = {
    SessionType.ZONE2_RUN: "Easy run/walk",
    SessionType.LONG_RUN: "Long slow run/walk",
}


STEPS_A_FLOOR = 16  # a floor of stairs is about 16 steps


def session_name(s: Session) -> str:
    """The session's name ("Easy run/walk" when the run has walk breaks)."""
    if s.run_walk is not None and s.type in RUN_WALK_NAMES:
        return RUN_WALK_NAMES[s.type]
    return NAMES[s.type]


def dose(s: Session) -> str:
    """The dose in a few words: minutes, floors, kilograms, reps."""
    t = s.type
    if s.run_walk is not None and t in RUN_WALK_NAMES:
        run, walk = s.run_walk
        return f"{s.minutes} min ({run} min run, {walk} min walk)"
    if t is SessionType.RECOVERY:
        return "rest"
    return _dose(s) + (f" + {s.strength_block} min strength" if s.strength_block else "")


def _dose(s: Session) -> str:
    t = s.type
    if t is SessionType.STAIRS:
        text = f"{s.floors} floors (~{s.minutes} min)"
        return text + (f" with {_kg(s.pack_kg)}" if s.pack_kg else "")
    if t is SessionType.STEP_UPS:
        steps = (s.floors or 0) * STEPS_A_FLOOR
        text = f"{s.minutes} min, about {steps} steps up"
        return text + (f" with {_kg(s.pack_kg)}" if s.pack_kg else "")
    if t in (SessionType.BACKPACK_WALK, SessionType.SECOND_WALK):
        return f"{s.minutes} min with {_kg(s.pack_kg or 0)}"
    if t is SessionType.INTERVALS:
        return f"{s.minutes} min with {s.reps} x {s.rep_seconds} s faster"
    if t is SessionType.HILL_REPEATS:
        return f"{s.reps} x {s.rep_seconds} s uphill (~{s.minutes} min)"
    if t is SessionType.STRENGTH:
        return f"{s.sets} sets, ~{s.minutes} min"
    return f"{s.minutes} min"


def _reps(e: Exercise) -> str:
    lo, hi = e.reps
    unit = " s" if e.unit == "s" else ""
    return f"{e.sets} x {lo}-{hi}{unit}"


def exercises_text(exercises: tuple[Exercise, ...]) -> list[str]:
    """One line per group (everyone's moves, then each joint's), with sets x reps."""
    lines: list[str] = []
    groups: dict[str, list[Exercise]] = {}
    for e in exercises:
        groups.setdefault(e.joint, []).append(e)
    for joint, items in groups.items():
        same = len({_reps(e) for e in items}) == 1
        parts = [EXERCISE_NAMES.get(e.code, e.code) + ("" if same else f" {_reps(e)}")
                 for e in items]
        text = ", ".join(parts) + (f": {_reps(items[0])}" if same else "")
        label = JOINT_LABELS.get(joint, "")
        lines.append(f"{label}: {text}." if label else text[0].upper() + text[1:] + ".")
    return lines


def session_text(s: Session) -> str:
    """What to do today, how hard, and why."""
    if s.type is SessionType.RECOVERY:
        lines = ["*Rest day*", "Take it easy: a gentle stroll and some stretching at most."]
    else:
        lines = [f"*{session_name(s)}*: {dose(s)}", f"Effort: {CUES.get(s.cue, s.cue)}."]
        if s.run_walk is not None and s.type in RUN_WALK_NAMES:
            run, walk = s.run_walk
            lines.append(f"Run {run} min, walk {walk} min, and repeat until the time is up. "
                         "The runs get longer each week until you run the whole way.")
        lines += exercises_text(s.exercises)
        if s.strength_block:
            lines.append(f"Then a short strength block (~{s.strength_block} min): one set of "
                         "squats, lunges, step-ups and calf raises.")
        lines += [FOCUS[f] for f in s.focus if f in FOCUS]
    lines.append(NOTES.get(s.note, WHY[s.type]))
    return "\n".join(lines)


def week_text(week: Week, today: date, done: Collection[date] = ()) -> str:
    """One line per day of the week; today and the days in `done` marked."""
    by_day = {s.day: s for s in week.sessions}
    head = f"*Week {week.index}* ({PHASE_NAMES[week.phase]}, {week.minutes} min)"
    lines = [head]
    for k in range(week.days):
        day = week.start.fromordinal(week.start.toordinal() + k)
        s = by_day.get(day)
        what = f"{session_name(s)} {dose(s)}" if s and s.training else "Rest"
        mark = (" ✓ done" if day in done else "") + (" <- today" if day == today else "")
        lines.append(f"{short_date(day)}  {what}{mark}")
    return "\n".join(lines)


def plan_text(plan: Plan) -> str:
    """Phases and weekly minutes, one line per week."""
    if not plan.weeks:
        return "There are no training days left before the trek."
    lines = ["*Your plan to the trek*"]
    for w in plan.weeks:
        lines.append(f"Wk {w.index:>2}  {short_date(w.start)}  {PHASE_NAMES[w.phase]:<12} "
                     f"{w.minutes} min")
    lines += plan_warnings_text(plan)
    return "\n".join(lines)


def plan_warnings_text(plan: Plan) -> list[str]:
    """The plan's warnings about the peak walk and the pack (the lead time has its own
    text: lead_time_text)."""
    out: list[str] = []
    if "walk_short" in plan.warnings:
        target, peak = duration(plan.target_walk_minutes), duration(plan.peak_walk_minutes)
        out.append(f"Heads-up: there isn't time to build your longest loaded walk safely to "
                   f"{target} (about three quarters of a trek day); the plan gets you to "
                   f"{peak}. Pace yourself on the first trek days.")
    if "pack_short" in plan.warnings:
        out.append(f"Heads-up: your pack builds to {_kg(plan.peak_pack_kg)}, short of the "
                   f"{_kg(plan.target_pack_kg)} you'll carry, because it rises slowly to "
                   "stay safe. Keep your trek pack as light as you can.")
    return out


VERDICT_REASONS: dict[str, str] = {
    "trek_started": "The trek is here: no training runs now.",
    "trek_close": "The trek is only days away. Rest now so your legs arrive fresh.",
    "not_runner": "Running isn't the best first step if you don't already run: it can "
                  "lead to injury or burnout. Walking with a pack and stairs serve you better.",
    "pain": "You reported pain recently. Running could make it worse; go low impact.",
    "sick": "You've been unwell. Let your body recover before running.",
    "not_started": "Your plan hasn't started yet.",
    "trained_today": "You've already trained today. Recovery is where the fitness comes from.",
    "rest_day": "Today is a recovery day. It matters as much as the training.",
    "hard_yesterday": "Yesterday was hard, so keep today easy.",
    "run_planned": "A run is on the plan today.",
    "other_first": "Today's session comes first; a short easy run on top is fine.",
    "other_planned": "Today's session is not a run; stick with it.",
}


def verdict_text(v: Verdict) -> str:
    """The answer first, then why, then what to do."""
    head = {VerdictAnswer.YES: "*Yes.*", VerdictAnswer.YES_EASY: "*Yes, but easy.*",
            VerdictAnswer.NO: "*No run today.*"}[v.answer]
    lines = [head, VERDICT_REASONS.get(v.reason, "")]
    if v.instead is not None and v.instead.training:
        lead = "Instead" if v.answer is VerdictAnswer.NO else "First"  # a run on top of it
        lines.append(f"{lead}: {session_name(v.instead)} {dose(v.instead)}.")
    if v.run is not None:
        lines.append(f"Run: {dose(v.run)}, {CUES[v.run.cue]}.")
    return "\n".join(x for x in lines if x)


def readiness_text(r: Readiness) -> str:
    """The readiness figure and what it is made of."""
    return "\n".join([
        f"*Readiness: {r.score}/100*",
        (f"Sessions done, last 4 weeks: {r.sessions_done} of {r.sessions_planned}"
         if r.sessions_planned else "Sessions done, last 4 weeks: none due yet"),
        _walk_line(r),
        f"Weekly training: {r.weekly_minutes} of {r.target_weekly_minutes} min",
        f"Weekly climb: {r.weekly_climb_m} of {r.target_weekly_climb_m} m up",
        _run_line(r),
    ])


def _walk_line(r: Readiness) -> str:
    extra = [f"{r.longest_walk_km:g} km" if r.longest_walk_km else "",
             f"{r.longest_walk_pack_kg:g} kg pack" if r.longest_walk_pack_kg else ""]
    said = ", ".join(x for x in extra if x)
    return (f"Longest loaded walk: {r.longest_walk_minutes} of {r.target_walk_minutes} min"
            + (f" ({said}; trek pack {r.target_pack_kg} kg)" if said else ""))


def _run_line(r: Readiness) -> str:
    if r.run_km is None:
        return f"5 km run: not logged yet (target {r.target_5k_minutes} min)"
    timed = f", about {r.run_5k_minutes} min for 5 km" if r.run_5k_minutes else ""
    mark = "met" if r.run_5k_met else f"target 5 km in {r.target_5k_minutes} min"
    return f"5 km run: longest {r.run_km:g} km{timed} ({mark})"


def lead_time_text(lt: LeadTime) -> str | None:
    """A plain warning when time is short; None when there is enough."""
    if lt.short_runway:
        return (f"Only {lt.days_left} days to go: too little to build fitness. "
                "We'll keep sessions short, practise with your pack, stairs and boots, "
                "and make sure you arrive fresh.")
    if lt.short:
        return (f"You have {span(lt.days_left)}; about {lt.recommended_weeks} are "
                "recommended for this trek. We'll make the most of it, but be realistic.")
    return None


def pain_text(a: PainAdvice, why: str | None = None) -> str:
    """Traffic-light pain advice; `why` names the warning signs seen ("it's swollen")."""
    where = f" in your {a.area}" if a.area else ""
    lines = {
        PainLevel.GREEN: f"*Pain {a.pain}/10{where}: fine to carry on.* Keep an eye on it.",
        PainLevel.AMBER: f"*Pain {a.pain}/10{where}: carry on carefully.* "
                         "Do a little less next time.",
        PainLevel.RED: f"*Pain {a.pain}/10{where}: stop.* Switch to low impact "
                       f"(cycling, mobility) for the next {a.low_impact_days} days.",
    }
    out = [lines[a.level]]
    if a.see_professional and a.level is not PainLevel.RED:
        out = [f"*Pain {a.pain}/10{where}: ease off.* Low impact only (cycling, mobility) "
               f"for the next {a.low_impact_days} days."]
    if a.see_professional:
        out.append(f"Because {why or 'it is getting worse, lasting or swollen'}, please see "
                   "a physiotherapist or doctor before training on it.")
    else:
        out.append("If it gets worse while moving, lasts past tomorrow or swells, see a "
                   "physiotherapist or doctor.")
    return "\n".join(out)


def sick_text(a: SickAdvice) -> str:
    """Sickness advice (above or below the neck, or cleared)."""
    if a.kind == "cleared":
        return ("*Good to hear it's gone.* Give it one more easy day of rest, then the "
                "first sessions back are short and easy while your body catches up.")
    if a.train:
        return ("*Head cold only? Short and easy is fine.* Keep it under "
                f"{a.max_minutes} min and stop if you feel worse.")
    return ("*Rest today.* With a fever, chest or stomach bug, train again only "
            f"{a.rest_days_after_clear * 24} hours after it clears. If it drags on, "
            "see a doctor.")
