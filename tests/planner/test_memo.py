"""The plan memo: one entry per person, bounded, and hitting for everyone active at once."""

from __future__ import annotations

from datetime import date, timedelta

from planner import Grade, LogEntry, LogKind, Profile, Running, session_for
from planner.memo import Latest

S = date(2026, 11, 30)


def test_the_memo_holds_at_most_its_size_and_keeps_each_keys_latest_only() -> None:
    calls: list[tuple[int, int]] = []
    memo: Latest[int, int, int] = Latest(lambda k, a: calls.append((k, a)) or k * a, size=100)
    for k in range(1000):
        for a in range(3):  # each person's args change: only the latest is kept
            assert memo(k, a) == k * a
    assert len(memo) == 100
    assert len(calls) == 3000


def test_an_active_set_as_large_as_the_memo_always_hits() -> None:
    memo: Latest[int, str, int] = Latest(lambda k, a: k, size=1000)
    for _ in range(5):  # 1,000 people, each writing in turn, round after round
        for k in range(1000):
            memo(k, "same day, same log")
    assert memo.misses == 1000 and memo.hits == 4000


def test_a_thousand_people_interleaved_get_the_same_sessions_as_one_at_a_time() -> None:
    people = [Profile(Running.REGULAR, 20 + k % 30, frozenset(), S + timedelta(weeks=8 + k % 17),
                      Grade.MODERATE, 3 + k % 4, S) for k in range(60)]
    today = S + timedelta(days=3)
    log = (LogEntry(S + timedelta(days=1), LogKind.DONE),)
    alone = [session_for(p, log, today + timedelta(days=1), today) for p in people]
    mixed = [session_for(p, log if d % 2 else (), today + timedelta(days=1), today)
             for d in range(2) for p in people][len(people):]
    assert mixed == alone
