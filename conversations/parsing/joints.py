"""Joint issues: none / knee / ankle / hip / back / other, read from free text.

"my left knee clicks on stairs" is a knee; several joints may be named at once. The
person's own words are kept by the caller; this module only finds the joints.
"""

from __future__ import annotations

from conversations.parsing.words import clean, fuzzy, has_phrase, tokens

JOINTS = ("knee", "ankle", "hip", "back", "other")

_WORDS = {
    "knee": "knee", "knees": "knee", "kneecap": "knee", "patella": "knee", "acl": "knee",
    "mcl": "knee", "meniscus": "knee", "itb": "knee", "runner's knee": "knee",
    "ankle": "ankle", "ankles": "ankle", "achilles": "ankle",
    "hip": "hip", "hips": "hip", "groin": "hip", "glute": "hip", "glutes": "hip",
    "back": "back", "backache": "back", "spine": "back", "spinal": "back", "lumbar": "back",
    "disc": "back", "disk": "back", "sciatica": "back", "slipped disc": "back",
    "lower back": "back", "upper back": "back",
    "shoulder": "other", "shoulders": "other", "wrist": "other", "elbow": "other",
    "neck": "other", "foot": "other", "feet": "other", "heel": "other", "plantar": "other",
    "shin": "other", "shins": "other", "calf": "other", "calves": "other",
    "hamstring": "other", "hamstrings": "other", "toe": "other", "toes": "other",
    "arthritis": "other", "tendon": "other", "tendonitis": "other", "other": "other",
}
# Typos are forgiven for these (never for "back": "pack" and "black" are words too).
_FUZZY = [w for w in _WORDS if len(w) >= 4 and " " not in w and w != "back"]
_NONE_PHRASES = (
    "none", "no", "nope", "nah", "nothing", "n", "no issues", "all good", "all fine",
    "fine", "good", "healthy", "not really", "n a", "na", "nil", "zero", "never",
    "no problems", "no injuries", "i'm fine", "im fine", "perfect", "great",
)
_ISSUE_WORDS = (
    "pain", "painful", "ache", "aches", "aching", "sore", "hurt", "hurts", "injury",
    "injured", "injuries", "surgery", "operation", "sprain", "sprained", "torn", "broke",
    "broken", "stiff", "stiffness", "clicks", "weak", "swelling", "issue", "issues",
    "problem", "problems",
)


def parse_joints(text: str) -> list[str] | None:
    """Joints named (sorted, no repeats); [] for "none"; None when not understood."""
    t = clean(text)
    if not t:
        return None
    found: set[str] = set()
    for phrase, joint in _WORDS.items():
        if " " in phrase and has_phrase(t, [phrase]):
            found.add(joint)
    words = tokens(t)
    for word in words:
        if word in _WORDS:
            found.add(_WORDS[word])
            continue
        hit = fuzzy(word, _FUZZY) if len(word) >= 3 else None
        if hit is not None:
            found.add(_WORDS[hit])
    if found:
        return sorted(found, key=JOINTS.index)
    if has_phrase(t, _NONE_PHRASES):
        return []
    if any(word in _ISSUE_WORDS for word in words):
        return ["other"]
    return None
