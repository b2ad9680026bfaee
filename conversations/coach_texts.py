"""Coach notes: short, safe answers to the free questions the coach knows, one per topic
(matched in `conversations/talk_rules.py`), and the honest reply to anything else.

Sources, in our own words: the seed article (/work/shared/seed/: time on your feet with
weight, "balance, joint stability and footwork", recovery days) and PLANNER.md (boots and
poles practised on long walks; altitude: ascend slowly, drink enough). Amounts are
general guidance, kept cautious; anything medical points to a doctor.
"""

from __future__ import annotations

NOTES: dict[str, str] = {
    "food": (
        "*Eating before a long hike*\n"
        "- A normal meal 2-3 hours before: mostly carbs (oats, bread, rice, fruit), a little "
        "protein, nothing new or very fatty.\n"
        "- On the walk, a small snack every hour or so (banana, nuts, a bar).\n"
        "- Try your trek-day breakfast and snacks on your long training walks first."
    ),
    "water": (
        "*Water*\n"
        "- Start the walk well hydrated and sip little and often rather than a lot at once.\n"
        "- Roughly half a litre to a litre an hour when it's warm or steep, less when it's "
        "cool; know where you can refill.\n"
        "- On long or hot days add some salt or electrolytes. At altitude drink a bit more."
    ),
    "packing": (
        "*What to pack for a training walk*\n"
        "- Water, snacks, a warm layer and a rain jacket, phone, a small first-aid kit "
        "with blister plasters.\n"
        "- Pack to your plan's weight (water bottles are easy weight to add or pour out).\n"
        "- For the trek, your organiser's kit list comes first; train with that same pack."
    ),
    "boots": (
        "*Breaking in boots*\n"
        "- Wear them around the house, then on short walks, then on your long loaded walks: "
        "a few weeks before the trek, never new on trek day.\n"
        "- Use the socks you'll trek in, and lace snug at the heel.\n"
        "- A rubbing spot is a warning: tape it early. Practise with poles on long walks too."
    ),
    "blisters": (
        "*Blisters*\n"
        "- Stop at the first hot spot and cover it with tape or a blister plaster.\n"
        "- Keep small ones intact; if one bursts, clean it and cover it.\n"
        "- Prevent them: broken-in boots, good socks (no cotton), dry feet.\n"
        "- Redness spreading, pus or fever: see a doctor."
    ),
    "altitude": (
        "*Altitude*\n"
        "- Go up slowly, follow your trek's acclimatisation days, and drink enough.\n"
        "- Headache, nausea, dizziness or unusual tiredness up high: tell your guide, "
        "don't go higher, and go down if it gets worse.\n"
        "- Training can't prevent altitude sickness, but fitter legs make the climbing "
        "easier. Ask a doctor before the trek if you have heart or lung conditions."
    ),
    "tired": (
        "Thanks for telling me. A tired day is normal in training.\n"
        "- A little tired: do today's session easier and shorter, or swap it: say "
        "\"move today to tomorrow\".\n"
        "- Very tired, or tired for several days: rest today (say *skip*), sleep and eat well.\n"
        "- Tired with fever or feeling ill: rest, and tell me (\"I have a fever\")."
    ),
}

CANT_ANSWER = (
    "I can't answer that one, sorry. Here's what I can do:\n"
    "- *today*, *plan*, *progress*, *should I run today?*\n"
    "- log *done* or *skip*, pain (\"knee hurts 4/10\") or illness\n"
    "- move a session (\"move today to tomorrow\") or change your days, grade, trek date\n"
    "- tips on food, water, packing, boots, blisters, altitude and tired days\n"
    "Say *help* for the full list."
)
