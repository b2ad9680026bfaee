"""What the daily handlers know about a user at one moment: profile, history, log rows.

The statistics themselves are pure, in `planner/stats.py`; `Facts` only binds them to
one user and one day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from conversations import plan_texts as pt
from conversations.history import load
from conversations.plans import rebuild_plan
from conversations.turn import Turn
from planner import History, Profile, Session
from planner import stats as st
from storage import LoggedSession


@dataclass
class Facts:
    """A user's profile, history (oldest first) and log rows, seen on `today`."""

    profile: Profile
    history: History
    rows: list[LoggedSession]
    today: date

    def session_on(self, day: date) -> Session | None:
        return st.session_on(self.profile, self.history, day, self.today)

    def training_days(self, until: date) -> list[Session]:
        return st.training_days(self.profile, self.history, self.today, until)

    def done_days(self) -> set[date]:
        """Days done; a planned day only with its session (not an extra of another kind)."""
        planned = {s.day for s in self.training_days(self.profile.trek_date)}
        return st.done_days(self.history, planned)

    def streak(self) -> int:
        return st.streak(self.profile, self.history, self.today)

    def week_counts(self) -> st.WeekCounts:
        return st.week_counts(self.profile, self.history, self.today)

    def next_session(self, after: date) -> Session | None:
        return st.next_session(self.profile, self.history, self.today, after)


async def facts(turn: Turn) -> Facts:
    profile, history, rows = await load(turn.tx, turn.user)
    return Facts(profile, history, rows, turn.today)


async def refresh(turn: Turn) -> Facts:
    """Reload what the replies need after a change, and bring the stored plan up to date."""
    f = await facts(turn)
    await rebuild_plan(turn.tx, turn.user, turn.today, f.history)
    return f


def has_plan(turn: Turn) -> bool:
    return turn.profile is not None


def label(s: Session) -> str:
    if not s.training:
        return "rest day"
    return f"{pt.session_name(s)} {pt.dose(s)}"
