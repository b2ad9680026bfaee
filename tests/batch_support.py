"""Helpers for the batch tests: a batch in the store, a person talking to the engine."""

from __future__ import annotations

from datetime import date
from itertools import count

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.messages import Incoming, Outgoing
from storage import Store, User
from storage import batches as q

_ids = count(1)

# Onboarding answers without the trek date and grade (a batch sets those).
BATCH_ANSWERS = ["yes", "30", "none", "4", "7:00", "Berlin"]


async def make_batch(store: Store, name: str = "Everest Base Camp",
                     trek: date = date(2027, 3, 20), grade: str = "difficult") -> str:
    async with store.transaction() as tx:
        return (await q.create_batch(tx, name, trek, grade)).code


class Person:
    """Someone on one channel; `say` returns the replies' texts joined."""

    def __init__(self, engine: Engine, clock: FakeClock, key: str, channel: str = "telegram",
                 name: str | None = None) -> None:
        self.engine, self.clock, self.key, self.channel, self.name = (
            engine, clock, key, channel, name)

    async def send(self, text: str) -> list[Outgoing]:
        return await self.engine.handle(Incoming(
            channel=self.channel, user_key=self.key, at=self.clock(), text=text,
            message_id=f"{self.key}-{next(_ids)}", display_name=self.name))

    async def say(self, text: str) -> str:
        return "\n".join(o.text for o in await self.send(text))

    async def row(self, store: Store) -> User:
        async with store.transaction() as tx:
            user = await tx.user(self.channel, self.key)
            assert user is not None
            return user


WALK_MINUTES = 95
NOTE_WORD = "zebracrossing"  # in a logged message: must never reach the leader's page
PHONE = "15551234567"  # a WhatsApp user's key is their phone number


async def seed_batches(store: Store, engine: Engine, clock: FakeClock) -> dict[str, str]:
    """Two batches, two leaders. Everest (Asha's): Ana with training, a loaded walk and pain
    7 today; a WhatsApp trekker with no name, quiet for 8 days; Cy still onboarding.
    Annapurna (Ravi's): Dee. Returns the codes."""
    from datetime import timedelta

    from storage import LoggedSession

    everest = await make_batch(store, "Everest Base Camp", clock().date() + timedelta(days=60))
    annapurna = await make_batch(store, "Annapurna Circuit", clock().date() + timedelta(days=90),
                                 "moderate")
    # Fixed codes, so the screenshots the browser test takes only change when the page does.
    fixed = {everest: "EVEREST-7KQ2", annapurna: "ANNAPURNA-4HD9"}
    async with store.transaction() as tx:
        for drawn, code in fixed.items():
            batch = await q.batch_by_code(tx, drawn)
            assert batch is not None
            batch.code = code
    everest, annapurna = fixed[everest], fixed[annapurna]
    ana = Person(engine, clock, "ana", name="Ana")
    wa = Person(engine, clock, PHONE, channel="whatsapp")
    dee = Person(engine, clock, "dee", name="Dee")
    for person, code in ((ana, everest), (wa, everest), (dee, annapurna)):
        await person.say(f"/start {code}" if person.channel != "whatsapp" else f"join {code}")
        for answer in BATCH_ANSWERS:
            await person.say(answer)
    await Person(engine, clock, "cy", name="Cy").say(f"/start {everest}")
    start = clock().date()
    clock.advance(timedelta(days=8))
    user = await ana.row(store)
    async with store.transaction() as tx:
        for after in (1, 3, 5):
            await tx.add_log(LoggedSession(
                user_id=user.id, day=start + timedelta(days=after), kind="done",
                session_type="backpack_walk" if after == 3 else "zone2_run",
                minutes=WALK_MINUTES if after == 3 else 30, note=f"felt fine {NOTE_WORD}"))
    await ana.say("done 30 min")
    await ana.say(f"my knee hurts 7/10 near the {NOTE_WORD}")
    return {"everest": everest, "annapurna": annapurna}


class Recorder:
    """A channel that records what it is asked to send."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[tuple[str, list[Outgoing], bool]] = []
        self.blocked: set[str] = set()  # keys whose sends raise UserBlocked

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        from bot.channels import UserBlocked

        if user_key in self.blocked:
            raise UserBlocked(user_key)
        self.sent.append((user_key, messages, scheduled))
