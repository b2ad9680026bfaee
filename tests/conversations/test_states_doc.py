"""The state diagram in conversations/states.md names exactly the states in states.py."""

from __future__ import annotations

import re
from pathlib import Path

from conversations.states import State

DOC = Path(__file__).parents[2] / "conversations" / "states.md"
_EDGE = re.compile(r"^\s*(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)\s*(?::\s*(.*))?$")


def _edges() -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    diagram = text.split("```mermaid", 1)[1].split("```", 1)[0]
    return [(m.group(1), m.group(2)) for line in diagram.splitlines()
            if (m := _EDGE.match(line))]


def test_every_state_is_in_the_diagram_and_nothing_else() -> None:
    named = {name for edge in _edges() for name in edge} - {"[*]"}
    assert named == {s.name for s in State}


def test_the_diagram_starts_at_new_and_every_state_is_reached() -> None:
    edges = _edges()
    assert ("[*]", State.NEW.name) in edges
    reached = {State.NEW.name}
    for _ in State:
        reached |= {b for a, b in edges if a in reached}
    assert reached - {"[*]"} == {s.name for s in State}


def test_every_state_but_the_start_can_be_left() -> None:
    leaving = {a for a, _ in _edges()}
    assert {s.name for s in State} <= leaving
