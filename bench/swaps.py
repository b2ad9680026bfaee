"""Time `swap_check` (a one-off swap judged on the plans it would build, with the nearest
allowed day on a refusal) over the golden profiles, caches cleared before each call."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from planner import build_plan, clear_caches, swap_check
from tests.planner.test_golden import CASES


def main() -> None:
    times: list[float] = []
    refused = 0
    for profile in CASES.values():
        for week in range(0, 8, 2):
            today = profile.start_date + timedelta(weeks=week)
            if today >= profile.trek_date - timedelta(days=7):
                break
            for k in range(7):
                a = today + timedelta(days=k)
                build_plan(profile, (), today)  # the person's plan, as the handler has it
                start = time.perf_counter()
                check = swap_check(profile, (), today, a, a + timedelta(days=1))
                times.append(time.perf_counter() - start)
                refused += check.problem not in (None, "nothing_to_move")
                clear_caches()
    ms = sorted(t * 1000 for t in times)
    print(f"swap_check: {len(ms)} calls, {refused} refused; median {statistics.median(ms):.1f} "
          f"ms, p95 {ms[int(len(ms) * 0.95)]:.1f} ms, max {ms[-1]:.1f} ms")


if __name__ == "__main__":
    main()
