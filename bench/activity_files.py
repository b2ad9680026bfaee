"""Parse time of a 10,000-point activity track, GPX and FIT (the files are made on the spot).

Run: .venv/bin/python -m bench.activity_files
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from conversations.activity_files import parse_activity
from tests.activity_samples import fit_activity, gpx_track

POINTS = 10_000
RUNS = 7


def timed(label: str, data: bytes, parse: Callable[[bytes], object]) -> None:
    times, cpu = [], []
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        parse(data)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"{label}: {len(data) / 1e6:.2f} MB, {POINTS} points: wall median "
          f"{statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms; "
          f"CPU median {statistics.median(cpu) * 1000:.0f} ms ({RUNS} runs)")


def main() -> None:
    gpx = gpx_track(POINTS, step_s=2, climb_per_point=0.1)
    fit = fit_activity("hiking", points=POINTS, step_s=2, metres_per_point=3.0,
                       climb_per_point=0.1)
    timed("GPX (gpxpy)", gpx, parse_activity)
    timed("FIT (fitdecode)", fit, parse_activity)
    timed("FIT without session (records summed)",
          fit_activity("hiking", points=POINTS, session=False), parse_activity)


if __name__ == "__main__":
    main()
