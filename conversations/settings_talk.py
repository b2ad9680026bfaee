"""Settings in free text: reminder time, timezone, training days, trek date, evening nudge.

Times, zones and dates are read with onboarding's parsers (`conversations/parsing/`);
changing the time or zone moves `next_prompt_at`. Turning the evening nudge on sets
`next_nudge_at` to tonight's 20:00 when that is still ahead (the scheduler sets it with
each morning prompt from then on); turning it off clears it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from conversations import daily_texts as t
from conversations import night_texts as nt
from conversations.formatting import clock_time, short_date, short_moment
from conversations.intent import Parsed
from conversations.messages import Choice, Outgoing
from conversations.parsing import timezone as tzparse
from conversations.parsing.remindertime import is_night, parse_snooze, parse_time
from conversations.parsing.trekdate import parse_trek_date
from conversations.parsing.yesno import confirmation
from conversations.plans import rebuild_plan
from conversations.profile_talk import drop_days
from conversations.schedule import NUDGE_MINUTES, next_prompt_at, nudge_allowed, tonights_nudge
from conversations.turn import Turn
from storage import UserStatus

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def reschedule(turn: Turn) -> str | None:
    """Recompute next_prompt_at; the next reminder in the user's local time, as text."""
    user = turn.user
    if user.reminder_minutes is None or not user.timezone:
        return None
    prompt_at = next_prompt_at(user.reminder_minutes, user.timezone, turn.now)
    turn.tx.update_user(user, next_prompt_at=prompt_at)
    if user.evening_nudge and user.next_nudge_at is not None:
        # tonight's nudge follows a new zone, and drops out if the morning moved too late
        turn.tx.update_user(user, next_nudge_at=tonights_nudge(
            user.reminder_minutes, user.timezone, turn.now))
    if user.status == UserStatus.PAUSED:
        return None
    local = prompt_at.astimezone(ZoneInfo(user.timezone))
    return short_moment(local)


