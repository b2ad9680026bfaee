"""Free questions: a coach note when the topic is known, else an honest "I can't answer
that" with what the coach can do (texts in `conversations/coach_texts.py`)."""

from __future__ import annotations

from conversations import coach_texts as t
from conversations.intent import Parsed
from conversations.messages import Outgoing
from conversations.turn import Turn


def note_for(topic: str | None) -> str:
    """The note for a topic; the honest "can't answer" for none."""
    return t.NOTES.get(topic or "", t.CANT_ANSWER)


async def coach_note(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    return [Outgoing(note_for(parsed.topic))]
