"""The calendar feed over real HTTP: the right secret gets the .ics, a wrong one nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
from icalendar import Calendar

from bot.clock import FakeClock
from bot.feed import feed_routes
from bot.web import WebServer, build_app
from conversations.feed import feed_path
from storage import Store
from tests.conversations.daily_support import onboarded

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def test_the_feed_serves_the_calendar_only_with_the_secret(store: Store) -> None:
    clock = FakeClock(NOW)
    uid = await onboarded(store, trek_date="2027-01-20")
    other = await onboarded(store, key="bob")
    async with store.transaction() as tx:
        user = await tx.user_by_id(uid)
        assert user is not None
        path = feed_path(tx, user)
        assert feed_path(tx, user) == path  # made once, then stable
        bob = await tx.user_by_id(other)
        assert bob is not None
        bob_path = feed_path(tx, bob)
    web = WebServer(build_app(feed_routes(store, clock)), "127.0.0.1", 0)
    await web.start()
    base = f"http://127.0.0.1:{web.server.servers[0].sockets[0].getsockname()[1]}"
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            ok = await http.get(path)
            assert ok.status_code == 200
            assert ok.headers["content-type"].startswith("text/calendar")
            events = Calendar.from_ical(ok.content).walk("VEVENT")
            days = sorted(e.decoded("dtstart") for e in events)
            assert days[0] >= date(2026, 12, 2) and days[-1] == date(2027, 1, 20)
            secret = path.rsplit("/", 1)[1].removesuffix(".ics")
            bob_secret = bob_path.rsplit("/", 1)[1].removesuffix(".ics")
            other = "y" if secret.endswith("x") else "x"  # a last character that differs
            for wrong in (f"/calendar/{uid}/{secret[:-1]}{other}.ics",
                          f"/calendar/{uid}/{bob_secret}.ics",  # someone else's secret
                          f"/calendar/{uid + 99}/{secret}.ics",
                          f"/calendar/{uid}/.ics"):
                refused = await http.get(wrong)
                assert refused.status_code == 404 and b"VEVENT" not in refused.content
            clock.advance(timedelta(days=3))  # calendars refresh: the past drops out
            later = Calendar.from_ical((await http.get(path)).content).walk("VEVENT")
            assert min(e.decoded("dtstart") for e in later) >= date(2026, 12, 5)
    finally:
        await web.stop()


async def test_export_offers_the_feed_link_when_the_server_has_an_address(
        store: Store) -> None:
    from conversations.engine import Engine
    from conversations.messages import Incoming

    clock = FakeClock(NOW)
    uid = await onboarded(store, trek_date="2027-01-20")
    plain = Engine(store, clock)
    out = await plain.handle(Incoming("terminal", "ann", NOW, "/export", message_id="e1"))
    assert "/calendar/" not in out[0].text  # no web server address: no link
    served = Engine(store, clock, public_url="https://trek.example.org")
    out = await served.handle(Incoming("terminal", "ann", NOW, "/export", message_id="e2"))
    link = next(w for w in out[0].text.split() if "/calendar/" in w)
    async with store.transaction() as tx:
        user = await tx.user_by_id(uid)
        assert user is not None and user.feed_secret
    assert link == f"https://trek.example.org/calendar/{uid}/{user.feed_secret}.ics"
    again = await served.handle(Incoming("terminal", "ann", NOW, "export", message_id="e3"))
    assert link in again[0].text  # the same link every time
