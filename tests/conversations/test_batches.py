"""Trek batches through the engine: join with /start CODE or "join CODE", consent, the
skipped questions, leave, unknown and past codes, joining with a plan, /delete, /leader."""

from __future__ import annotations

from datetime import date, timedelta

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import Store
from storage import batches as q
from tests.batch_support import BATCH_ANSWERS, Person, make_batch

ONBOARDING = ["/start", "yes", "30", "none", "12 weeks", "moderate", "4", "7:00", "Berlin"]


async def batch_of(store: Store, person: Person) -> str | None:
    user = await person.row(store)
    async with store.transaction() as tx:
        batch = await q.membership(tx, user.id)
        return batch.code if batch else None


async def test_start_with_a_code_joins_skips_date_and_grade_and_asks_consent(
    engine: Engine, store: Store, clock: FakeClock
) -> None:
    code = await make_batch(store)
    ana = Person(engine, clock, "ana")
    first = await ana.say(f"/start {code}")
    assert "You've joined *Everest Base Camp*" in first
    assert "Sat 20 Mar 2027" in first and "difficult" in first
    assert "leader will see" in first and "*leave batch*" in first
    assert "(1 of 4)" in first  # four questions, not six
    replies = [await ana.say(a) for a in BATCH_ANSWERS]
    assert "(2 of 4)" in replies[1] and "(3 of 4)" in replies[2] and "(4 of 4)" in replies[3]
    assert not any("When is the trek?" in r or "How hard is the trek?" in r for r in replies)
    assert "Here's what I understood" in replies[-1]
    user = await ana.row(store)
    assert user.profile is not None and user.state == "active"
    assert user.profile["trek_date"] == "2027-03-20" and user.profile["grade"] == "difficult"
    assert await batch_of(store, ana) == code


async def test_back_passes_over_the_questions_the_batch_answered(
    engine: Engine, store: Store, clock: FakeClock
) -> None:
    code = await make_batch(store)
    ana = Person(engine, clock, "ana")
    await ana.say(f"/start {code}")
    for answer in ("yes", "30"):
        await ana.say(answer)
    assert "How many days a week" in await ana.say("none")  # joints, then straight to days
    back = await ana.say("back")  # from the days question: the joints, not the grade
    assert "Any joint issues" in back
    assert "How many days a week" in await ana.say("none")


async def test_restart_mid_onboarding_keeps_the_batch_answers(
    engine: Engine, store: Store, clock: FakeClock
) -> None:
    code = await make_batch(store)
    ana = Person(engine, clock, "ana")
    await ana.say(f"/start {code}")
    await ana.say("yes")
    assert "(1 of 4)" in await ana.say("/restart")
    assert "Any joint issues" in await ana.say("no")
    assert "How many days a week" in await ana.say("none")


async def test_join_code_in_plain_words_on_whatsapp(engine: Engine, store: Store,
                                                    clock: FakeClock) -> None:
    code = await make_batch(store, "Kedarkantha", date(2027, 1, 20), "easy")
    bo = Person(engine, clock, "15551234567", channel="whatsapp")
    text = await bo.say(f"join {code.lower()}")
    assert "You've joined *Kedarkantha*" in text and "(1 of 4)" in text
    assert await batch_of(store, bo) == code


async def test_unknown_code_gets_a_clear_reply_and_normal_onboarding(
    engine: Engine, store: Store, clock: FakeClock
) -> None:
    ana = Person(engine, clock, "ana")
    text = await ana.say("/start NOPE-1234")
    assert "I don't know the batch code *NOPE-1234*" in text
    assert "(1 of 6)" in text  # onboarding starts as usual
    answers = [await ana.say(a) for a in ("yes", "30", "none")]
    assert "When is the trek?" in answers[-1]  # nothing preset
    assert await batch_of(store, ana) is None


async def test_a_batch_that_already_left_cannot_be_joined(engine: Engine, store: Store,
                                                          clock: FakeClock) -> None:
    code = await make_batch(store, "Autumn Trek", clock().date() + timedelta(days=3))
    clock.advance(timedelta(days=4))
    ana = Person(engine, clock, "ana")
    text = await ana.say(f"/start {code}")
    assert "already set off" in text and "(1 of 6)" in text
    assert await batch_of(store, ana) is None


async def test_leave_batch_stops_sharing_and_keeps_the_plan(engine: Engine, store: Store,
                                                            clock: FakeClock) -> None:
    code = await make_batch(store)
    ana = Person(engine, clock, "ana")
    await ana.say(f"/start {code}")
    for a in BATCH_ANSWERS:
        await ana.say(a)
    text = await ana.say("leave batch")
    assert "You've left *Everest Base Camp*" in text and "no longer sees" in text
    assert await batch_of(store, ana) is None
    assert (await ana.row(store)).profile["trek_date"] == "2027-03-20"
    assert "not in a batch" in await ana.say("leave batch")


async def test_joining_with_a_plan_moves_the_plan_to_the_batch(engine: Engine, store: Store,
                                                               clock: FakeClock) -> None:
    ana = Person(engine, clock, "ana")
    for a in ONBOARDING:
        await ana.say(a)
    assert (await ana.row(store)).profile["grade"] == "moderate"
    code = await make_batch(store)
    text = await ana.say(f"join {code}")
    assert "You've joined" in text and "Your plan now builds to that date" in text
    user = await ana.row(store)
    assert user.profile["trek_date"] == "2027-03-20" and user.profile["grade"] == "difficult"
    async with store.transaction() as tx:
        last = await tx.planned(user.id, date(2027, 3, 19))
    assert last is not None  # the stored plan now runs up to the batch's trek
    assert "already in" in await ana.say(f"join {code}")


async def test_delete_takes_the_trekker_out_of_the_batch(engine: Engine, store: Store,
                                                        clock: FakeClock) -> None:
    code = await make_batch(store)
    ana = Person(engine, clock, "ana")
    await ana.say(f"/start {code}")
    for a in BATCH_ANSWERS:
        await ana.say(a)
    await ana.say("/delete")
    await ana.say("yes")
    async with store.transaction() as tx:
        batch = await q.batch_by_code(tx, code)
        assert batch is not None
        assert await q.members(tx, batch.id) == []
        assert dict((b.code, n) for b, n in await q.batches_with_counts(tx))[code] == 0


async def test_leader_links_their_own_chat_with_the_leader_code(engine: Engine, store: Store,
                                                               clock: FakeClock) -> None:
    code = await make_batch(store)
    async with store.transaction() as tx:
        batch = await q.batch_by_code(tx, code)
        assert batch is not None
        leader = await q.leader_for(tx, "Asha")
        await q.give_batch(tx, leader.id, batch.id)
        chat_code = leader.chat_code
    asha = Person(engine, clock, "asha")
    assert "I don't know the leader code" in await asha.say("/leader L-WRONG")
    text = await asha.say(f"/leader {chat_code.lower()}")
    assert "Everest Base Camp" in text and "pain of 6 or more" in text
    async with store.transaction() as tx:
        [linked] = await q.linked_leaders(tx)
    assert (linked.chat_channel, linked.chat_key) == ("telegram", "asha")
