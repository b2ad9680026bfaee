"""What a trek leader sees of a batch: one row per trekker, from the planner's readiness.

Only what training says: a name as the messenger gives it, readiness, sessions done of
planned (last 4 weeks), the longest loaded walk, last activity and flags. Never free-text
notes, never a phone number (a WhatsApp user's key is their number, so it is never shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from conversations.plans import history_of
from conversations.profile import to_planner
from planner import LogKind, readiness
from storage import LoggedSession, Tx, User, UserStatus
from storage import batches as q
from storage.batch_models import Batch

PAIN_FLAG = 6  # pain of 6/10 or more in the last FLAG_DAYS is flagged
FLAG_DAYS = 7
INACTIVE_DAYS = 7


@dataclass(frozen=True)
class TrekkerRow:
    """One trekker as the leader's table shows them."""

    user_id: int
    name: str
    readiness: int | None  # None while they are still answering the questions
    done: int
    planned: int
    longest_walk: int
    last_active: date | None
    flags: tuple[str, ...] = field(default=())
    days_since_active: int | None = None


@dataclass(frozen=True)
class BatchReport:
    """A batch with its departure and its trekkers."""

    batch: Batch
    today: date
    trekkers: tuple[TrekkerRow, ...]

    @property
    def days_to_departure(self) -> int:
        return (self.batch.trek_date - self.today).days


def display_name(user: User) -> str:
    """The name the messenger gave, else a neutral label (never the WhatsApp number)."""
    if user.display_name:
        return user.display_name[:60]
    if user.channel == "terminal":
        return user.external_id[:60]
    return f"Trekker {user.id}"


def local_today(user: User, now: datetime) -> date:
    try:
        return now.astimezone(ZoneInfo(user.timezone or "UTC")).date()
    except (KeyError, ValueError):
        return now.date()


def flags_of(user: User, rows: Sequence[LoggedSession], today: date,
             since: date) -> tuple[str, ...]:
    """Flags: pain 6+ or sick in the last 7 days, 7+ days without training, paused."""
    recent = [r for r in rows if r.day > today - timedelta(days=FLAG_DAYS)]
    flags: list[str] = []
    worst = max((r.pain or 0 for r in recent), default=0)
    if worst >= PAIN_FLAG:
        flags.append(f"pain {worst}/10")
    if any(r.kind == LogKind.SICK for r in recent):
        flags.append("sick")
    if user.profile and inactive_days(rows, today, since) >= INACTIVE_DAYS:
        flags.append(f"inactive {inactive_days(rows, today, since)} days")
    if user.status == UserStatus.PAUSED:
        flags.append("paused")
    return tuple(flags)


def inactive_days(rows: Sequence[LoggedSession], today: date, since: date) -> int:
    """Days since the last training done (or since `since`: joining or the plan's start)."""
    done = [r.day for r in rows if r.kind == LogKind.DONE]
    last = max([*done, since])
    return max(0, (today - last).days)


def trekker_row(user: User, rows: Sequence[LoggedSession], joined: datetime,
                now: datetime) -> TrekkerRow:
    today = local_today(user, now)
    last_days = [r.day for r in rows]
    if user.last_inbound_at is not None:
        last_days.append(local_today(user, user.last_inbound_at))
    last = max(last_days, default=None)
    ago = None if last is None else max(0, (today - last).days)
    if not user.profile:
        return TrekkerRow(user.id, display_name(user), None, 0, 0, 0, last, ("setting up",), ago)
    profile = to_planner(dict(user.profile))
    r = readiness(profile, history_of(rows), min(today, profile.trek_date))
    since = max(profile.start_date, local_today(user, joined))
    return TrekkerRow(user.id, display_name(user), r.score, r.sessions_done,
                      r.sessions_planned, r.longest_walk_minutes, last,
                      flags_of(user, rows, today, since), ago)


SORT_KEYS = {
    "name": lambda t: t.name.lower(),
    "readiness": lambda t: -1 if t.readiness is None else t.readiness,
    "done": lambda t: (t.done / t.planned) if t.planned else -1.0,
    "walk": lambda t: t.longest_walk,
    "last": lambda t: t.last_active or date.min,
    "flags": lambda t: len(t.flags),
}


def sorted_rows(rows: Sequence[TrekkerRow], key: str, descending: bool) -> tuple[TrekkerRow, ...]:
    """Rows sorted by one of SORT_KEYS (unknown keys sort by name)."""
    fn = SORT_KEYS.get(key, SORT_KEYS["name"])
    return tuple(sorted(rows, key=fn, reverse=descending))


async def report(tx: Tx, batch: Batch, now: datetime, sort: str = "name",
                 descending: bool = False) -> BatchReport:
    """The batch's table as of `now`."""
    people = await q.members(tx, batch.id)
    logs = await q.logs_of(tx, [u.id for u, _ in people])
    rows = [trekker_row(u, logs[u.id], joined, now) for u, joined in people]
    return BatchReport(batch, now.date(), sorted_rows(rows, sort, descending))
