"""Training phases and how the weeks to the trek are split into them."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    """Phase of a plan week."""

    BASE = "base"
    BUILD = "build"
    PEAK = "peak"
    TAPER = "taper"
    DELOAD = "deload"
    SHORT_RUNWAY = "short_runway"


SHORT_RUNWAY_DAYS = 21  # under 3 weeks: no periodisation, stay fresh
DELOAD_EVERY = 4  # every 4th week (PLANNER.md, "Phases")
DELOAD_FACTOR = 0.70  # 60-80% of the week before
DELOAD_CAP = 0.75
TAPER_FACTOR = 0.50  # volume down 40-60%
TAPER_CAP = 0.55
LONG_TAPER_WEEKS = 8  # plans of 8+ weeks whose last week is full taper 14 days
MAX_BUILD_WEEKS = 6


def _split(days: int) -> tuple[int, int, int, int]:
    """How many base, build, peak and taper weeks a plan of ``days`` days gets."""
    n = -(-days // 7)
    last = days - 7 * (n - 1)
    taper = 2 if (last < 7 or n >= LONG_TAPER_WEEKS) else 1
    m = n - taper
    peak = 0 if m < 4 else (1 if m < 10 else 2)
    rest = m - peak
    build = min(MAX_BUILD_WEEKS, rest // 2) if rest >= 2 else 0
    return rest - build, build, peak, taper


def phase_table(days: int) -> tuple[Phase, ...]:
    """Phase for each plan week (weeks start on the plan start date).

    ``days`` is the number of days from the start date to the day before the trek.
    The last week may be partial. The taper covers the last 7-14 days.
    """
    if days <= 0:
        return ()
    if days < SHORT_RUNWAY_DAYS:
        return (Phase.SHORT_RUNWAY,) * -(-days // 7)
    base, build, peak, taper = _split(days)
    phases = [Phase.BASE] * base + [Phase.BUILD] * build + [Phase.PEAK] * peak
    phases = [
        Phase.DELOAD if (i + 1) % DELOAD_EVERY == 0 else p for i, p in enumerate(phases)
    ]
    return tuple(phases) + (Phase.TAPER,) * taper


def underlying_phase(days: int, index: int) -> Phase:
    """The base/build/peak phase a deload week sits in (index 0-based)."""
    base, build, _peak, _taper = _split(days)
    if index < base:
        return Phase.BASE
    if index < base + build:
        return Phase.BUILD
    return Phase.PEAK
