"""The leader's page in a real browser: headless Chromium (Debian's) driven by Playwright.
Sign in by link, see the trekkers and their flags, send a broadcast; the screenshot it
takes is the one in the README (docs/leader.png)."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from bot.clock import FakeClock
from bot.leader_auth import invite
from bot.leader_outbox import LeaderOutbox
from bot.leader_web import LeaderSite
from bot.web import WebServer, build_app
from conversations.engine import Engine
from storage import Store
from tests.batch_support import Recorder, seed_batches

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
DOCS = Path(__file__).resolve().parents[2] / "docs"
SCREENSHOT, PHONE_SHOT = DOCS / "leader.png", DOCS / "leader-phone.png"
HAVE_CHROMIUM = CHROMIUM.exists()
DOCS.mkdir(exist_ok=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_leader_signs_in_sees_flags_and_sends_a_broadcast(
    store: Store, engine: Engine, clock: FakeClock
) -> None:
    if not HAVE_CHROMIUM:  # never a skip: CI installs it (.ci/run)
        pytest.fail("the browser test needs Debian's chromium: apt-get install -y chromium")
    codes = await seed_batches(store, engine, clock)
    telegram, whatsapp = Recorder("telegram"), Recorder("whatsapp")
    outbox = LeaderOutbox(store, clock, {"telegram": telegram, "whatsapp": whatsapp})
    port = free_port()
    web = WebServer(build_app(LeaderSite(store, clock).routes()), "127.0.0.1", port)
    await web.start()
    found = await invite(store, "Asha", codes["everest"], clock(), timedelta(hours=24))
    assert found is not None
    link = f"http://127.0.0.1:{port}/leader/signin/{found[0]}"
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = await browser.new_page(viewport={"width": 1040, "height": 620})
            await page.goto(link)
            await page.get_by_role("button", name="Sign in").click()
            await page.wait_for_url(f"http://127.0.0.1:{port}/leader")
            assert await page.locator("h2").first.inner_text() == "Everest Base Camp"
            ana = page.locator("tr", has=page.locator("td.name", has_text="Ana"))
            await ana.locator(".flag.pain").wait_for()
            assert await ana.locator(".flag.pain").inner_text() == "pain 7/10"
            quiet = page.locator("tr", has=page.locator("td.name", has_text="Trekker"))
            assert "inactive 8 days" in await quiet.locator(".flag").first.inner_text()
            assert await page.locator("text=Annapurna").count() == 0
            # sort by readiness by clicking the column heading: highest first, then lowest
            await page.get_by_role("link", name="Readiness").first.click()
            await page.wait_for_url("**/leader?sort=readiness&dir=desc")
            assert (await page.locator("td.name").first.inner_text()) == "Ana"
            await page.get_by_role("link", name="Readiness").first.click()
            await page.wait_for_url("**/leader?sort=readiness&dir=asc")
            assert (await page.locator("td.name").first.inner_text()) == "Cy"
            await page.get_by_label("Message to everyone in Everest Base Camp").fill(
                "Kit check on Saturday at 9:00 at the office. Bring your boots!")
            await page.get_by_role("button", name="Send to the batch").click()
            await page.get_by_role("status").wait_for()
            assert "Message queued for 3 trekkers" in await page.get_by_role("status").inner_text()
            report = await outbox.tick()
            assert report.sent == 3
            await page.reload()
            assert "3 delivered" in await page.content()
            await page.screenshot(path=str(SCREENSHOT), full_page=True)
            phone = await browser.new_page(viewport={"width": 390, "height": 844})
            await phone.context.add_cookies(await page.context.cookies())
            await phone.goto(f"http://127.0.0.1:{port}/leader")
            assert not await phone.locator("thead").is_visible()  # rows become cards
            card = phone.locator("tr", has=phone.locator("td.name", has_text="Ana"))
            assert (await card.bounding_box() or {"width": 999})["width"] <= 390
            await phone.screenshot(path=str(PHONE_SHOT), full_page=True)
            await browser.close()
    finally:
        await web.stop()
    sent = [m[0].text for _, m, _ in telegram.sent + whatsapp.sent]
    assert len(sent) == 3 and all("Kit check on Saturday" in t for t in sent)
