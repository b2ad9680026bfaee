"""Distance, climb, floors and pack weight read from free-text logs."""

from __future__ import annotations

import pytest

from conversations.parsing.amounts import Amounts, amounts, without_amounts


@pytest.mark.parametrize("text, expected", [
    ("done 5 km in 32 min", Amounts(distance_km=5.0)),
    ("24 floors with 8 kg", Amounts(floors=24, pack_kg=8.0)),
    ("walked 12 km, 700 m up, 9 kg pack", Amounts(distance_km=12.0, climb_m=700, pack_kg=9.0)),
    ("hike 6,5km +420m", Amounts(distance_km=6.5, climb_m=420)),
    ("ran 3.1 miles", Amounts(distance_km=4.99)),
    ("climbed 1500 ft with a 20 lb pack", Amounts(climb_m=457, pack_kg=9.1)),
    ("elevation gain 650 m, 10k", Amounts(distance_km=10.0, climb_m=650)),
    ("done 40 min", Amounts()),
    ("done 10 flights of stairs", Amounts(floors=10)),
])
def test_amounts(text: str, expected: Amounts) -> None:
    assert amounts(text) == expected


def test_silly_values_are_dropped() -> None:
    assert amounts("walked 900 km with 300 kg") == Amounts()


def test_climb_metres_are_not_left_for_the_minutes_parser() -> None:
    rest = without_amounts("walked 12 km, 700 m up, 9 kg pack in 3 h")
    assert "700" not in rest and "12" not in rest and "9" not in rest and "3 h" in rest
