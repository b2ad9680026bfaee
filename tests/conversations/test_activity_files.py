"""Activity file parsing on GPX and FIT files the tests make: figures, kinds, bad files."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations.activity_files import (
    MAX_BYTES,
    ActivityFileError,
    Problem,
    Sport,
    parse_activity,
)
from tests.activity_samples import fit_activity, gpx_track


def test_gpx_hike_gives_distance_times_climb_start_and_kind() -> None:
    a = parse_activity(gpx_track(600, step_s=2, climb_per_point=0.5), "walk.gpx")
    assert a.fmt == "gpx" and a.sport is Sport.HIKE and a.points == 600
    assert 3200 < a.distance_m < 3450  # 599 steps of about 5.56 m
    assert a.total_s == 599 * 2 and a.minutes == 20
    assert a.ascent_m is not None and 280 < a.ascent_m < 310
    assert a.start == datetime(2026, 12, 5, 7, 30, tzinfo=UTC)


def test_gpx_without_times_still_gives_distance_and_climb() -> None:
    a = parse_activity(gpx_track(100, start=None, kind=None))
    assert a.start is None and a.total_s is None and a.minutes is None
    assert a.sport is Sport.OTHER and a.distance_m > 500 and a.ascent_m is not None


def test_gpx_without_elevation_has_no_climb() -> None:
    assert parse_activity(gpx_track(50, elevation=False)).ascent_m is None


@pytest.mark.parametrize("kind, sport", [("running", Sport.RUN), ("9", Sport.RUN),
                                         ("Walking", Sport.WALK), ("cycling", Sport.RIDE),
                                         ("yoga", Sport.OTHER)])
def test_gpx_kinds_apps_write_are_understood(kind: str, sport: Sport) -> None:
    assert parse_activity(gpx_track(10, kind=kind)).sport is sport


def test_fit_ride_uses_the_session_summary() -> None:
    a = parse_activity(fit_activity("cycling", points=121, step_s=5, metres_per_point=30,
                                    climb_per_point=0.5), "ride.FIT")
    assert a.fmt == "fit" and a.sport is Sport.RIDE
    assert a.distance_m == pytest.approx(3600)
    assert a.total_s == 600 and a.moving_s == 600 and a.minutes == 10
    assert a.ascent_m == 60
    assert a.start == datetime(2026, 12, 5, 7, 30, tzinfo=UTC)


def test_fit_run_without_a_session_adds_up_the_records() -> None:
    a = parse_activity(fit_activity("running", points=61, step_s=10, metres_per_point=25,
                                    climb_per_point=1.0, session=False))
    assert a.sport is Sport.OTHER  # no session or sport message says what it was
    assert a.distance_m == pytest.approx(1500) and a.total_s == 600
    assert a.ascent_m == pytest.approx(60, abs=1)


def test_the_same_bytes_have_the_same_fingerprint() -> None:
    data = gpx_track(20)
    assert parse_activity(data).fingerprint == parse_activity(bytes(data)).fingerprint
    assert parse_activity(data).fingerprint != parse_activity(gpx_track(21)).fingerprint


@pytest.mark.parametrize("data, name, problem", [
    (gpx_track(1), "one.gpx", Problem.EMPTY),
    (b'<?xml version="1.0"?><gpx version="1.1"><trk><trkseg></trkseg></trk></gpx>', "e.gpx",
     Problem.EMPTY),
    (b'<?xml version="1.0"?><gpx version="1.1"><trk><trkseg><trkpt lat="x"', "b.gpx",
     Problem.BROKEN),
    (b"\x00\x01 not a fit file at all", "watch.fit", Problem.BROKEN),
    (b"%PDF-1.7 a ticket", "ticket.pdf", Problem.NOT_ACTIVITY),
    (b"", "nothing.txt", Problem.NOT_ACTIVITY),
])
def test_bad_files_say_why(data: bytes, name: str, problem: Problem) -> None:
    with pytest.raises(ActivityFileError) as info:
        parse_activity(data, name)
    assert info.value.problem is problem


def test_a_fit_file_cut_short_or_damaged_is_broken() -> None:
    data = fit_activity()
    for bad in (data[: len(data) // 2], data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:]):
        with pytest.raises(ActivityFileError) as info:
            parse_activity(bad, "ride.fit")
        assert info.value.problem is Problem.BROKEN


def test_a_file_over_the_limit_is_too_large() -> None:
    with pytest.raises(ActivityFileError) as info:
        parse_activity(b"<gpx" + b" " * MAX_BYTES, "big.gpx")
    assert info.value.problem is Problem.TOO_LARGE
