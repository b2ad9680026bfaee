"""The scheduler's rules, pure: what to do with one due user, and the messages of a prompt.

`decide(row, now)` says whether a due user is stopped (trek day reached), skipped as stale
(due longer ago than the grace window) or claimed a prompt (the trek-eve message or the
day's session; from 15:00 a preview of tomorrow's), and when their next prompt and nudge
are due. `prompt_messages` builds the
messages of any claimed prompt (first send or retry) from the stored plan row. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from conversations import prompts
from conversations.follow_up import from_details
from conversations.messages import Outgoing
from conversations.prompts import Content, PromptKind
from conversations.schedule import (
    NUDGE_MINUTES,
    local_moment,
    next_prompt_at,
    nudge_allowed,
    session_day,
)
from storage.schedule_rows import DueUser, Move, Planned

GRACE = timedelta(hours=3)


def zone_of(name: str | None) -> ZoneInfo:
    """The user's zone; UTC when unset or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def trek_date(raw: str | None) -> date | None:
    """The profile's trek date; None when unset or unreadable."""
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Prompt:
    """What one prompt is about: enough to build its messages."""

    kind: str
    day: date  # the user's local date
    hour: int = 0  # the local hour it is due (for the greeting)
    display_name: str | None = None
    plan_end: date | None = None  # the last planned day, if any
    done: bool = False  # the day's session is already logged as done
    preview: bool = False  # an evening reminder: it names tomorrow's session, not today's

    @property
    def session_day(self) -> date:
        """The day whose session the prompt names (`schedule.session_day`)."""
        return self.day + timedelta(days=1) if self.preview else self.day

    @property
    def stops_coaching(self) -> bool:
        """The trek-eve message: the user's coaching ends with it."""
        return self.kind == PromptKind.TREK_EVE


class Action(StrEnum):
    """What the tick does with a due user."""

    STOP = "stop"  # the trek day has come: status stopped, nothing sent
    STALE = "stale"  # due longer ago than the grace window: skipped, moved on
    CLAIM = "claim"  # claim `prompt` and send it


@dataclass(frozen=True)
class Decision:
    """The outcome of `decide`: an action, the move of the user's times, and the prompt."""

    action: Action
    move: Move | None = None  # None: the times are not moved (a stopped user)
    prompt: Prompt | None = None  # set for CLAIM


def decide(row: DueUser, now: datetime, grace: timedelta = GRACE) -> Decision:
    """What to do with one due user, and when their next prompt (and nudge) is due."""
    zone = zone_of(row.timezone)
    local = row.due.astimezone(zone)
    day = local.date()
    trek = trek_date(row.trek_date)
    if trek is not None and day >= trek:
        return Decision(Action.STOP)
    nxt = None
    if row.reminder_minutes is not None:
        nxt = next_prompt_at(row.reminder_minutes, zone, max(now, row.due))
    nudge_at = row.next_nudge_at
    if row.due < now - grace:
        return Decision(Action.STALE, _move(row, nxt, nudge_at))
    kind = PromptKind.DAILY
    if trek is not None and day == trek - timedelta(days=1):
        kind = PromptKind.TREK_EVE
        nxt, nudge_at = None, None
    elif row.evening_nudge and nudge_allowed(row.reminder_minutes):
        nudge_at = local_moment(day, NUDGE_MINUTES, zone)
    prompt = Prompt(kind, day, local.hour, row.display_name, row.plan_end,
                    preview=session_day(local) != day)
    return Decision(Action.CLAIM, _move(row, nxt, nudge_at), prompt)


def _move(row: DueUser, next_prompt: datetime | None, nudge_at: datetime | None) -> Move:
    return Move(row.id, next_prompt, nudge_at, moves_nudge=nudge_at != row.next_nudge_at)


def prompt_messages(prompt: Prompt, planned: Planned | None) -> tuple[Content, list[Outgoing]]:
    """The messages of a prompt, and which content they are (for counts and logs). The
    row's follow-up is the one its push asks: a preview's was rolled as of that evening
    (`plan_rolling`), so the evening asks what the morning would have asked."""
    if prompt.kind == PromptKind.TREK_EVE:
        return Content.TREK_EVE, prompts.trek_eve(prompt.display_name)
    if prompt.kind == PromptKind.NUDGE:
        return Content.NUDGE, prompts.nudge(prompt.day)
    if prompt.preview:
        return prompts.preview(
            prompt.session_day, prompt.hour, prompt.display_name,
            planned.session_type if planned else None, planned.text if planned else None,
            plan_covers_day=prompt.plan_end is not None
            and prompt.plan_end >= prompt.session_day,
            follow_up=from_details(planned.follow_up) if planned else None)
    return prompts.daily(
        prompt.day, prompt.hour, prompt.display_name,
        planned.session_type if planned else None, planned.text if planned else None,
        plan_covers_day=prompt.plan_end is not None and prompt.plan_end >= prompt.day,
        done=prompt.done, follow_up=from_details(planned.follow_up) if planned else None,
    )
