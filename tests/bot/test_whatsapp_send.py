"""WhatsApp sends: buttons, lists, numbered text, long text, media, the 24-hour window with a
fake clock, Graph API errors from the fake server, and pacing."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels import RetryLater, UserUnreachable
from bot.clock import FakeClock
from bot.whatsapp import WhatsAppChannel
from bot.whatsapp_layout import ButtonsPart, ListPart, MediaPart, TextPart, layout, split_text
from bot.whatsapp_send import SendFailed
from conversations.messages import Attachment, Choice, Kind, Outgoing
from storage import Store
from tests.bot.whatsapp_harness import TOKEN, USER, Harness, make_channel, text_message, web_client
from tests.fakes.graph_api import FakeGraphAPI

PROMPT = Outgoing("*Tue 1 Dec*: easy run, 30 minutes.\nTell me when it's done.",
                  (Choice("done", "Done"), Choice("skip", "Skip today")))


@pytest.fixture
async def wa(store: Store, clock: FakeClock, graph: FakeGraphAPI) -> AsyncIterator[Harness]:
    sleeps: list[float] = []
    seen: list = []
    channel = make_channel(store, clock, graph, sleeps=sleeps, seen=seen)
    async with web_client(channel) as web:
        yield Harness(channel, graph, clock, web, seen, sleeps)
    await channel.stop()


async def _user_wrote(store: Store, clock: FakeClock, ago: timedelta) -> None:
    async with store.transaction() as tx:
        user = await tx.get_or_create_user("whatsapp", USER)
        user.last_inbound_at = clock() - ago
        user.status = "active"


# layout ------------------------------------------------------------------------------
async def test_up_to_three_choices_are_reply_buttons_with_short_titles(wa: Harness) -> None:
    choices = (Choice("a", "Yes"), Choice("b", "Sometimes, when the weather is nice"),
               Choice("c", "No"))
    await wa.channel.send(USER, [Outgoing("Do you run?", choices)])
    [sent] = wa.graph.sent
    inter = sent.body["interactive"]
    assert inter["type"] == "button"
    assert inter["body"]["text"] == "Do you run?"
    buttons = [(b["reply"]["id"], b["reply"]["title"]) for b in inter["action"]["buttons"]]
    assert [i for i, _ in buttons] == ["a", "b", "c"]
    assert all(len(t) <= 20 for _, t in buttons)
    assert buttons[1][1].startswith("Sometimes") and buttons[1][1].endswith("…")


async def test_four_to_ten_choices_are_a_list(wa: Harness) -> None:
    choices = tuple(Choice(f"d{n}", f"{n} days a week, every week") for n in range(1, 8))
    await wa.channel.send(USER, [Outgoing("How many days?", choices)])
    [sent] = wa.graph.sent
    inter = sent.body["interactive"]
    assert inter["type"] == "list"
    rows = inter["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [c.id for c in choices]
    assert all(len(r["title"]) <= 24 for r in rows)
    assert rows[0]["description"] == "1 days a week, every week"  # the full label
    assert len(inter["action"]["button"]) <= 20


async def test_more_than_ten_choices_are_numbered_and_a_number_picks_one(wa: Harness) -> None:
    choices = tuple(Choice(f"z{n}", f"Zone {n}") for n in range(1, 13))
    await wa.channel.send(USER, [Outgoing("Where are you?", choices)])
    [sent] = wa.graph.sent
    assert sent.type == "text"
    body = sent.body["text"]["body"]
    assert "1. Zone 1" in body and "12. Zone 12" in body
    await wa.deliver(text_message("12", "wamid.NUM12", wa.clock))
    assert (wa.seen[-1].kind, wa.seen[-1].choice_id, wa.seen[-1].text) == (
        Kind.CHOICE, "z12", "Zone 12")


async def test_long_text_is_split_at_4096_in_order(wa: Harness) -> None:
    paragraphs = [f"Paragraph {n}: " + "step " * 150 for n in range(20)]
    text = "\n\n".join(paragraphs)
    await wa.channel.send(USER, [Outgoing(text, (Choice("ok", "OK"),))])
    parts = wa.graph.sent
    assert len(parts) > 2
    assert all(p.type == "text" for p in parts[:-1]) and parts[-1].type == "interactive"
    bodies = [p.body["text"]["body"] for p in parts[:-1]]
    bodies.append(parts[-1].body["interactive"]["body"]["text"])
    assert all(len(b) <= 4096 for b in bodies)
    assert len(bodies[-1]) <= 1024  # an interactive body's own limit
    assert " ".join(" ".join(bodies).split()) == " ".join(text.split())


def test_split_text_never_loses_or_exceeds() -> None:
    text = "x" * 9000 + " tail"
    pieces = split_text(text, 4096)
    assert all(len(p) <= 4096 for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


async def test_images_and_documents_are_uploaded_then_sent(wa: Harness) -> None:
    png = Attachment("plan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png", is_image=True)
    pdf = Attachment("plan.pdf", b"%PDF-1.4 " + b"1" * 50, "application/pdf")
    await wa.channel.send(USER, [Outgoing("Your plan", attachment=png),
                                 Outgoing("As a file", (Choice("ok", "Thanks"),), pdf)])
    assert [u.body["file"]["size"] for u in wa.graph.uploads] == [108, 59]
    assert [u.body["type"] for u in wa.graph.uploads] == ["image/png", "application/pdf"]
    kinds = [s.type for s in wa.graph.sent]
    assert kinds == ["image", "document", "interactive"]
    assert wa.graph.sent[0].body["image"] == {"id": "media1", "caption": "Your plan"}
    assert wa.graph.sent[1].body["document"]["id"] == "media2"
    assert wa.graph.sent[1].body["document"]["filename"] == "plan.pdf"


# the 24-hour window ----------------------------------------------------------------------
async def test_scheduled_prompt_inside_the_window_is_interactive(
    wa: Harness, store: Store
) -> None:
    await _user_wrote(store, wa.clock, timedelta(hours=2))
    await wa.channel.send(USER, [PROMPT], scheduled=True)
    assert [s.type for s in wa.graph.sent] == ["interactive"]


async def test_scheduled_prompt_outside_the_window_is_the_template(
    wa: Harness, store: Store
) -> None:
    await _user_wrote(store, wa.clock, timedelta(hours=2))
    wa.clock.advance(timedelta(hours=23))  # 25 hours since they last wrote
    await wa.channel.send(USER, [PROMPT], scheduled=True)
    [sent] = wa.graph.sent
    assert sent.type == "template"
    template = sent.body["template"]
    assert (template["name"], template["language"]["code"]) == ("daily_session", "en")
    body, *buttons = template["components"]
    line = body["parameters"][0]["text"]
    assert "\n" not in line and "easy run, 30 minutes" in line
    assert [(b["sub_type"], b["index"], b["parameters"][0]["payload"]) for b in buttons] == [
        ("quick_reply", "0", "done"), ("quick_reply", "1", "skip"),
        ("quick_reply", "2", "should_run")]


async def test_a_user_who_never_wrote_gets_the_template(wa: Harness) -> None:
    await wa.channel.send(USER, [PROMPT], scheduled=True)
    assert [s.type for s in wa.graph.sent] == ["template"]


async def test_writing_again_reopens_the_window(wa: Harness, store: Store) -> None:
    await _user_wrote(store, wa.clock, timedelta(days=3))
    await wa.deliver(text_message("hello", "wamid.BACK", wa.clock))
    wa.graph.sent.clear()
    wa.clock.advance(timedelta(hours=20))
    await wa.channel.send(USER, [PROMPT], scheduled=True)
    assert [s.type for s in wa.graph.sent] == ["interactive"]


async def test_replies_are_never_templates(wa: Harness) -> None:
    await wa.channel.send(USER, [PROMPT])  # not scheduled: an answer to the person
    assert [s.type for s in wa.graph.sent] == ["interactive"]


# Graph API errors ---------------------------------------------------------------------
async def test_window_closed_error_switches_to_the_template(wa: Harness, store: Store) -> None:
    await _user_wrote(store, wa.clock, timedelta(hours=1))
    wa.graph.fail(131047, kind="interactive")
    await wa.channel.send(USER, [Outgoing("first"), PROMPT], scheduled=True)
    assert [(s.type, "_failed_with" in s.body) for s in wa.graph.sent] == [
        ("text", False), ("interactive", True), ("template", False)]


async def test_undeliverable_raises_and_marks_the_user_unreachable(
    wa: Harness, store: Store
) -> None:
    await _user_wrote(store, wa.clock, timedelta(hours=1))
    wa.graph.fail(131026)
    with pytest.raises(UserUnreachable):
        await wa.channel.send(USER, [PROMPT], scheduled=True)
    async with store.transaction() as tx:
        user = await tx.user("whatsapp", USER)
    assert user is not None and user.status == "unreachable"


async def test_a_paused_user_stays_paused_when_a_reply_is_undeliverable(
    wa: Harness, store: Store
) -> None:
    await _user_wrote(store, wa.clock, timedelta(hours=1))
    async with store.transaction() as tx:
        user = await tx.user("whatsapp", USER)
        assert user is not None
        user.status = "paused"
    wa.graph.fail(131026)
    await wa.deliver(text_message("/help", "wamid.p1", wa.clock))
    await wa.deliver(text_message("/help", "wamid.p2", wa.clock))
    assert wa.graph.messages_to(USER)  # the second reply went out
    async with store.transaction() as tx:
        user = await tx.user("whatsapp", USER)
    assert user is not None and user.status == "paused"


@pytest.mark.parametrize("code", [130429, 131056])
async def test_rate_limits_back_off_and_retry(wa: Harness, code: int) -> None:
    wa.graph.fail(code, times=2)
    await wa.channel.send(USER, [Outgoing("hello")])
    assert [("_failed_with" in s.body) for s in wa.graph.sent] == [True, True, False]
    assert len(wa.sleeps) == 2 and wa.sleeps[1] > wa.sleeps[0] > 0


async def test_rate_limit_retries_are_bounded(wa: Harness) -> None:
    wa.graph.fail(130429, times=100)
    with pytest.raises(RetryLater):  # the dispatcher tries again later
        await wa.channel.send(USER, [Outgoing("hello")])
    assert len(wa.graph.sent) == 5  # the first try and four retries


async def test_expired_token_is_logged_loudly_and_the_channel_keeps_going(
    wa: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    wa.graph.fail(190)
    with pytest.raises(SendFailed):
        await wa.channel.send(USER, [Outgoing("hello")])
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("WHATSAPP_TOKEN" in r.getMessage() for r in errors)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    assert wa.channel.token_expired
    await wa.channel.send(USER, [Outgoing("again")])  # a renewed token works again
    assert wa.graph.successful[-1].body["text"]["body"] == "again"
    assert not wa.channel.token_expired


# pacing ---------------------------------------------------------------------------------
async def test_sends_to_one_person_are_paced(
    store: Store, clock: FakeClock, graph: FakeGraphAPI
) -> None:
    sleeps: list[float] = []
    channel: WhatsAppChannel = make_channel(store, clock, graph, sleeps=sleeps,
                                            per_user=6.0, burst=1)
    start = clock()
    await channel.send(USER, [Outgoing(f"m{n}") for n in range(4)])
    assert clock() - start == timedelta(seconds=18)  # one every six seconds
    sleeps.clear()
    await channel.send("4915112345678", [Outgoing("someone else")])
    assert sleeps == []  # another person is not held up
    await channel.stop()


# layout limits, for any labels and texts ----------------------------------------------------
_labels = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60).filter(
    lambda s: s.strip() != "")


@settings(max_examples=100, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=9000),
       labels=st.lists(_labels, max_size=14))
def test_layout_always_fits_whatsapps_limits(text: str, labels: list[str]) -> None:
    choices = tuple(Choice(f"c{n}", label) for n, label in enumerate(labels))
    parts = layout(Outgoing(text, choices))
    for part in parts:
        if isinstance(part, TextPart):
            assert 0 < len(part.body) <= 4096
        elif isinstance(part, ButtonsPart):
            assert 0 < len(part.body) <= 1024 and len(part.buttons) <= 3
            titles = [t for _, t in part.buttons]
            assert all(0 < len(t) <= 20 for t in titles) and len(set(titles)) == len(titles)
        elif isinstance(part, ListPart):
            assert 0 < len(part.body) <= 1024 and len(part.rows) <= 10
            titles = [t for _, t, _ in part.rows]
            assert all(0 < len(t) <= 24 for t in titles) and len(set(titles)) == len(titles)
            assert all(d is None or len(d) <= 72 for _, _, d in part.rows)
    offered = [i for p in parts if isinstance(p, ButtonsPart) for i, _ in p.buttons]
    offered += [i for p in parts if isinstance(p, ListPart) for i, _, _ in p.rows]
    if 0 < len(choices) <= 10:
        assert offered == [c.id for c in choices]  # every choice is offered, in order
    kept = " ".join(p.body for p in parts if not isinstance(p, MediaPart))
    assert "".join(text.split()) in "".join(kept.split())  # no text is lost


async def test_sends_overall_are_capped(store: Store, clock: FakeClock, graph: FakeGraphAPI
                                        ) -> None:
    channel = make_channel(store, clock, graph, per_user=6.0, per_second=10)
    start = clock()
    for n in range(5):
        await channel.send(f"49151000000{n}", [Outgoing("good morning")])
    assert clock() - start == timedelta(seconds=0.4)  # ten a second, across people
    assert len(graph.successful) == 5
    await channel.stop()
