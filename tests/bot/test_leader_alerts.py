"""Alerts to a leader who linked their chat (/leader CODE): pain 6+ and a week without
training, each once, to the leader's own chat, and only about their own batches."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.leader_auth import invite
from bot.leader_outbox import LeaderOutbox
from conversations.engine import Engine
from storage import Store
from tests.batch_support import BATCH_ANSWERS, Person, Recorder, make_batch


async def linked_leader(store: Store, engine: Engine, clock: FakeClock, code: str,
                        name: str = "Asha", key: str = "asha") -> Person:
    found = await invite(store, name, code, clock())
    assert found is not None
    leader = Person(engine, clock, key, name=name)
    assert "I'll message you here" in await leader.say(f"/leader {found[1]}")
    return leader


async def joined(engine: Engine, clock: FakeClock, key: str, code: str) -> Person:
    person = Person(engine, clock, key, name=key.title())
    await person.say(f"/start {code}")
    for answer in BATCH_ANSWERS:
        await person.say(answer)
    return person


async def test_pain_six_or_more_alerts_the_leader_once(store: Store, engine: Engine,
                                                       clock: FakeClock) -> None:
    code = await make_batch(store)
    other = await make_batch(store, "Annapurna Circuit")
    await linked_leader(store, engine, clock, code)
    ana = await joined(engine, clock, "ana", code)
    dee = await joined(engine, clock, "dee", other)
    telegram = Recorder("telegram")
    outbox = LeaderOutbox(store, clock, {"telegram": telegram})
    assert (await outbox.tick()).alerts == 0
    await ana.say("my knee hurts 4/10")  # below the line: no alert
    await dee.say("my ankle hurts 8/10")  # another leader's batch
    assert (await outbox.tick()).alerts == 0
    await ana.say("my knee hurts 7/10, I wrote this privately")
    assert (await outbox.tick()).alerts == 1
    assert (await outbox.tick()).alerts == 0  # once
    [(key, [message], scheduled)] = telegram.sent
    assert key == "asha" and scheduled
    assert "Ana reported pain 7/10 (knee)" in message.text and "Everest Base Camp" in message.text
    assert "privately" not in message.text


async def test_a_week_without_training_alerts_once_per_quiet_spell(
    store: Store, engine: Engine, clock: FakeClock
) -> None:
    code = await make_batch(store)
    await linked_leader(store, engine, clock, code)
    bo = await joined(engine, clock, "bo", code)
    telegram = Recorder("telegram")
    outbox = LeaderOutbox(store, clock, {"telegram": telegram})
    clock.advance(timedelta(days=6))
    assert (await outbox.tick()).alerts == 0
    clock.advance(timedelta(days=1))
    assert (await outbox.tick()).alerts == 1
    clock.advance(timedelta(days=1))
    assert (await outbox.tick()).alerts == 0  # the same quiet spell
    assert "Bo hasn't logged any training for 7 days" in telegram.sent[0][1][0].text
    await bo.say("done 30 min")  # back on track; then quiet again for a week
    clock.advance(timedelta(days=7))
    assert (await outbox.tick()).alerts == 1
    await bo.say("pause")
    clock.advance(timedelta(days=8))
    assert (await outbox.tick()).alerts == 0  # a paused trekker is not chased


async def test_no_alerts_without_a_linked_chat(store: Store, engine: Engine,
                                               clock: FakeClock) -> None:
    code = await make_batch(store)
    assert await invite(store, "Asha", code, clock()) is not None  # signed up, chat not linked
    ana = await joined(engine, clock, "ana", code)
    await ana.say("my knee hurts 8/10")
    clock.advance(timedelta(days=9))
    assert (await LeaderOutbox(store, clock, {"telegram": Recorder("telegram")}).tick()
            ).alerts == 0
