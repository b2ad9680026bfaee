"""When a user's next morning message (and evening nudge) is due: local time + IANA zone -> UTC.

A reminder time in a skipped hour (spring forward) moves to the first valid minute after
it; in a repeated hour (fall back) the first occurrence counts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

NUDGE_MINUTES = 20 * 60  # the evening nudge goes out at 20:00 local time
NUDGE_MIN_GAP = 3 * 60  # ...unless the morning message went out less than 3 hours before
PREVIEW_FROM = 15 * 60  # a reminder at 15:00 or later previews tomorrow's session


@lru_cache(maxsize=65536)
def local_moment(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of `minutes` after local midnight on `day`, DST-correct (cached:
    many users share a zone and a reminder time, and a scheduler tick asks for each)."""
    wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone).replace(fold=0)
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall.replace(tzinfo=None):
        # The wall time does not exist (a gap): the gap's end is the first valid minute.
        earlier = wall.replace(fold=1).astimezone(UTC)
        later = wall.replace(fold=0).astimezone(UTC)
        instant = min(earlier, later)
        while instant.astimezone(zone).replace(tzinfo=None) < wall.replace(tzinfo=None):
            instant += timedelta(minutes=1)
    return instant


def next_prompt_at(minutes: int, zone: str | ZoneInfo, after: datetime) -> datetime:
    """The first reminder instant strictly after `after` (aware), in UTC."""
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    day = after.astimezone(zone).date()
    for offset in range(0, 3):
        candidate = local_moment(day + timedelta(days=offset), minutes, zone)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a reminder falls within three days")


def session_day(local: datetime) -> date:
    """The day whose session a reminder due at the local time `local` names: that day, or
    the next one for an evening reminder (a preview, at PREVIEW_FROM or later)."""
    if local.hour * 60 + local.minute >= PREVIEW_FROM:
        return local.date() + timedelta(days=1)
    return local.date()


def nudge_allowed(reminder_minutes: int | None) -> bool:
    """Whether a morning message at this time leaves room for the evening nudge."""
    return reminder_minutes is not None and reminder_minutes <= NUDGE_MINUTES - NUDGE_MIN_GAP


def tonights_nudge(reminder_minutes: int | None, zone_name: str, now: datetime
                   ) -> datetime | None:
    """Today's evening nudge instant (UTC) if it is allowed and still ahead, else None."""
    if not nudge_allowed(reminder_minutes):
        return None
    zone = ZoneInfo(zone_name)
    moment = local_moment(now.astimezone(zone).date(), NUDGE_MINUTES, zone)
    return moment if moment > now else None
