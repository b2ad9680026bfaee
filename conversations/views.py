"""Views in the daily conversation: today's session, the week, progress, export, short replies."""

from __future__ import annotations

from datetime import date, timedelta

from conversations import daily_texts as t
from conversations import plan_texts as pt
from conversations import road_texts as rt
from conversations.export import calendar_ics, log_csv
from conversations.facts import facts
from conversations.feed import feed_path, owner_of
from conversations.formatting import weeks
from conversations.history import logged_on
from conversations.intent import Parsed
from conversations.messages import Attachment, Outgoing
from conversations.plans import give, given_sessions
from conversations.turn import Turn
from planner import History, LogKind, build_plan, readiness, should_run, test_weeks, week_of
from planner import targets as grade_targets


async def run_question(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    f = await facts(turn)
    if f.today < f.profile.start_date:
        return [Outgoing(t.before_start(f.profile.start_date))]
    trained = logged_on(f.rows, f.today, LogKind.DONE) is not None
    return [Outgoing(pt.verdict_text(should_run(f.profile, f.history, f.today, trained)))]


async def today(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    f = await facts(turn)
    if f.today < f.profile.start_date:
        return [Outgoing(t.before_start(f.profile.start_date))]
    s = f.session_on(f.today)
    if s is None:
        return [Outgoing(t.TREK_TIME)]
    await give(turn.tx, turn.user, s)  # /plan shows this day as given now
    lines = [t.today_head(f.today), pt.session_text(s)]
    if f.today in f.done_days():  # an extra of another kind leaves the session open
        lines.append(t.TODAY_DONE)
    return [Outgoing("\n".join(lines))]


async def plan(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    f = await facts(turn)
    day = max(f.today, f.profile.start_date)
    if day >= f.profile.trek_date:
        return [Outgoing(t.TREK_TIME)]
    week = week_of(f.profile, f.history, day, f.today)
    given = await given_sessions(turn.tx, turn.user, f.today)
    text = pt.week_text(week, f.today, f.done_days(), given, day_marks(f.history))
    gap = rt.gap_line(build_plan(f.profile, f.history, f.today),
                      grade_targets(f.profile.grade).trek_day_minutes)
    return [Outgoing(text + ("\n\n" + gap if gap else ""))]


MARKS = {LogKind.SKIPPED: "skipped", LogKind.SICK: "unwell", LogKind.PAIN: "pain noted"}


def day_marks(history: History) -> dict[date, str]:
    """A word for each day with a skip, sickness or pain logged (a done wins: ✓ done)."""
    out: dict[date, str] = {}
    done = {e.day for e in history if e.kind is LogKind.DONE}
    for e in history:
        if e.kind in MARKS and e.day not in done and e.day not in out:
            out[e.day] = MARKS[e.kind]
    return out


async def plan_all(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    """Every week left to the trek, one line each, and the heads-ups."""
    f = await facts(turn)
    if f.today >= f.profile.trek_date:
        return [Outgoing(t.TREK_TIME)]
    plan_ = build_plan(f.profile, f.history, f.today)
    return [Outgoing(rt.all_weeks_text(plan_, f.today,
                                       grade_targets(f.profile.grade).trek_day_minutes))]


async def next_week(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    """The days of the plan week after the one holding today."""
    f = await facts(turn)
    if f.today >= f.profile.trek_date:
        return [Outgoing(t.TREK_TIME)]
    day = max(f.today, f.profile.start_date)
    after = week_of(f.profile, f.history, day, f.today).end + timedelta(days=1)
    if after >= f.profile.trek_date:
        return [Outgoing(rt.next_week_text(None, f.today))]
    return [Outgoing(rt.next_week_text(week_of(f.profile, f.history, after, f.today),
                                       f.today))]


async def progress(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    from conversations.chart import weekly_chart  # matplotlib loads on first use only

    f = await facts(turn)
    done = {d for d in f.done_days() if f.profile.start_date <= d <= f.today}
    planned_days = {s.day for s in f.training_days(f.today)}
    due = {d for d in planned_days if d < f.today or d in done}
    week = f.week_counts()
    weeks_left = max(0, weeks((f.profile.trek_date - f.today).days))
    text = t.progress_lines(len(done & due), len(due), len(done - planned_days), f.streak(),
                            week.minutes_done, week.minutes_planned, weeks_left)
    text += "\n" + pt.readiness_text(readiness(f.profile, f.history, f.today))
    png = weekly_chart(f.profile, f.history, f.today)
    return [
        Outgoing(text),
        Outgoing(t.CHART_CAPTION,
                 attachment=Attachment("progress.png", png, "image/png", is_image=True)),
    ]


async def targets(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    """The grade's trek-ready targets, the test weeks, and where the results stand."""
    f = await facts(turn)
    lines = [pt.targets_text(grade_targets(f.profile.grade)),
             t.test_weeks_line(test_weeks(f.profile))]
    if f.today >= f.profile.start_date:
        lines += ["", pt.readiness_text(readiness(f.profile, f.history,
                                                  min(f.today, f.profile.trek_date)))]
    return [Outgoing("\n".join(lines))]


async def export(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    f = await facts(turn)
    plan_ = build_plan(f.profile, f.history, f.today)
    ics = calendar_ics(plan_, f.today, owner_of(turn.user), stamp=turn.now)
    csv = log_csv(f.rows)
    intro = t.EXPORT_INTRO + "\n" + t.EXPORT_ICS
    if turn.public_url:
        intro += "\n" + t.export_feed(turn.public_url + feed_path(turn.tx, turn.user))
    return [
        Outgoing(intro,
                 attachment=Attachment("trek-plan.ics", ics, "text/calendar")),
        Outgoing(t.EXPORT_CSV, attachment=Attachment("trek-log.csv", csv, "text/csv")),
    ]


async def help_(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    return [Outgoing(t.HELP)]


async def unknown(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    return [Outgoing(t.UNKNOWN)]


async def greeting(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    return [Outgoing(t.GREETING)]


async def thanks(turn: Turn, parsed: Parsed | None = None) -> list[Outgoing]:
    return [Outgoing(t.THANKS)]
