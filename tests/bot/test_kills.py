"""SIGKILL `trekbot run` at random points while it receives and handles Telegram updates
(long polling and webhook, SQLite and PostgreSQL), restart it, and find every update's
engine step in the database: nothing acknowledged is lost (issue 18), every reply arrives
(a row a killed process had claimed comes back when its outbox lease, 10 s here, ends) and
none goes out more than twice (issue 14)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.kill_support import Outcome, polling_run, webhook_run, whatsapp_run
from tests.conftest import _drop_pg_database, _pg_database
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.telegram_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
CHATS, PER_CHAT, KILLS = 12, 5, 3  # 60 messages


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    url = await _pg_database()
    yield url
    await _drop_pg_database(url)



def _nothing_lost(out: Outcome) -> None:
    assert out.unprocessed == [] and out.not_done == 0
    assert out.replies_lost() == 0  # every reply arrives (the outbox, issue 14)
    assert out.replies_beyond(2) == 0  # and none more than twice

async def test_polling_loses_no_update_to_sigkills(api: FakeBotApi, db_url: str,
                                                   tmp_path: Path) -> None:
    out = await polling_run(api, db_url, tmp_path, chats=CHATS, per_chat=PER_CHAT,
                            kills=KILLS, seed=18)
    assert out.kills == KILLS and len(out.updates) == CHATS * PER_CHAT
    _nothing_lost(out)


async def test_the_webhook_loses_no_update_to_sigkills(api: FakeBotApi, db_url: str,
                                                       tmp_path: Path) -> None:
    out = await webhook_run(api, db_url, tmp_path, chats=CHATS, per_chat=PER_CHAT,
                            kills=KILLS, seed=14)
    assert out.kills == KILLS and len(out.updates) == CHATS * PER_CHAT
    _nothing_lost(out)


async def test_the_whatsapp_webhook_loses_no_message_to_sigkills(
        graph: FakeGraphAPI, db_url: str, tmp_path: Path) -> None:
    # Three each: WhatsApp paces a fourth reply to one person by seconds.
    out = await whatsapp_run(graph, db_url, tmp_path, chats=20, per_chat=3, kills=KILLS,
                             seed=21)
    assert out.kills == KILLS and len(out.updates) == 60
    _nothing_lost(out)
