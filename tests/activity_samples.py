"""Small GPX and FIT activity files made on the spot for tests and the bench (no downloads).

GPX is written as text; FIT with fit-tool's encoder (fitdecode, used by the bot, only reads).
Tracks climb steadily north from a point in the Alps, one point every `step_s` seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

LAT0, LON0, ELE0 = 46.5, 7.9, 1200.0
# 0.00005 deg of latitude is about 5.56 m
LAT_STEP = 0.00005
METRES_PER_DEGREE = 111_195.0  # gpxpy's haversine on a 6371 km sphere


def gpx_track(points: int, start: datetime | None = datetime(2026, 12, 5, 7, 30, tzinfo=UTC),
              step_s: int = 2, climb_per_point: float = 0.1, kind: str | None = "hiking",
              elevation: bool = True, metres_per_point: float = 5.56) -> bytes:
    """A GPX 1.1 track of `points` points; no <time> when `start` is None."""
    lat_step = metres_per_point / METRES_PER_DEGREE
    rows = []
    for i in range(points):
        ele = f"<ele>{ELE0 + i * climb_per_point:.1f}</ele>" if elevation else ""
        when = (f"<time>{(start + timedelta(seconds=i * step_s)).strftime('%Y-%m-%dT%H:%M:%SZ')}"
                "</time>" if start is not None else "")
        rows.append(f'<trkpt lat="{LAT0 + i * lat_step:.7f}" lon="{LON0:.6f}">{ele}{when}'
                    "</trkpt>")
    kind_tag = f"<type>{kind}</type>" if kind else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gpx version="1.1" creator="trekbot-tests" xmlns="http://www.topografix.com/GPX/1/1">'
            f"<trk><name>Test walk</name>{kind_tag}<trkseg>{''.join(rows)}</trkseg></trk>"
            "</gpx>\n").encode()


def fit_activity(sport: str = "cycling", points: int = 120,
                 start: datetime = datetime(2026, 12, 5, 7, 30, tzinfo=UTC), step_s: int = 5,
                 metres_per_point: float = 30.0, climb_per_point: float = 0.5,
                 session: bool = True) -> bytes:
    """A FIT activity file: file id, records, and (when `session`) a session summary."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

    ms0 = round(start.timestamp() * 1000)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    fid = FileIdMessage()
    fid.type = FileType.ACTIVITY
    fid.manufacturer = Manufacturer.DEVELOPMENT.value
    fid.product = 0
    fid.time_created = ms0
    fid.serial_number = 0x1234
    builder.add(fid)
    for i in range(points):
        rec = RecordMessage()
        rec.timestamp = ms0 + i * step_s * 1000
        rec.position_lat = LAT0 + i * LAT_STEP
        rec.position_long = LON0
        rec.distance = i * metres_per_point
        rec.altitude = ELE0 + i * climb_per_point
        builder.add(rec)
    if session:
        s = SessionMessage()
        s.timestamp = ms0 + points * step_s * 1000
        s.start_time = ms0
        s.sport = Sport[sport.upper()]
        s.total_elapsed_time = float((points - 1) * step_s)
        s.total_timer_time = float((points - 1) * step_s)
        s.total_distance = (points - 1) * metres_per_point
        s.total_ascent = round((points - 1) * climb_per_point)
        s.total_descent = 0
        builder.add(s)
    return bytes(builder.build().to_bytes())
