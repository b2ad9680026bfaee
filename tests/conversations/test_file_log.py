"""Activity files through the engine: the right local day, planned or extra, once only, and
friendly replies for bad files, photos, other documents and captions."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.messages import FileTooLarge, Incoming, IncomingFile, Kind, Outgoing
from storage import Store
from tests.activity_samples import fit_activity, gpx_track
from tests.conversations.daily_support import logs, onboarded

SAT_EVENING = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)  # Sat 5 Dec: a planned backpack walk
_ids = itertools.count(1)


def hike() -> bytes:
    """6.2 km, +420 m, 1 h 40, starting Sat 5 Dec 08:30 in Berlin."""
    return gpx_track(1201, start=datetime(2026, 12, 5, 7, 30, tzinfo=UTC), step_s=5,
                     climb_per_point=0.35, metres_per_point=6200 / 1200, kind="hiking")


class Sender:
    """Sends files as one terminal user; counts the downloads."""

    def __init__(self, engine: Engine, clock: FakeClock) -> None:
        self.engine, self.clock, self.fetched = engine, clock, 0

    async def send(self, data: bytes, name: str = "walk.gpx", mime: str = "application/gpx+xml",
                   caption: str = "", kind: Kind = Kind.DOCUMENT, size: int | None = None
                   ) -> list[Outgoing]:
        async def fetch(limit: int) -> bytes:
            self.fetched += 1
            if len(data) > limit:
                raise FileTooLarge(name)
            return data

        file = IncomingFile(name, mime, len(data) if size is None else size, fetch)
        return await self.engine.handle(Incoming("terminal", "ann", self.clock(), caption,
                                                 message_id=f"f{next(_ids)}", kind=kind,
                                                 file=file))


async def test_a_gpx_hike_is_logged_as_the_planned_walk_once(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(SAT_EVENING)
    me = Sender(engine, clock)
    out = await me.send(hike())
    first = out[0].text.splitlines()
    assert first[0] == "Logged for Sat 5 Dec: hike, 6.2 km, +420 m, 1 h 40, 4 kg pack"
    assert "planned backpack walk" in first[1]
    [row] = await logs(store, uid)
    assert (row.day.isoformat(), row.session_type, row.minutes) == (
        "2026-12-05", "backpack_walk", 100)
    assert (row.distance_km, row.climb_m, row.pack_kg, row.source) == (6.21, 420, 4.0, "file")
    again = await me.send(hike(), name="same-walk-renamed.gpx")
    assert "already have that file" in again[0].text
    assert len(await logs(store, uid)) == 1


async def test_the_start_time_picks_the_local_day(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store, zone="Asia/Kolkata")
    clock.advance_to(datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    # 20:00 UTC on Fri 4 Dec is 01:30 on Sat 5 Dec in India
    late = gpx_track(200, start=datetime(2026, 12, 4, 20, 0, tzinfo=UTC), kind="hiking")
    out = await Sender(engine, clock).send(late)
    assert out[0].text.startswith("Logged for Sat 5 Dec: hike")
    assert [r.day.isoformat() for r in await logs(store, uid)] == ["2026-12-05"]


async def test_a_fit_ride_on_a_walk_day_is_an_extra(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(SAT_EVENING)
    out = await Sender(engine, clock).send(fit_activity("cycling"), "ride.fit",
                                           "application/octet-stream")
    assert out[0].text.startswith("Logged for Sat 5 Dec: ride, 3.6 km, +60 m, 10 min")
    assert "extra" in out[0].text
    [row] = await logs(store, uid)
    assert row.session_type is None and row.activity == "ride"


async def test_a_typed_done_is_completed_by_the_file(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(SAT_EVENING)
    await engine.handle(Incoming("terminal", "ann", clock(), "done", message_id="typed"))
    out = await Sender(engine, clock).send(hike())
    assert "Added the file's figures" in out[0].text
    [row] = await logs(store, uid)
    assert (row.minutes, row.distance_km, row.source) == (100, 6.21, "file")


async def test_bad_files_get_a_clear_reply_and_log_nothing(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(SAT_EVENING)
    me = Sender(engine, clock)
    broken = (await me.send(fit_activity()[:40], "ride.fit"))[0].text
    assert "damaged or cut short" in broken
    empty = (await me.send(gpx_track(1), "empty.gpx"))[0].text
    assert "no track" in empty
    fetched = me.fetched
    big = (await me.send(b"", "huge.gpx", size=50_000_000))[0].text
    assert "over 8 MB" in big and me.fetched == fetched  # never downloaded
    unsized = (await me.send(b"<gpx" + b" " * 9_000_000, "huge.gpx", size=0))[0].text
    assert "over 8 MB" in unsized  # the size only known at the download
    not_activity = (await me.send(b"%PDF-1.7", "plan.gpx"))[0].text
    assert "damaged" in not_activity
    assert await logs(store, uid) == []


async def test_photos_and_other_documents_get_a_friendly_reply(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(SAT_EVENING)
    me = Sender(engine, clock)
    photo = await me.send(b"\xff\xd8jpeg", "photo.jpg", "image/jpeg", kind=Kind.PHOTO)
    assert "can't read pictures" in photo[0].text
    pdf = await me.send(b"%PDF-1.7", "ticket.pdf", "application/pdf")
    assert "only read GPX and FIT" in pdf[0].text
    assert me.fetched == 0 and await logs(store, uid) == []


async def test_a_caption_is_handled_as_text(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(SAT_EVENING)
    out = await Sender(engine, clock).send(b"\xff\xd8jpeg", "summit.jpg", "image/jpeg",
                                           caption="done 40 min", kind=Kind.PHOTO)
    assert "40 min" in out[0].text
    [row] = await logs(store, uid)
    assert row.minutes == 40 and row.source == "chat"


async def test_a_file_before_the_plan_exists_waits(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    clock.advance_to(SAT_EVENING)
    await engine.handle(Incoming("terminal", "ann", clock(), "hi", message_id="hello"))
    out = await Sender(engine, clock).send(hike())
    assert "finish the questions" in out[0].text


async def test_a_file_of_another_kind_leaves_the_days_session_to_a_done(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    """A ride and a swim on a walk day are extras; the "done" after them is the walk."""
    uid = await onboarded(store)
    clock.advance_to(SAT_EVENING)
    me = Sender(engine, clock)
    ride = (await me.send(fit_activity("cycling"), "ride.fit"))[0].text
    assert "extra" in ride and "planned backpack walk is still open" in ride
    assert "0 of 4 planned sessions done, plus 1 extra" in ride
    swim = (await me.send(fit_activity("swimming", start=datetime(2026, 12, 5, 9, 0, tzinfo=UTC)),
                          "swim.fit"))[0].text
    assert swim.startswith("Logged for Sat 5 Dec: swim") and "extra" in swim
    today = "\n".join(o.text for o in await engine.handle(
        Incoming("terminal", "ann", clock(), "today", message_id="today")))
    assert "Backpack walk" in today and "Already done" not in today
    done = "\n".join(o.text for o in await engine.handle(
        Incoming("terminal", "ann", clock(), "done", message_id="done")))
    assert "already logged" not in done and "Backpack walk" in done
    assert "1 of 4 planned sessions done" in done
    rows = await logs(store, uid)
    assert sorted((r.session_type or "", r.activity or "") for r in rows) == [
        ("", "ride"), ("", "swim"), ("backpack_walk", "walk")]
    again = "\n".join(o.text for o in await engine.handle(
        Incoming("terminal", "ann", clock(), "done", message_id="done-again")))
    assert "already logged as done" in again and len(await logs(store, uid)) == 3
