"""Reply texts for activity files, photos and other documents."""

from __future__ import annotations

from conversations.activity_files import MAX_BYTES, Problem
from conversations.formatting import duration

SPORT_WORDS = {"run": "run", "walk": "walk", "hike": "hike", "ride": "ride",
               "swim": "swim", "other": "activity"}

PROBLEMS = {
    Problem.TOO_LARGE: (f"That file is over {MAX_BYTES // (1024 * 1024)} MB, more than an "
                        "activity file needs. Export just the one activity as GPX or FIT "
                        "and send that."),
    Problem.BROKEN: ("I couldn't read that file: it looks damaged or cut short. Export it "
                     "again from your watch or app, or tell me in words, e.g. "
                     "\"done 6 km in 45 min\"."),
    Problem.EMPTY: ("That file has no track in it (fewer than two points), so there is "
                    "nothing to log. Tell me in words instead, e.g. \"walked 8 km\"."),
    Problem.NOT_ACTIVITY: ("That isn't an activity file. I can read GPX and FIT files from "
                           "watches and apps, or you can tell me in words: \"done 40 min\"."),
}

FETCH_FAILED = ("I couldn't download that file just now. Please send it again in a "
                "minute.")
PHOTO = ("Thanks for the photo! I can't read pictures. To log a session, say e.g. "
         "\"done 40 min\", or send the GPX or FIT file from your watch or app.")
OTHER_DOCUMENT = ("Thanks! I only read GPX and FIT activity files. To log a session, "
                  "say e.g. \"done 40 min\".")
NOT_YET = ("Nice file! Once your plan is set up I'll log files like this. Let's finish "
           "the questions first.")


def summary(day_text: str, sport: str, km: float, climb_m: float | None,
            seconds: int | None, pack_kg: float | None = None) -> str:
    """'Logged for Sat 5 Dec: hike, 6.2 km, +420 m, 1 h 40'."""
    parts = [SPORT_WORDS.get(sport, "activity"), f"{km:.1f} km"]
    if climb_m is not None and climb_m >= 1:
        parts.append(f"+{round(climb_m)} m")
    if seconds:
        parts.append(duration(round(seconds / 60)))
    if pack_kg:
        parts.append(f"{pack_kg:g} kg pack")
    return f"Logged for {day_text}: {', '.join(parts)}"


def as_planned(name: str, when: str) -> str:
    return f"Counted as the planned {name.lower()} for {when}."


EXTRA = "Logged as an extra session."


def still_open(name: str) -> str:
    """After an extra of another kind on a day whose planned session is not logged yet."""
    return (f"Your planned {name.lower()} is still open: say \"done\" when you've done "
            "it.")
ENRICHED = "Added the file's figures to what you had logged for that day."


def already(day_text: str) -> str:
    return f"I already have that file, logged for {day_text}. Nothing added twice."
