"""A scripted demo-clock conversation for the morning follow-up (issue 11.4): pain, then
"How's the knee today?" answered worse, same and better; a fever, then "Has the fever gone?"
answered "still there" and then in free text. Each push comes from the scheduler's tick on
the fake clock (as `/nextday` does) and must name what `today` shows."""

from __future__ import annotations

from datetime import timedelta

from conversations import follow_up_texts as FT
from storage import Store
from tests.bot.test_demo_comeback_script import Demo
from tests.bot.test_push_matches_today import push_dose, today_dose


async def _onboard(demo: Demo) -> None:
    for text in ["/start", "yes", "30", "none", "in 12 weeks", "moderate", "4", "7:00",
                 "London"]:
        await demo.say(text)


def _labels(demo: Demo) -> list[str]:
    return [c.label for c in demo.rec.sent[-1][2][0].choices]


async def test_pain_follow_up_steers_the_day(store: Store) -> None:
    demo = Demo(store)
    await _onboard(demo)
    await demo.next_day()
    assert "How's" not in demo.rec.sent[-1][2][0].text  # nothing to follow up yet
    await demo.say("knee 5/10 after the stairs")

    await demo.next_day()
    push = demo.rec.sent[-1][2][0].text
    assert push.splitlines()[0].endswith("How's the knee today? Yesterday you put it at 5/10.")
    assert _labels(demo) == ["Better", "Same", "Worse"]
    reply = await demo.say("Same")
    assert "physio" in reply.lower()  # lasting past the next day: a warning sign
    today = today_dose(await demo.say("today"))
    assert "run" not in today and "stairs" not in today  # low impact now
    assert "No" in await demo.say("should I run today?")

    await demo.next_day()  # asked again: still sore yesterday
    assert "How's the knee today?" in demo.rec.sent[-1][2][0].text
    reply = await demo.say("much better thanks")
    assert "Good to hear the knee is better" in reply
    await demo.next_day()
    assert "How's" not in demo.rec.sent[-1][2][0].text  # answered: no question the day after


async def test_worse_pain_after_a_low_score_goes_low_impact(store: Store) -> None:
    demo = Demo(store)
    await _onboard(demo)
    await demo.next_day()
    await demo.say("my ankle hurts, 4/10")
    await demo.next_day()
    reply = await demo.say("worse")
    assert "5/10" in reply and "physio" in reply.lower()
    assert "run" not in today_dose(await demo.say("today"))


async def test_fever_follow_up_still_there_then_gone(store: Store) -> None:
    demo = Demo(store)
    await _onboard(demo)
    await demo.next_day()
    await demo.say("I have a fever, 38.5")
    await demo.next_day()
    push = demo.rec.sent[-1][2][0].text
    assert "Has the fever gone?" in push.splitlines()[0]
    assert _labels(demo) == ["It's gone", "Still there"]
    reply = await demo.say("Still there")
    assert "Rest today" in reply and "doctor" in reply
    assert today_dose(await demo.say("today")) == "rest"

    assert await demo.next_day() == "rest"
    assert "Has the fever gone?" in demo.rec.sent[-1][2][0].text
    reply = await demo.say("fever is gone, feeling fine now")
    assert "Good to hear it's gone" in reply
    assert await demo.next_day() == "rest"  # one more day
    assert "How's" not in demo.rec.sent[-1][2][0].text
    assert "Has the" not in demo.rec.sent[-1][2][0].text


async def test_ignored_follow_up_does_not_swallow_the_next_message(store: Store) -> None:
    demo = Demo(store)
    await _onboard(demo)
    await demo.next_day()
    await demo.say("knee 6/10")
    push = await demo.next_day()
    assert "How's the knee today?" in demo.rec.sent[-1][2][0].text
    reply = await demo.say("done")
    assert "logged" in reply.lower() or "done" in reply.lower()
    assert push_dose(demo.rec.sent[-1][2]) == push


async def _evening(demo: Demo) -> str:
    """Jump to the next evening reminder (a preview of tomorrow); its text."""
    await demo.next_prompt()
    demo.clock.advance(timedelta(minutes=30))
    return demo.rec.sent[-1][2][0].text


async def test_the_evening_preview_asks_the_open_follow_up(store: Store) -> None:
    """An evening-reminder user has no morning message: the preview asks yesterday's pain
    and fever as the morning message would, and the answer that evening is understood."""
    demo = Demo(store)
    for text in ["/start", "yes", "30", "none", "in 12 weeks", "moderate", "4", "19:00",
                 "London"]:
        await demo.say(text)
    assert "How's" not in await _evening(demo)
    await demo.say("knee 5/10 after the stairs")  # after the preview: open tomorrow
    preview = await _evening(demo)
    assert preview.splitlines()[0].endswith(
        "How's the knee today? Yesterday you put it at 5/10."), preview
    assert "*Tomorrow, " in preview and preview.endswith(FT.CLOSING_REST)
    assert _labels(demo) == ["Better", "Same", "Worse"]
    assert "physio" in (await demo.say("Same")).lower()
    await demo.say("I have a fever")
    preview = await _evening(demo)
    assert "Has the fever gone?" in preview.splitlines()[0]
    assert _labels(demo) == ["It's gone", "Still there"]
