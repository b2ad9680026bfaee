"""Splitting long texts and per-chat pacing (no network, no real waiting)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import telegram_html
from bot.telegram_send import ChatPacer, Limits, split_text


def test_short_text_is_one_part() -> None:
    assert split_text("Hello *there*") == ["Hello *there*"]
    assert split_text("   ") == []


def test_long_text_splits_on_paragraphs_first() -> None:
    paragraph = ("word " * 300).strip()  # 1,499 characters
    text = "\n\n".join([paragraph] * 5)
    parts = split_text(text)
    assert len(parts) == 3
    assert parts[0] == paragraph + "\n\n" + paragraph
    assert all(len(telegram_html(p)) <= 4096 for p in parts)


def test_escaping_counts_towards_the_limit() -> None:
    text = "\n".join(["a < b & c > d"] * 600)  # renders much longer than it reads
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(telegram_html(p)) <= 4096 for p in parts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab <&*\n", min_size=0, max_size=400), max_size=30),
       st.integers(min_value=20, max_value=300))
def test_parts_fit_and_lose_nothing(chunks: list[str], limit: int) -> None:
    text = "".join(chunks)
    parts = split_text(text, limit)
    assert all(p and len(telegram_html(p)) <= limit for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


async def test_pacer_allows_a_burst_then_one_a_second() -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = ChatPacer(Limits(chat_per_second=1.0, chat_burst=3, sleep=sleep,
                             monotonic=lambda: now[0]))
    for _ in range(5):
        await pacer.wait(42)
    assert waits == [1.0, 1.0]
    await pacer.wait(7)  # another chat has its own bucket
    assert waits == [1.0, 1.0]
    now[0] += 10  # after a quiet spell the burst is back
    for _ in range(3):
        await pacer.wait(42)
    assert waits == [1.0, 1.0]


async def test_pacer_off_never_waits() -> None:
    async def sleep(seconds: float) -> None:
        raise AssertionError("should not wait")

    pacer = ChatPacer(Limits(chat_per_second=0, sleep=sleep))
    for _ in range(10):
        await pacer.wait(1)
