"""Files on Telegram over real HTTP: a GPX document downloaded through the fake Bot API
(getFile, then the file URL) and logged once; a photo, a caption, a file too large."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from storage import Store
from tests.activity_samples import gpx_track
from tests.bot.test_telegram_conversation import ANA, Chat, chat, text_of
from tests.conversations.daily_support import profile

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
__all__ = ["chat"]  # the fixture, shared with the conversation test

SAT_EVENING = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)


async def ready(store: Store, clock: FakeClock) -> int:
    async with store.transaction() as tx:
        user = await tx.get_or_create_user("telegram", str(ANA))
        user.profile = profile()
        user.state, user.status, user.timezone = "active", "active", "Europe/Berlin"
        user.reminder_minutes = 7 * 60
        await tx.session.flush()
        uid = user.id
    clock.advance_to(SAT_EVENING)
    return uid


async def answer(chat: Chat, push) -> str:  # type: ignore[no-untyped-def]
    before = len(chat.api.sent(ANA))
    await push
    return text_of(await chat._answered(before))


async def test_a_gpx_document_is_downloaded_and_logged_once(
        chat: Chat, store: Store, clock: FakeClock) -> None:
    uid = await ready(store, clock)
    walk = gpx_track(1201, start=datetime(2026, 12, 5, 7, 30, tzinfo=UTC), step_s=5,
                     climb_per_point=0.35, metres_per_point=6200 / 1200)
    reply = await answer(chat, chat.api.send_document(ANA, walk, "Morning_Walk.gpx",
                                                      "application/gpx+xml"))
    assert "Logged for Sat 5 Dec: hike, 6.2 km, +420 m, 1 h 40" in reply
    assert [c.params["file_id"] for c in chat.api.called("getFile")] == ["file1"]
    assert chat.api.downloads == ["documents/file1_Morning_Walk.gpx"]
    again = await answer(chat, chat.api.send_document(ANA, walk, "walk (1).gpx",
                                                      "application/gpx+xml"))
    assert "already have that file" in again
    async with store.transaction() as tx:
        rows = await tx.logs(uid)
    assert [(r.source, r.distance_km, r.climb_m) for r in rows] == [("file", 6.21, 420)]


async def test_photos_captions_and_big_files(
        chat: Chat, store: Store, clock: FakeClock) -> None:
    uid = await ready(store, clock)
    photo = await answer(chat, chat.api.send_photo(ANA))
    assert "can't read pictures" in photo
    captioned = await answer(chat, chat.api.send_photo(ANA, caption="done 40 min"))
    assert "40 min" in captioned and "Logged" in captioned
    big = await answer(chat, chat.api.send_document(ANA, b"<gpx", "big.gpx",
                                                    "application/gpx+xml", size=30_000_000))
    assert "over 8 MB" in big
    broken = await answer(chat, chat.api.send_document(ANA, b"\x00" * 40, "watch.fit",
                                                       "application/octet-stream"))
    assert "damaged or cut short" in broken
    assert chat.api.downloads == ["documents/file4_watch.fit"]  # never the photos or big.gpx
    async with store.transaction() as tx:
        rows = await tx.logs(uid)
    assert [(r.minutes, r.source) for r in rows] == [(40, "chat")]
