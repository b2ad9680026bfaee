"""Chat text for the whole road to the trek: every week as one line ("plan all"), next
week's days, and the plain-words heads-ups when the runway is too short for the longest
walk or the full pack."""

from __future__ import annotations

from datetime import date

from conversations.formatting import duration, short_date
from conversations.plan_texts import PHASE_NAMES, week_text
from planner import Phase, Plan, SessionType, Week

ALL_TITLE = "*The whole road to the trek*"
ALL_LEGEND = "Week, dates, phase, training time, longest loaded walk and pack."
ALL_TAIL = "Say *plan* for this week's days, *next week* for the one after."
NO_WEEKS = "There are no training weeks left before the trek."
NO_NEXT_WEEK = "There is no next week of training: the trek comes first. Say *plan* for " \
               "the days left."
NEXT_WEEK_TAIL = "Days can still shift a little as you log; I'll send each one on the day."

PHASE_NOTES: dict[Phase, str] = {
    Phase.DELOAD: "lighter, to absorb the work",
    Phase.TAPER: "easing off to arrive fresh",
    Phase.SHORT_RUNWAY: "stay fresh, practise the kit",
}

WALKS = (SessionType.BACKPACK_WALK, SessionType.SECOND_WALK)


def _kg(x: float) -> str:
    return f"{x:g} kg"


def long_walk(week: Week) -> int:
    """The longest loaded walk of the week, in minutes (0: none)."""
    return max((s.minutes for s in week.sessions if s.type in WALKS), default=0)


def pack(week: Week) -> float:
    """The heaviest pack of the week (0: no pack)."""
    return max((s.pack_kg or 0.0 for s in week.sessions), default=0.0)


def week_line(week: Week, today: date) -> str:
    """'Wk 3  9-15 Dec  Build  3 h 10 · walk 1 h 40 · 6 kg · lighter ...'."""
    parts = [f"Wk {week.index}  {short_date(week.start)} - {short_date(week.end)}  "
             f"{PHASE_NAMES[week.phase]}  {duration(week.minutes)}"]
    walk, kg = long_walk(week), pack(week)
    if walk:
        parts.append(f"walk {duration(walk)}")
    if kg:
        parts.append(_kg(kg))
    rests = sum(1 for s in week.sessions if not s.training)
    if rests:
        parts.append(f"{rests} rest day{'s' if rests > 1 else ''} on the plan")
    if week.phase in PHASE_NOTES:
        parts.append(PHASE_NOTES[week.phase])
    line = " · ".join(parts)
    return line + ("  <- now" if week.start <= today <= week.end else "")


def all_weeks_text(plan: Plan, today: date, trek_day_minutes: int) -> str:
    """Every week left, one compact line each, then the heads-ups."""
    weeks = [w for w in plan.weeks if w.end >= today]
    if not weeks:
        return NO_WEEKS
    lines = [ALL_TITLE, ALL_LEGEND, ""] + [week_line(w, today) for w in weeks]
    gap = gap_text(plan, trek_day_minutes)
    if gap:
        lines += ["", gap]
    return "\n".join(lines + ["", ALL_TAIL])


def next_week_text(week: Week | None, today: date) -> str:
    """Next week's days."""
    if week is None:
        return NO_NEXT_WEEK
    return week_text(week, today) + "\n" + NEXT_WEEK_TAIL


def _gap(plan: Plan, trek_day_minutes: int) -> str:
    reach = f"about {duration(plan.peak_walk_minutes)} with {_kg(plan.peak_pack_kg)}"
    day = duration(trek_day_minutes or plan.target_walk_minutes)
    return (f"*Heads-up:* at this runway your longest walk reaches {reach}; the trek days "
            f"are around {day} with {_kg(plan.target_pack_kg)}.")


def _short(plan: Plan) -> bool:
    return bool({"walk_short", "pack_short"} & set(plan.warnings))


def gap_line(plan: Plan, trek_day_minutes: int) -> str | None:
    """The heads-up in one line, pointing to "plan all" for what to do (for /plan)."""
    if not _short(plan):
        return None
    return _gap(plan, trek_day_minutes) + " Say *plan all* for how to close that gap."


def gap_text(plan: Plan, trek_day_minutes: int) -> str | None:
    """The walk and pack heads-ups in plain words, with what to do about them (None when
    the plan reaches both)."""
    walk = "walk_short" in plan.warnings
    kg = "pack_short" in plan.warnings
    if not (walk or kg):
        return None
    head = _gap(plan, trek_day_minutes) + " Here is how to close that gap:"
    tips = []
    if walk:
        tips.append("- More weeks would help most: if the trek date can move, tell me "
                    "(\"my trek moved to 20 May\").")
        tips.append("- On the trek, start slower than feels right and take a short break "
                    "every hour; the first day is the hardest.")
    if kg:
        tips.append(f"- Pack light: weigh your kit and leave out what you can, so you carry "
                    f"closer to {_kg(plan.peak_pack_kg)}. Ask if a porter or a luggage "
                    "transfer is on offer.")
    tips.append("- Do every long walk on the plan in your trek boots with the pack on; "
                "those count most.")
    return "\n".join([head, *tips])
