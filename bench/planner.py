"""Print µs per session_for and ms per build_plan for a few profiles."""

from __future__ import annotations

import time
from datetime import date, timedelta

from planner import (
    Grade,
    Joint,
    LogEntry,
    LogKind,
    Profile,
    Running,
    build_plan,
    clear_caches,
    session_for,
)

S = date(2025, 1, 6)
PROFILES = {
    "runner 12 wk": Profile(Running.REGULAR, 30, frozenset(), S + timedelta(weeks=12),
                            Grade.MODERATE, 4, S),
    "non-runner knee 8 wk": Profile(Running.NO, None, frozenset({Joint.KNEE}),
                                    S + timedelta(weeks=8), Grade.MODERATE, 4, S),
    "difficult 20 wk": Profile(Running.REGULAR, 40, frozenset(), S + timedelta(weeks=20),
                               Grade.DIFFICULT, 6, S),
}


def main() -> None:
    today = S + timedelta(days=30)
    for (name, p), pain in ((x, pain) for pain in (False, True) for x in PROFILES.items()):
        name += " pain 7" if pain else ""
        hist = tuple(LogEntry(S + timedelta(days=k), LogKind.DONE) for k in range(0, 30, 2))
        if pain:  # pain 7 on day 26 (a Saturday): the hold and the ramp back
            hist += (LogEntry(S + timedelta(days=26), LogKind.PAIN, pain=7, pain_area="knee"),)
        n = 2000
        t0 = time.perf_counter()
        for k in range(n):
            session_for(p, hist, today + timedelta(days=k % 7), today)
        warm = (time.perf_counter() - t0) / n * 1e6
        m = 50
        t0 = time.perf_counter()
        for _ in range(m):
            clear_caches()
            build_plan(p, hist, today)
        cold = (time.perf_counter() - t0) / m * 1e3
        print(f"{name:<29} session_for {warm:7.1f} µs (cached skeleton)   "
              f"build_plan {cold:6.2f} ms (cold)")


if __name__ == "__main__":
    main()
