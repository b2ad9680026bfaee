"""The memo of stored plan-row details: bounded by entries, and exact (equal values of another
type, 10 kg and 10.0 kg, are stored as they were given)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from conversations import plans
from conversations.plans import row_of
from planner import Phase, Session, SessionType


def walk(minutes: int, pack: float | int | None = 8.0) -> Session:
    return Session(day=date(2026, 12, 1), type=SessionType.BACKPACK_WALK, minutes=minutes,
                   hard=False, phase=Phase.BASE, pack_kg=pack)


def test_the_memo_is_bounded_by_entries() -> None:
    plans._stored_fields.cache_clear()
    for k in range(plans.DETAILS_KEPT + 50):
        row_of(walk(30 + k))
    assert plans._stored_fields.cache_info().currsize == plans.DETAILS_KEPT


def test_days_apart_share_one_entry_and_keep_their_day() -> None:
    plans._stored_fields.cache_clear()
    rows = [row_of(replace(walk(45), day=date(2026, 12, 1) + timedelta(days=k)))
            for k in range(7)]
    assert plans._stored_fields.cache_info().currsize == 1
    assert [r[0].day for r in rows] == list(range(1, 8))
    assert all(r[4] == rows[0][4] for r in rows)


def test_equal_values_of_another_type_are_stored_as_given() -> None:
    as_int = json.dumps(row_of(walk(45, pack=10))[4])
    as_float = json.dumps(row_of(walk(45, pack=10.0))[4])
    assert '"pack_kg": 10,' in as_int or as_int.endswith('"pack_kg": 10}')
    assert "10.0" in as_float
