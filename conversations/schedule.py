"""When a user's next morning message is due: local reminder time + IANA zone -> UTC.

A reminder time in a skipped hour (spring forward) moves to the first valid minute after
it; in a repeated hour (fall back) the first occurrence counts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_moment(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of `minutes` after local midnight on `day`, DST-correct."""
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


def next_prompt_at(minutes: int, zone_name: str, after: datetime) -> datetime:
    """The first reminder instant strictly after `after` (aware), in UTC."""
    zone = ZoneInfo(zone_name)
    day = after.astimezone(zone).date()
    for offset in range(0, 3):
        candidate = local_moment(day + timedelta(days=offset), minutes, zone)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a reminder falls within three days")
