"""The one command table: every command in it is understood, through the engine."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.clock import FakeClock
from conversations import daily_texts, onboarding_texts
from conversations.commands import COMMANDS, MENU
from conversations.engine import Engine
from storage import Store
from tests.conversations.daily_support import Chat, onboarded

ROOT = Path(__file__).parents[2] / "conversations"


# What the settings commands are sent with (bare "/days" or "/trek" are not understood yet).
DETAILS = {"days": "mon wed fri sat", "trek": "20 April", "reminder": "7:30",
           "timezone": "Europe/Paris"}


@pytest.mark.parametrize("command", [c.word for c in COMMANDS])
async def test_every_command_is_understood_once_active(
    command: str, store: Store, engine: Engine, clock: FakeClock
) -> None:
    await onboarded(store)
    replies = await Chat(engine, clock).send(f"/{command} {DETAILS.get(command, '')}".strip())
    assert replies, command
    assert all(r.text != daily_texts.UNKNOWN for r in replies), command


@pytest.mark.parametrize("twin", [t for c in COMMANDS for t in c.twins])
async def test_plain_word_twins_work_during_onboarding(
    twin: str, engine: Engine, clock: FakeClock
) -> None:
    chat = Chat(engine, clock)
    await chat.send("hi")
    text = await chat.say(twin.capitalize() + "!")
    assert onboarding_texts.HELP.split("\n")[0][:20] in text


def test_menu_lists_commands_of_the_table_once_each() -> None:
    words = [w for w, _ in MENU]
    assert len(words) == len(set(words))
    assert set(words) <= {c.word for c in COMMANDS if c.routed}
    assert all(text for _, text in MENU)


def _sources() -> list[tuple[str, ast.Module]]:
    return [(p.name, ast.parse(p.read_text(encoding="utf-8")))
            for p in sorted(ROOT.rglob("*.py"))]


def test_the_dialogue_builds_no_orm_rows_and_uses_no_raw_session() -> None:
    for name, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"LoggedSession", "PlannedSession", "User"}, name
            if isinstance(node, ast.Attribute) and node.attr == "session":
                assert not (isinstance(node.value, ast.Attribute)
                            and node.value.attr == "tx"), name


def test_only_the_engine_imports_the_handler_table() -> None:
    for name, tree in _sources():
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        if name != "engine.py":
            assert "conversations.handlers" not in imported, name
