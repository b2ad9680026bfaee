"""Clocks: the real one, and a demo clock that can jump ahead (tests and `chat --demo`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


class ShiftedClock:
    """The real clock plus an offset that only grows; `advance_to` jumps ahead."""

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = timedelta(0) if start is None else start - system_clock()

    def __call__(self) -> datetime:
        return system_clock() + self._offset

    def advance_to(self, moment: datetime) -> None:
        now = self()
        if moment > now:
            self._offset += moment - now


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta

    def advance_to(self, moment: datetime) -> None:
        self.now = max(self.now, moment)
