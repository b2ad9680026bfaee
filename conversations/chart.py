"""The progress chart as PNG bytes (matplotlib, Agg): two panels a person reads on a phone.

Top: minutes per plan week, planned (as the plan stood when the week began) against done,
the current week marked and the trek date drawn. Bottom: the longest loaded walk of each
week in hours with the pack it carried, against the trek day and the trek pack.
`chart_rows` holds the figures, `weekly_chart` draws them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")

from matplotlib.artist import Artist  # noqa: E402 - the backend is chosen first
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from planner import History, LogKind, Profile, SessionType, build_plan, targets  # noqa: E402
from planner.readiness import is_loaded_walk  # noqa: E402

MAX_WEEKS = 14
PLANNED = "#b8c9dc"
FUTURE = "#dde6ef"
DONE = "#2e7d32"
WALK = "#8d6e63"
PACK = "#ef6c00"
TREK = "#c62828"


@dataclass(frozen=True)
class WeekRow:
    """One plan week on the chart."""

    start: date
    planned: int  # minutes, as planned when the week began (the current plan for later weeks)
    done: int
    walk_minutes: int  # the week's longest loaded walk
    walk_planned: int  # the plan's longest loaded walk that week (the current plan)
    pack_kg: float | None
    future: bool


def _planned_then(profile: Profile, history: History, start: date, today: date) -> int:
    """A week's planned minutes as the plan stood on its first day."""
    day = min(start, today)
    known = tuple(e for e in history if e.day < day)
    week = next((w for w in build_plan(profile, known, day).weeks if w.start == start), None)
    return week.minutes if week is not None else 0


def chart_rows(profile: Profile, history: History, today: date) -> list[WeekRow]:
    """Rows for the last MAX_WEEKS plan weeks up to the trek (past, current, upcoming)."""
    plan = build_plan(profile, history, today)
    weeks = list(plan.weeks)
    now = next((i for i, w in enumerate(weeks) if w.start <= today < w.start
                + timedelta(days=w.days)), 0 if today < profile.start_date else len(weeks) - 1)
    first = max(0, min(now - MAX_WEEKS // 2, len(weeks) - MAX_WEEKS))
    rows: list[WeekRow] = []
    for w in weeks[first:first + MAX_WEEKS]:
        end = w.start + timedelta(days=w.days)
        logged = [e for e in history if e.kind is LogKind.DONE and w.start <= e.day < end]
        walks = [e for e in logged if is_loaded_walk(e)]
        longest = max(walks, key=lambda e: e.minutes or 0, default=None)
        future = w.start > today
        planned = w.minutes if future else _planned_then(profile, history, w.start, today)
        walk_plan = max((s.minutes for s in w.sessions
                         if s.type is SessionType.BACKPACK_WALK), default=0)
        rows.append(WeekRow(w.start, planned, sum(e.minutes or 0 for e in logged),
                            (longest.minutes or 0) if longest else 0, walk_plan,
                            longest.pack_kg if longest else None, future))
    return rows


def _label(day: date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def _minutes_panel(ax: Axes, rows: list[WeekRow], today: date, trek_x: float) -> None:
    xs = range(len(rows))
    planned = ax.bar(xs, [r.planned for r in rows], width=0.8,
                     color=[FUTURE if r.future else PLANNED for r in rows])
    done = ax.bar(xs, [r.done for r in rows], width=0.45, color=DONE)
    for x, r in zip(xs, rows, strict=True):
        if r.done and not r.future:
            ax.text(x, r.done, str(r.done), ha="center", va="bottom", fontsize=8, color=DONE)
    handles: list[Artist | BarContainer] = [planned, done]
    labels = ["planned", "done"]
    now = [i for i, r in enumerate(rows) if r.start <= today < r.start + timedelta(days=7)]
    if now:
        handles.append(ax.axvspan(now[0] - 0.5, now[0] + 0.5, color="#fff3c4", zorder=0))
        labels.append("this week")
    handles.append(ax.axvline(trek_x, color=TREK, linewidth=2))
    labels.append("trek")
    ax.set_ylabel("minutes")
    ax.set_title("Training minutes per week", loc="left", fontsize=12, fontweight="bold",
                 pad=24)
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=4,
              frameon=False, fontsize=9, borderaxespad=0.2)


def _walk_panel(ax: Axes, rows: list[WeekRow], profile: Profile, trek_x: float) -> None:
    t = targets(profile.grade)
    xs = list(range(len(rows)))
    ax.bar(xs, [r.walk_planned / 60 for r in rows], width=0.8, color=FUTURE, label="planned")
    ax.bar(xs, [r.walk_minutes / 60 for r in rows], width=0.45, color=WALK, label="walked")
    ax.axhline(t.trek_day_minutes / 60, color=WALK, linestyle="--", linewidth=1.2,
               label=f"trek day {t.trek_day_minutes / 60:g} h")
    ax.set_ylim(0, max([t.trek_day_minutes / 60 * 1.25] + [r.walk_minutes / 60 * 1.15
                                                             for r in rows]))
    ax.set_ylabel("hours")
    ax.axvline(trek_x, color=TREK, linewidth=2)
    packs = ax.twinx()
    px = [x for x, r in zip(xs, rows, strict=True) if r.pack_kg]
    packs.plot(px, [r.pack_kg for r in rows if r.pack_kg], "o-", color=PACK,
               label="pack")
    packs.axhline(t.pack_kg[1], color=PACK, linestyle=":", linewidth=1.5,
                  label=f"trek pack {t.pack_kg[1]} kg")
    for x, r in zip(xs, rows, strict=True):
        if r.pack_kg:
            packs.annotate(f"{r.pack_kg:g}", (x, r.pack_kg), xytext=(0, 5),
                           textcoords="offset points", ha="center", fontsize=8, color=PACK)
    packs.set_ylim(0, t.pack_kg[1] * 1.5)
    packs.set_ylabel("kg", color=PACK)
    packs.spines[["top"]].set_visible(False)
    ax.set_title("Longest loaded walk (hours) and pack (kg)", loc="left", fontsize=12,
                 fontweight="bold", pad=24)
    handles = ax.get_legend_handles_labels()
    more = packs.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], loc="lower left",
              bbox_to_anchor=(0, 1.0), ncol=5, frameon=False, fontsize=8.5, borderaxespad=0.2,
              columnspacing=1.0, handlelength=1.6)


def weekly_chart(profile: Profile, history: History, today: date) -> bytes:
    """The two-panel progress chart as PNG bytes."""
    rows = chart_rows(profile, history, today) or [
        WeekRow(profile.start_date, 0, 0, 0, 0, None, True)]
    # bar i spans i - 0.5 .. i + 0.5, a week; a trek beyond the shown weeks sits at the edge
    trek_x = min(len(rows) - 1.5 + (profile.trek_date - rows[-1].start).days / 7,
                 len(rows) - 0.3)
    fig = Figure(figsize=(6.4, 7.2), dpi=150, layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    _minutes_panel(top, rows, today, trek_x)
    _walk_panel(bottom, rows, profile, trek_x)
    for ax in (top, bottom):
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", alpha=0.3)
    bottom.set_xticks(range(len(rows)), [_label(r.start) for r in rows], rotation=45,
                      ha="right", fontsize=8)
    bottom.set_xlim(-0.6, max(len(rows) - 0.4, trek_x + 0.4))
    top.annotate(f"trek {_label(profile.trek_date)}", xy=(trek_x, 1), xycoords=("data",
                 "axes fraction"), xytext=(-4, -4), textcoords="offset points", ha="right",
                 va="top", color=TREK, fontsize=9, fontweight="bold")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
