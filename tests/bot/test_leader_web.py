"""The leader's page over real HTTP: sign-in links (one-time, expiring), the signed cookie,
a leader's own batches only (403), the table and its CSV, privacy, and a broadcast sent
once per trekker through the channels' senders."""

from __future__ import annotations

import csv
import io
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from bot.clock import FakeClock
from bot.leader_auth import COOKIE, invite
from bot.leader_outbox import LeaderOutbox
from bot.leader_web import LeaderSite
from bot.web import WebServer, build_app
from conversations.engine import Engine
from conversations.plans import history_of
from conversations.profile import to_planner
from planner import Readiness, readiness
from storage import Store
from tests.batch_support import NOTE_WORD, PHONE, WALK_MINUTES, Recorder, seed_batches


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Site:
    url: str
    store: Store
    clock: FakeClock
    codes: dict[str, str]
    outbox: LeaderOutbox
    channels: dict[str, Recorder]

    async def link(self, leader: str, batch: str, hours: float = 24) -> str:
        found = await invite(self.store, leader, self.codes[batch], self.clock(),
                             timedelta(hours=hours))
        assert found is not None
        return f"{self.url}/leader/signin/{found[0]}"

    async def signed_in(self, leader: str = "Asha", batch: str = "everest"
                        ) -> httpx.AsyncClient:
        client = httpx.AsyncClient(base_url=self.url)
        link = await self.link(leader, batch)
        response = await client.post(link)
        assert response.status_code == 303 and response.headers["location"] == "/leader"
        return client


@pytest.fixture
async def site(store: Store, engine: Engine, clock: FakeClock) -> AsyncIterator[Site]:
    codes = await seed_batches(store, engine, clock)
    channels = {"telegram": Recorder("telegram"), "whatsapp": Recorder("whatsapp")}
    port = free_port()
    web = WebServer(build_app(LeaderSite(store, clock).routes()), "127.0.0.1", port)
    await web.start()
    yield Site(f"http://127.0.0.1:{port}", store, clock, codes,
               LeaderOutbox(store, clock, channels), channels)
    await web.stop()


async def planner_readiness(site: Site, key: str) -> Readiness:
    """The planner's own figure for a trekker, to compare the page with."""
    async with site.store.transaction() as tx:
        user = await tx.user("telegram", key)
        assert user is not None and user.profile is not None
        rows = await tx.logs(user.id)
        return readiness(to_planner(dict(user.profile)), history_of(rows), site.clock().date())


async def test_without_a_session_the_page_shows_no_trekker_data(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.url) as client:
        for path in ("/leader", f"/leader/batches/{site.codes['everest']}",
                     f"/leader/batches/{site.codes['everest']}/trekkers.csv"):
            response = await client.get(path)
            assert response.status_code == 401, path
            assert "Ana" not in response.text and "sign-in link" in response.text


async def test_a_forged_or_tampered_cookie_is_refused(site: Site) -> None:
    client = await site.signed_in()
    good = client.cookies[COOKIE]
    payload, _, signature = good.rpartition(".")
    forged = {"trekbot_leader": payload + "." + ("A" if signature[0] != "A" else "B")
              + signature[1:]}
    async with httpx.AsyncClient(base_url=site.url) as other:
        for cookie in (forged, {COOKIE: "eyJsZWFkZXIiOjF9.bogus.sig"}, {COOKIE: ""}):
            other.cookies.clear()
            other.cookies.update(cookie)
            response = await other.get("/leader")
            assert response.status_code == 401 and "Ana" not in response.text
    await client.aclose()


async def test_sign_in_sets_an_httponly_samesite_cookie_and_the_link_works_once(
    site: Site
) -> None:
    link = await site.link("Asha", "everest")
    async with httpx.AsyncClient() as client:
        page = await client.get(link)  # a link preview spends nothing
        assert page.status_code == 200 and "Sign in" in page.text
        response = await client.post(link)
        assert response.status_code == 303 and response.headers["location"] == "/leader"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
        home = await client.get(f"{site.url}/leader")
        assert home.status_code == 200 and "Everest Base Camp" in home.text
    async with httpx.AsyncClient() as again:
        assert (await again.get(link)).status_code == 403
        reused = await again.post(link)
        assert reused.status_code == 403 and "used already or has expired" in reused.text
        assert COOKIE not in again.cookies


async def test_an_expired_link_is_refused(site: Site) -> None:
    link = await site.link("Asha", "everest", hours=24)
    site.clock.advance(timedelta(hours=24, seconds=1))
    async with httpx.AsyncClient() as client:
        response = await client.post(link)
    assert response.status_code == 403 and COOKIE not in response.headers.get("set-cookie", "")
    async with httpx.AsyncClient() as client:
        assert (await client.post("http://" + link.split("://")[1] + "x")).status_code == 403


