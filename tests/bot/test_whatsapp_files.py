"""Files on WhatsApp: a signed webhook with a document or image, the media fetched through the
fake Graph API (media URL, then an authorised download), logged once; friendly replies."""

from __future__ import annotations

import copy
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.clock import FakeClock
from storage import Store
from tests.activity_samples import fit_activity, gpx_track
from tests.bot.whatsapp_harness import TOKEN, USER, Harness, make_channel, payload, web_client
from tests.conversations.daily_support import profile
from tests.fakes.graph_api import FakeGraphAPI

SAT_EVENING = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)
_ids = itertools.count(1)


@pytest.fixture
async def wa(store: Store, clock: FakeClock, graph: FakeGraphAPI) -> AsyncIterator[Harness]:
    async with store.transaction() as tx:
        user = await tx.get_or_create_user("whatsapp", USER)
        user.profile = profile()
        user.state, user.status, user.timezone = "active", "active", "Europe/Berlin"
        user.reminder_minutes = 7 * 60
    clock.advance_to(SAT_EVENING)
    channel = make_channel(store, clock, graph)
    async with web_client(channel) as web:
        yield Harness(channel, graph, clock, web)
    await channel.stop()


def media_message(kind: str, media: dict[str, Any], clock: FakeClock) -> dict[str, Any]:
    data = copy.deepcopy(payload("text", clock))
    msg = data["entry"][0]["changes"][0]["value"]["messages"][0]
    msg.pop("text")
    msg.update({"id": f"wamid.FILE{next(_ids)}", "type": kind, kind: media})
    return data


def replies(wa: Harness) -> list[str]:
    return [s.body["text"]["body"] for s in wa.graph.successful if s.body.get("type") == "text"]


async def logs(store: Store) -> list[Any]:
    async with store.transaction() as tx:
        user = await tx.user("whatsapp", USER)
        assert user is not None
        return list(await tx.logs(user.id))


async def test_a_fit_document_is_fetched_and_logged_once(wa: Harness, store: Store) -> None:
    ride = fit_activity("cycling", start=datetime(2026, 12, 5, 9, 0, tzinfo=UTC))
    media_id = wa.graph.add_media(ride, "application/octet-stream")
    doc = {"filename": "Lunch_Ride.fit", "mime_type": "application/octet-stream",
           "sha256": "x", "id": media_id}
    await wa.deliver(media_message("document", doc, wa.clock))
    assert replies(wa)[-1].startswith("Logged for Sat 5 Dec: ride, 3.6 km, +60 m, 10 min")
    assert wa.graph.downloads == [media_id]
    await wa.deliver(media_message("document", doc, wa.clock))  # sent again: a new wamid
    assert "already have that file" in replies(wa)[-1]
    assert [(r.source, r.activity) for r in await logs(store)] == [("file", "ride")]
    assert TOKEN not in "".join(replies(wa))


async def test_images_other_documents_and_broken_files(wa: Harness, store: Store) -> None:
    image = {"mime_type": "image/jpeg", "sha256": "x",
             "id": wa.graph.add_media(b"\xff\xd8", "image/jpeg")}
    await wa.deliver(media_message("image", image, wa.clock))
    assert "can't read pictures" in replies(wa)[-1]
    await wa.deliver(media_message("image", {**image, "caption": "done 45 min"}, wa.clock))
    assert "45 min" in replies(wa)[-1]
    pdf = {"filename": "booking.pdf", "mime_type": "application/pdf", "sha256": "x",
           "id": wa.graph.add_media(b"%PDF", "application/pdf")}
    await wa.deliver(media_message("document", pdf, wa.clock))
    assert "only read GPX and FIT" in replies(wa)[-1]
    cut = gpx_track(300)[:500]
    broken = {"filename": "walk.gpx", "mime_type": "application/gpx+xml", "sha256": "x",
              "id": wa.graph.add_media(cut, "application/gpx+xml")}
    await wa.deliver(media_message("document", broken, wa.clock))
    assert "damaged or cut short" in replies(wa)[-1]
    gone = {**broken, "id": "in-missing"}  # the media expired: a clear reply, no traceback
    await wa.deliver(media_message("document", gone, wa.clock))
    assert "couldn't download" in replies(wa)[-1]
    assert wa.graph.downloads == [broken["id"]]  # images and the PDF were never fetched
    assert [(r.minutes, r.source) for r in await logs(store)] == [(45, "chat")]
