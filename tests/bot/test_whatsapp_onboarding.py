"""A whole onboarding through WhatsApp: signed webhooks in (typed text, reply buttons and list
rows tapped as WhatsApp reports them), Cloud API messages out to the fake Graph API."""

from __future__ import annotations

import copy
import itertools
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.clock import FakeClock
from storage import Store
from tests.bot.whatsapp_harness import (
    USER,
    Harness,
    make_channel,
    payload,
    text_message,
    web_client,
)
from tests.fakes.graph_api import FakeGraphAPI, Sent

_ids = itertools.count(1)


@pytest.fixture
async def wa(store: Store, clock: FakeClock, graph: FakeGraphAPI) -> AsyncIterator[Harness]:
    channel = make_channel(store, clock, graph)
    async with web_client(channel) as web:
        yield Harness(channel, graph, clock, web)
    await channel.stop()


def offered(sent: Sent) -> dict[str, str]:
    """The choices of an interactive message: id -> the title the person sees."""
    inter = sent.body["interactive"]
    if inter["type"] == "button":
        return {b["reply"]["id"]: b["reply"]["title"] for b in inter["action"]["buttons"]}
    return {r["id"]: r["title"] for s in inter["action"]["sections"] for r in s["rows"]}


def tap(sent: Sent, choice_id: str, clock: FakeClock) -> dict[str, Any]:
    """The webhook WhatsApp sends when the person taps `choice_id` on `sent`."""
    inter = sent.body["interactive"]
    title = offered(sent)[choice_id]
    name = "button_reply" if inter["type"] == "button" else "list_reply"
    data = copy.deepcopy(payload(name, clock))
    msg = data["entry"][0]["changes"][0]["value"]["messages"][0]
    msg["id"] = f"wamid.TAP{next(_ids)}"
    msg["interactive"] = {"type": name, name: {"id": choice_id, "title": title}}
    return data


async def say(wa: Harness, text: str) -> list[Sent]:
    before = len(wa.graph.sent)
    wa.clock.advance(timedelta(seconds=20))
    await wa.deliver(text_message(text, f"wamid.SAY{next(_ids)}", wa.clock))
    new = wa.graph.sent[before:]
    assert new, f"no reply to {text!r}"
    return new


async def choose(wa: Harness, choice_id: str) -> list[Sent]:
    last = wa.graph.sent[-1]
    assert last.type == "interactive", last.body
    before = len(wa.graph.sent)
    wa.clock.advance(timedelta(seconds=20))
    await wa.deliver(tap(last, choice_id, wa.clock))
    new = wa.graph.sent[before:]
    assert new, f"no reply to a tap on {choice_id!r}"
    return new


def texts_of(sent: list[Sent]) -> str:
    out = []
    for s in sent:
        if s.type == "text":
            out.append(s.body["text"]["body"])
        elif s.type == "interactive":
            out.append(s.body["interactive"]["body"]["text"])
    return "\n".join(out)


async def test_whole_onboarding_on_whatsapp(wa: Harness, store: Store) -> None:
    first = await say(wa, "hi")
    assert first[-1].type == "interactive"  # the first question comes with buttons
    assert "running:regular" in offered(first[-1])
    await choose(wa, "running:regular")
    await choose(wa, "run_minutes:30")  # five choices: a list
    assert wa.graph.sent[-1].body["interactive"]["type"] == "list"
    await say(wa, "my left knee clicks on stairs")  # typed, not tapped
    await say(wa, "15 March")
    await choose(wa, "grade:moderate")
    await choose(wa, "days:4")
    await choose(wa, "reminder:420")
    done = await choose(wa, "timezone:Asia/Kolkata")
    summary = texts_of(done)
    assert "Asia/Kolkata" in summary and "moderate" in summary
    for sent in wa.graph.sent:  # everything within WhatsApp's limits
        if sent.type == "interactive":
            assert len(sent.body["interactive"]["body"]["text"]) <= 1024
            assert all(len(t) <= 24 for t in offered(sent).values())
        else:
            assert len(sent.body["text"]["body"]) <= 4096

    async with store.transaction() as tx:
        user = await tx.user("whatsapp", USER)
    assert user is not None
    assert (user.state, user.status) == ("active", "active")
    assert user.display_name == "Sheena Nelson"
    assert user.timezone == "Asia/Kolkata" and user.reminder_minutes == 420
    assert user.profile is not None
    assert (user.profile["running"], user.profile["easy_run_minutes"],
            user.profile["joints"], user.profile["grade"], user.profile["days_per_week"]) == (
        "regular", 30, ["knee"], "moderate", 4)
    assert user.next_prompt_at is not None and user.next_prompt_at > wa.clock()
    assert user.last_inbound_at == wa.clock()

    # help and menu in plain words work mid-conversation and afterwards
    assert "What you can tell me" in texts_of(await say(wa, "menu"))
