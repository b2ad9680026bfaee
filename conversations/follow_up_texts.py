"""Texts of the morning follow-up after a pain or sickness report: the question and the replies."""

AREA_WORDS = {"calf": "calves", "foot": "foot", "leg": "legs", "hamstring": "hamstring"}

PAIN_QUESTION = "How's the {area} today? Yesterday you put it at {score}/10."
PAIN_QUESTION_NO_SCORE = "How's the {area} today?"
SICK_QUESTION = {
    "fever": "Has the fever gone?",
    "chest": "How's your chest today? Has the cough cleared?",
    "stomach": "How's your stomach today? Has it settled?",
    "above_neck": "How's the cold today? Has it cleared?",
    "unwell": "Are you feeling better today?",
}
CLOSING = "Tell me how it is first, and I'll keep today as it is or change it to fit."
CLOSING_REST = "Tell me how it is, and I'll fit the next days around it."

LABELS = {
    "better": "Better", "same": "Same", "worse": "Worse",
    "gone": "It's gone", "still": "Still there",
}

PAIN_BETTER = ("*Good to hear the {area} is better.* Today stays as planned. Keep it "
               "comfortable and stop if the pain climbs past 3/10.")
PAIN_SAME_GREEN = ("*Still a little there, then.* At that level you can carry on gently; "
                   "stop if it climbs past 3/10, and tell me how it is tomorrow.")
SICK_STILL = ("Still there on the next day, so today is for rest too. If it lasts more than "
              "three days, or you get short of breath or feel worse, see a doctor.")
SICK_STILL_COLD = "Still a head cold: short and easy is fine, and rest if it moves to your chest."


def area_name(area: str | None) -> str:
    """'knee' -> 'knee', 'calf' -> 'calves', None -> 'pain'."""
    if area is None:
        return "pain"
    return AREA_WORDS.get(area, area)
