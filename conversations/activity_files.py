"""Activity files (GPX, FIT) read into one `Activity`: pure, bytes in, figures out.

GPX is read with gpxpy, FIT with fitdecode. Anything that is not an activity file, too
large, broken or empty raises `ActivityFileError` with a reason the dialogue turns into a
friendly reply.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import fitdecode
import gpxpy
import gpxpy.gpx

MAX_BYTES = 8 * 1024 * 1024  # a 10,000-point GPX is about 1.5 MB; a FIT file much less
FIT_SUFFIXES = (".fit",)
GPX_SUFFIXES = (".gpx",)


class Problem(StrEnum):
    """Why a file could not be logged."""

    TOO_LARGE = "too_large"
    BROKEN = "broken"
    NOT_ACTIVITY = "not_activity"
    EMPTY = "empty"


class ActivityFileError(Exception):
    """A file that gives no activity; `problem` says why."""

    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem


class Sport(StrEnum):
    """What the file says the activity was; OTHER when it says nothing we know."""

    RUN = "run"
    WALK = "walk"
    HIKE = "hike"
    RIDE = "ride"
    SWIM = "swim"
    OTHER = "other"


# Words GPX apps (Strava, Garmin, Komoot, OsmAnd) and FIT `sport` values use.
SPORT_WORDS: dict[str, Sport] = {
    "running": Sport.RUN, "run": Sport.RUN, "trail_running": Sport.RUN, "trailrun": Sport.RUN,
    "walking": Sport.WALK, "walk": Sport.WALK, "hiking": Sport.HIKE, "hike": Sport.HIKE,
    "mountaineering": Sport.HIKE, "trekking": Sport.HIKE, "cycling": Sport.RIDE,
    "ride": Sport.RIDE, "biking": Sport.RIDE, "e_biking": Sport.RIDE, "bike": Sport.RIDE,
    "mountain_biking": Sport.RIDE, "road_biking": Sport.RIDE,
    "swimming": Sport.SWIM, "swim": Sport.SWIM, "lap_swimming": Sport.SWIM,
    "open_water": Sport.SWIM, "open_water_swimming": Sport.SWIM,
    # Strava's numeric GPX types
    "9": Sport.RUN, "10": Sport.WALK, "4": Sport.HIKE, "1": Sport.RIDE,
}


@dataclass(frozen=True)
class Activity:
    """What an activity file says: distance (m), times (s), climb (m), start (UTC)."""

    sport: Sport
    distance_m: float
    moving_s: int | None
    total_s: int | None
    ascent_m: float | None
    descent_m: float | None
    start: datetime | None
    points: int
    fingerprint: str  # sha256 of the bytes: the same file sent twice is logged once
    fmt: str  # "gpx" | "fit"

    @property
    def minutes(self) -> int | None:
        """Moving minutes when known, else the total."""
        secs = self.moving_s or self.total_s
        return round(secs / 60) if secs else None


def sport_of(word: str | None) -> Sport:
    """A sport from an app's word for it ("running", "Hiking", "9")."""
    if not word:
        return Sport.OTHER
    key = word.strip().lower().replace(" ", "_").replace("-", "_")
    return SPORT_WORDS.get(key, Sport.OTHER)


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def looks_like_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == b".FIT"


