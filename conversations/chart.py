"""The progress chart: weekly minutes planned against done, as PNG bytes (matplotlib, Agg)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402 - the backend is chosen first

from planner import History, LogKind, Plan  # noqa: E402

MAX_WEEKS = 16


def weekly_minutes(plan: Plan, history: History, today: date) -> list[tuple[str, int, int]]:
    """(label, planned minutes, done minutes) per plan week up to the week after today."""
    rows: list[tuple[str, int, int]] = []
    for w in plan.weeks:
        if w.start > today + timedelta(days=7):
            break
        done = sum(e.minutes or 0 for e in history
                   if e.kind is LogKind.DONE and w.start <= e.day <= w.end)
        rows.append((f"W{w.index}", w.minutes, done))
    return rows[-MAX_WEEKS:]


def weekly_chart(plan: Plan, history: History, today: date) -> bytes:
    """A bar chart as PNG bytes."""
    rows = weekly_minutes(plan, history, today) or [("W1", 0, 0)]
    labels = [r[0] for r in rows]
    xs = list(range(len(rows)))
    fig = Figure(figsize=(6, 3.2), dpi=100)
    ax = fig.add_subplot()
    ax.bar([x - 0.2 for x in xs], [r[1] for r in rows], width=0.4, label="planned",
           color="#9bb7d4")
    ax.bar([x + 0.2 for x in xs], [r[2] for r in rows], width=0.4, label="done",
           color="#2e7d32")
    ax.set_xticks(xs, labels)
    ax.set_ylabel("minutes")
    ax.set_title("Training minutes per week")
    ax.legend(loc="upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