async def test_another_leaders_batch_is_403(site: Site) -> None:
    client = await site.signed_in("Asha", "everest")
    other = site.codes["annapurna"]
    home = await client.get("/leader")
    assert "Annapurna" not in home.text and "Dee" not in home.text
    assert (await client.get(f"/leader/batches/{other}")).status_code == 403
    assert (await client.get(f"/leader/batches/{other}/trekkers.csv")).status_code == 403
    post = await client.post(f"/leader/batches/{other}/broadcast", data={"text": "hi"})
    assert post.status_code == 403
    assert (await client.get("/leader/batches/NOPE-0000")).status_code == 403
    await client.aclose()


async def test_the_table_shows_readiness_walks_activity_and_flags(site: Site) -> None:
    client = await site.signed_in()
    page = (await client.get("/leader")).text
    assert "departs in 52 days" in page and "3 trekkers" in page
    ana = re.search(r"<tr>\s*<td class=\"name\"[^>]*>Ana</td>(.*?)</tr>", page, re.S)
    assert ana, page
    row = ana.group(1)
    assert f"{WALK_MINUTES} min" in row and "today" in row and "pain 7/10" in row
    expected = await planner_readiness(site, "ana")
    assert f'Readiness"><span>{expected.score}<' in row
    assert f'Done / planned">{expected.sessions_done} / {expected.sessions_planned}<' in row
    assert expected.sessions_done >= 1 and expected.longest_walk_minutes == WALK_MINUTES
    quiet = re.search(r"<td class=\"name\"[^>]*>Trekker \d+</td>(.*?)</tr>", page, re.S)
    assert quiet and "inactive 8 days" in quiet.group(1)
    assert "setting up" in page  # Cy has not finished the questions
    await client.aclose()


async def test_the_page_never_shows_notes_or_phone_numbers(site: Site) -> None:
    client = await site.signed_in()
    code = site.codes["everest"]
    for path in ("/leader", f"/leader/batches/{code}", f"/leader/batches/{code}/trekkers.csv"):
        body = (await client.get(path)).text
        assert NOTE_WORD not in body and PHONE not in body, path
    await client.aclose()


async def test_sorting_by_readiness(site: Site) -> None:
    client = await site.signed_in()
    names = re.findall(r'<td class="name"[^>]*>([^<]+)</td>',
                       (await client.get("/leader?sort=readiness&dir=desc")).text)
    assert names[0] == "Ana" and names[-1] == "Cy"  # Cy has no score yet
    by_name = re.findall(r'<td class="name"[^>]*>([^<]+)</td>',
                         (await client.get("/leader?sort=name")).text)
    assert by_name == sorted(by_name, key=str.lower)
    await client.aclose()


async def test_csv_download_of_the_same_table(site: Site) -> None:
    client = await site.signed_in()
    response = await client.get(f"/leader/batches/{site.codes['everest']}/trekkers.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    ana = next(r for r in rows if r["trekker"] == "Ana")
    assert ana["longest_loaded_walk_min"] == str(WALK_MINUTES) and "pain 7/10" in ana["flags"]
    expected = await planner_readiness(site, "ana")
    assert ana["sessions_done"] == str(expected.sessions_done)
    assert ana["readiness"] == str(expected.score)
    assert len(rows) == 3
    await client.aclose()


async def test_a_broadcast_reaches_each_trekker_once_through_the_senders(site: Site) -> None:
    client = await site.signed_in()
    code = site.codes["everest"]
    page = (await client.get(f"/leader/batches/{code}")).text
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = {"text": "Kit check on Saturday at 9:00.", "token": token, "nonce": nonce}
    first = await client.post(f"/leader/batches/{code}/broadcast", data=form)
    assert first.status_code == 303 and first.headers["location"].endswith("?sent=3")
    twice = await client.post(f"/leader/batches/{code}/broadcast", data=form)  # double click
    assert twice.headers["location"].endswith("?sent=again")
    site.channels["telegram"].blocked.add("cy")  # Cy blocked the bot
    report = await site.outbox.tick()
    assert report.sent == 2 and report.failed == 1
    assert (await site.outbox.tick()).sent == 0  # nothing twice
    tg, wa = site.channels["telegram"].sent, site.channels["whatsapp"].sent
    assert [key for key, _, _ in tg] == ["ana"] and [key for key, _, _ in wa] == [PHONE]
    for _, messages, scheduled in tg + wa:
        assert scheduled  # the prompts' path: on WhatsApp, the template outside 24 hours
        assert "Kit check on Saturday at 9:00." in messages[0].text
        assert "Everest Base Camp" in messages[0].text
    assert "Dee" not in str(tg)
    shown = (await client.get(f"/leader/batches/{code}")).text
    assert "2 delivered" in shown and "1 could not be delivered" in shown
    await client.aclose()


async def test_a_broadcast_needs_the_pages_form_token(site: Site) -> None:
    client = await site.signed_in()
    code = site.codes["everest"]
    response = await client.post(f"/leader/batches/{code}/broadcast",
                                 data={"text": "hello", "token": "forged"})
    assert response.status_code == 403
    page = (await client.get(f"/leader/batches/{code}")).text
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    empty = await client.post(f"/leader/batches/{code}/broadcast",
                              data={"text": "   ", "token": token})
    assert empty.headers["location"].endswith("?error=length")
    assert (await site.outbox.tick()).sent == 0
    await client.aclose()