def looks_like_gpx(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<gpx" in head


def is_activity_name(filename: str) -> bool:
    """Whether a file name says GPX or FIT."""
    return filename.lower().endswith(FIT_SUFFIXES + GPX_SUFFIXES)


def parse_activity(data: bytes, filename: str = "") -> Activity:
    """Read a GPX or FIT file; raises ActivityFileError when it gives no activity."""
    if len(data) > MAX_BYTES:
        raise ActivityFileError(Problem.TOO_LARGE, f"{len(data)} bytes")
    if looks_like_fit(data):
        return parse_fit(data)
    if looks_like_gpx(data):
        return parse_gpx(data)
    if is_activity_name(filename):
        raise ActivityFileError(Problem.BROKEN, "no GPX or FIT header")
    raise ActivityFileError(Problem.NOT_ACTIVITY)


# -- GPX -----------------------------------------------------------------------------------


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_gpx(data: bytes) -> Activity:
    """A GPX file's tracks as one activity (routes and waypoints alone are not activities)."""
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig", errors="replace"))
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise ActivityFileError(Problem.BROKEN, type(exc).__name__) from None
    points = gpx.get_track_points_no()
    if points < 2:
        raise ActivityFileError(Problem.EMPTY, f"{points} track points")
    kinds = [t.type for t in gpx.tracks if t.type]
    start, end = gpx.get_time_bounds()
    moving = gpx.get_moving_data() if start is not None else None
    up_down = gpx.get_uphill_downhill()
    has_elevation = gpx.has_elevations()
    total = int((end - start).total_seconds()) if start and end and end > start else None
    moving_s = int(moving.moving_time) if moving and moving.moving_time else None
    return Activity(
        sport=sport_of(kinds[0] if kinds else None),
        distance_m=float(gpx.length_2d() or 0.0),
        moving_s=moving_s, total_s=total,
        ascent_m=float(up_down.uphill) if has_elevation else None,
        descent_m=float(up_down.downhill) if has_elevation else None,
        start=_aware(start), points=points, fingerprint=fingerprint(data), fmt="gpx",
    )


# -- FIT -----------------------------------------------------------------------------------


@dataclass
class _FitTotals:
    session: dict[str, Any] | None = None
    sport: str | None = None
    records: int = 0
    first_time: datetime | None = None
    last_time: datetime | None = None
    last_distance: float | None = None
    ascent: float = 0.0
    descent: float = 0.0
    last_altitude: float | None = None

    def record(self, fields: dict[str, Any]) -> None:
        self.records += 1
        stamp = fields.get("timestamp")
        if isinstance(stamp, datetime):
            self.first_time = self.first_time or stamp
            self.last_time = stamp
        if isinstance(fields.get("distance"), int | float):
            self.last_distance = float(fields["distance"])
        alt = fields.get("enhanced_altitude", fields.get("altitude"))
        if isinstance(alt, int | float):
            if self.last_altitude is not None:
                step = float(alt) - self.last_altitude
                self.ascent += max(0.0, step)
                self.descent += max(0.0, -step)
            self.last_altitude = float(alt)


def _fields(frame: fitdecode.FitDataMessage) -> dict[str, Any]:
    return {f.name: f.value for f in frame.fields if f.value is not None}


def _read_fit(data: bytes) -> _FitTotals:
    totals = _FitTotals()
    try:
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED,
                                 keep_raw_chunks=False) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "record":
                    totals.record(_fields(frame))
                elif frame.name == "session" and totals.session is None:
                    totals.session = _fields(frame)
                elif frame.name == "sport" and totals.sport is None:
                    totals.sport = _fields(frame).get("sport")
    except (fitdecode.FitError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ActivityFileError(Problem.BROKEN, type(exc).__name__) from None
    return totals


def _num(fields: dict[str, Any], *names: str) -> float | None:
    for name in names:
        value = fields.get(name)
        if isinstance(value, int | float):
            return float(value)
    return None


def parse_fit(data: bytes) -> Activity:
    """A FIT activity: the session summary when there is one, else the records added up."""
    t = _read_fit(data)
    s = t.session or {}
    if not s and t.records < 2:
        raise ActivityFileError(Problem.EMPTY, f"{t.records} records")
    start = s.get("start_time") if isinstance(s.get("start_time"), datetime) else t.first_time
    span = (int((t.last_time - t.first_time).total_seconds())
            if t.first_time and t.last_time and t.last_time > t.first_time else None)
    total = _num(s, "total_elapsed_time")
    moving = _num(s, "total_timer_time", "total_moving_time")
    ascent = _num(s, "total_ascent")
    descent = _num(s, "total_descent")
    has_alt = t.last_altitude is not None
    sport = s.get("sport") or t.sport
    return Activity(
        sport=sport_of(str(sport) if sport is not None else None),
        distance_m=_num(s, "total_distance") or t.last_distance or 0.0,
        moving_s=int(moving) if moving else None,
        total_s=int(total) if total else span,
        ascent_m=ascent if ascent is not None else (t.ascent if has_alt else None),
        descent_m=descent if descent is not None else (t.descent if has_alt else None),
        start=_aware(start), points=t.records, fingerprint=fingerprint(data), fmt="fit",
    )