async def set_reminder(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    if parse_snooze(turn.text) is not None:  # "remind me in 2 hours", "snooze 1 hour"
        daily = turn.user.reminder_minutes
        return [Outgoing(t.no_snooze(None if daily is None else clock_time(daily)))]
    minutes = parse_time(turn.text)
    if minutes is None:
        return [Outgoing(t.ASK_REMINDER)]
    if is_night(minutes):  # "remind me at 1": asked back before it is set
        turn.update_context(night_minutes=minutes)
        return [night_question(minutes)]
    return _set_time(turn, minutes)


def night_question(minutes: int) -> Outgoing:
    """ "1:00 at night?" with the two readings as choices."""
    return Outgoing(nt.question(minutes), (Choice("night:yes", nt.yes_label(minutes)),
                                           Choice("night:later", nt.later_label(minutes))))


def night_choice(text: str, choice_id: str | None, minutes: int) -> int | None:
    """The time meant, answering "1:00 at night?"; None when the message is something else."""
    if choice_id in ("night:yes", "night:later"):
        return minutes if choice_id == "night:yes" else minutes + nt.DAY_LATER
    said = confirmation(text)
    if said is not None:  # checked before the time: "yes, 1:00 at night" is not 13:00
        return minutes if said else minutes + nt.DAY_LATER
    return parse_time(text)


async def night_answer(turn: Turn) -> list[Outgoing] | None:
    """The answer to "1:00 at night?" ("yes", "I meant 13:00", "no", "13:30"), or None when
    nothing is waiting or the message is something else (then it is read as usual)."""
    minutes = turn.context.night_minutes
    if minutes is None:
        return None
    turn.forget_context("night_minutes")
    meant = night_choice(turn.text, turn.incoming.choice_id, minutes)
    return None if meant is None else _set_time(turn, meant)


def _set_time(turn: Turn, minutes: int) -> list[Outgoing]:
    zone = turn.user.timezone or "UTC"
    turn.tx.update_user(turn.user, reminder_minutes=minutes, timezone=zone)
    when = reschedule(turn) or "-"
    return [Outgoing(t.reminder_set(minutes, zone, when))]


_ZONE_WORDS = re.compile(
    r"\b(?:change|set|switch|update|move|my|the|to|is|now|time ?zone|timezone|i ?m|i am|"
    r"i moved|moved|i live|live|in|please|new)\b", re.IGNORECASE)


def parse_zone(text: str) -> str | None:
    """A zone name, an offset or a place (onboarding's parser), from a settings sentence."""
    found = tzparse.parse_zone(text) or tzparse.parse_zone(_ZONE_WORDS.sub(" ", text))
    return found[0] if found else None


async def set_timezone(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    zone = parse_zone(turn.text)
    if zone is None:
        return [Outgoing(t.ASK_ZONE)]
    turn.tx.update_user(turn.user, timezone=zone)
    return [Outgoing(t.zone_set(zone, reschedule(turn)))]


async def set_days(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    if parsed.switch is False:  # "I can't train on Wednesdays anymore"
        return await drop_days(turn, parsed)
    days = parsed.weekdays or ()
    if not 3 <= len(days) <= 6:
        return [Outgoing(t.BAD_DAYS)]
    turn.tx.update_profile(turn.user, training_weekdays=list(days), days_per_week=len(days),
                           swaps=[])
    await rebuild_plan(turn.tx, turn.user, turn.today)
    return [Outgoing(t.days_set(", ".join(DAY_NAMES[d] for d in days)))]


async def set_trek_date(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    day: date | None = parse_trek_date(turn.text, turn.today)
    if day is None:
        return [Outgoing(t.ASK_TREK_DATE)]
    if day <= turn.today:
        return [Outgoing(t.TREK_IN_PAST)]
    profile = turn.profile
    changes: dict[str, object] = {"trek_date": day.isoformat()}
    if (profile.start_date if profile is not None else turn.today) >= day:
        changes["start_date"] = turn.today.isoformat()
    # the weeks from today on are laid out again for the new date, so a one-off swap that
    # touches today or later was checked against a plan that is gone: it is dropped; the
    # swaps wholly in the past stay (they say which past days had a session)
    swaps = list((turn.user.profile or {}).get("swaps") or [])
    kept = [sw for sw in swaps if max(date.fromisoformat(d) for d in sw) < turn.today]
    if len(kept) < len(swaps):
        changes["swaps"] = kept
    turn.tx.update_profile(turn.user, **changes)
    if turn.user.status == UserStatus.STOPPED:
        turn.tx.set_user_status(turn.user, UserStatus.ACTIVE)
    await rebuild_plan(turn.tx, turn.user, turn.today)
    reply = t.trek_moved(day, (day - turn.today).days // 7)
    return [Outgoing(f"{reply} {t.SWAPS_UNDONE}" if len(kept) < len(swaps) else reply)]


async def set_nudge(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    """Evening nudge on or off."""
    user = turn.user
    if parsed.switch is False:
        was_on = bool(user.evening_nudge)
        turn.tx.update_user(user, evening_nudge=False, next_nudge_at=None)
        return [Outgoing(t.NUDGE_OFF if was_on else t.NUDGE_ALREADY_OFF)]
    if user.evening_nudge:
        return [Outgoing(t.NUDGE_ALREADY_ON)]
    if not nudge_allowed(user.reminder_minutes):
        turn.tx.update_user(user, evening_nudge=True, next_nudge_at=None)
        return [Outgoing(t.nudge_too_late(user.reminder_minutes or 0))]
    zone = user.timezone or "UTC"
    nudge_at = tonights_nudge(user.reminder_minutes, zone, turn.now)
    turn.tx.update_user(user, evening_nudge=True, next_nudge_at=nudge_at)
    if nudge_at is not None:
        when = f"tonight ({short_date(turn.today)})"
    else:
        when = short_date(turn.today + timedelta(days=1))
    when += f", {clock_time(NUDGE_MINUTES)}"
    return [Outgoing(t.nudge_on(when, user.status == UserStatus.PAUSED))]
