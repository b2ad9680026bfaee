"""Training amounts in a free-text log: distance, climb, floors and pack weight.

"done 5 km in 32 min", "24 floors with 8 kg", "walked 12 km, 700 m up, 9 kg pack",
"30 squats" (squats in a row, a test-day result).
Minutes stay with the intent parser; `without_amounts` removes what is read here so
"700 m up" is never taken for 700 minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"(\d{1,4}(?:[.,]\d{1,2})?)"
_DISTANCE = re.compile(rf"{_NUM}\s*(km|k|kms|kilometres?|kilometers?|mi|miles?)\b")
_CLIMB_WORDS = r"(?:up|uphill|climb(?:ing|ed)?|ascent|elevation(?: gain)?|gain|vertical|d\+)"
_CLIMB_AFTER = re.compile(
    rf"\+?\s*(\d{{2,4}})\s*(?:m|metres?|meters?|ft|feet)\s*(?:of\s+)?{_CLIMB_WORDS}\b")
_CLIMB_BEFORE = re.compile(
    rf"\b{_CLIMB_WORDS}\s*(?:of\s+)?\+?(\d{{2,4}})\s*(?:m|metres?|meters?|ft|feet)\b")
_CLIMB_PLUS = re.compile(r"(?<![\w.])\+\s*(\d{2,4})\s*(?:m|metres?|meters?)\b")
_FLOORS = re.compile(r"\b(\d{1,3})\s*(?:floors?|flights?|storeys?|stories)\b")
_SQUATS = re.compile(r"\b(\d{1,3})\s*(?:squats?|squat reps)\b")
_WEIGHT = re.compile(rf"{_NUM}\s*(kg|kgs|kilos?|kilograms?|lb|lbs|pounds?)\b")

MILE_KM = 1.609344
FOOT_M = 0.3048
POUND_KG = 0.45359237
MAX_KM = 300.0
MAX_CLIMB_M = 9000
MAX_FLOORS = 500
MAX_PACK_KG = 40.0
MAX_SQUATS = 300


@dataclass(frozen=True)
class Amounts:
    """What a log message measured; None for what it did not say."""

    distance_km: float | None = None
    climb_m: int | None = None
    floors: int | None = None
    pack_kg: float | None = None
    squats: int | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.distance_km, self.climb_m, self.floors,
                                          self.pack_kg, self.squats))


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _climb(text: str) -> int | None:
    for pattern in (_CLIMB_AFTER, _CLIMB_BEFORE, _CLIMB_PLUS):
        m = pattern.search(text)
        if m:
            value = float(m.group(1))
            if re.search(r"(?:ft|feet)", m.group(0)):
                value *= FOOT_M
            value = round(value)
            return value if 0 < value <= MAX_CLIMB_M else None
    return None


def _distance(text: str) -> float | None:
    m = _DISTANCE.search(text)
    if m is None:
        return None
    km = _number(m.group(1)) * (MILE_KM if m.group(2).startswith("mi") else 1.0)
    return round(km, 2) if 0 < km <= MAX_KM else None


def _pack(text: str) -> float | None:
    m = _WEIGHT.search(text)
    if m is None:
        return None
    kg = _number(m.group(1)) * (POUND_KG if m.group(2).startswith(("lb", "pound")) else 1.0)
    return round(kg, 1) if 0 < kg <= MAX_PACK_KG else None


def amounts(text: str) -> Amounts:
    """Distance (km), climb (m), floors and pack (kg) named in a message."""
    low = text.lower()
    floors_m = _FLOORS.search(low)
    floors = int(floors_m.group(1)) if floors_m else None
    squats_m = _SQUATS.search(low)
    squats = int(squats_m.group(1)) if squats_m else None
    return Amounts(
        distance_km=_distance(low),
        climb_m=_climb(low),
        floors=floors if floors is not None and 0 < floors <= MAX_FLOORS else None,
        pack_kg=_pack(low),
        squats=squats if squats is not None and 0 < squats <= MAX_SQUATS else None,
    )


def without_amounts(text: str) -> str:
    """The text with distances, climbs, floors and weights blanked out."""
    out = text
    for pattern in (_CLIMB_AFTER, _CLIMB_BEFORE, _CLIMB_PLUS, _DISTANCE, _FLOORS, _WEIGHT,
                    _SQUATS):
        out = pattern.sub(" ", out)
    return out


_ACTIVITY_WORDS: tuple[tuple[str, str], ...] = (
    (r"\b(?:floors?|flights?|stairs?|steps)\b", "stairs"),
    (r"\b(?:hike|hiked|hiking|trek|trekked)\b", "hike"),
    (r"\b(?:ran|run|running|jog|jogged|jogging|5k|10k)\b", "run"),
    (r"\b(?:cycled|cycle|cycling|bike|biked|ride|rode)\b", "ride"),
    (r"\b(?:walk|walked|walking)\b", "walk"),
)


def activity_word(text: str) -> str | None:
    """What the message says was done: "stairs", "hike", "run", "ride", "walk" or None."""
    low = text.lower()
    return next((kind for pattern, kind in _ACTIVITY_WORDS if re.search(pattern, low)), None)
