"""`trekbot backup PATH` as an operator runs it: a consistent SQLite copy while the bot has the
database open (VACUUM INTO), and one clear line when it cannot."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.messages import Incoming
from storage import Store
from tests.bot.test_batch_cli import trekbot


def users_in(path: Path) -> list[tuple[str, str]]:
    """(user, conversation state) rows; none when the file has no users table (yet)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT external_id, state FROM users ORDER BY external_id").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


async def test_backup_copies_a_live_database_with_what_is_still_in_the_wal(
        tmp_path: Path, clock: FakeClock) -> None:
    db = tmp_path / "bot.db"
    store = Store(f"sqlite+aiosqlite:///{db}")
    await store.start()
    try:
        engine = Engine(store, clock)
        for who in ("ana", "ben"):
            await engine.handle(Incoming("terminal", who, clock(), text="/start"))
        # The bot still runs: its latest writes are in bot.db-wal, not yet in bot.db.
        shutil.copy(db, tmp_path / "plain-copy.db")
        out = trekbot(["backup", str(tmp_path / "backup.db")], db)
    finally:
        await store.close()
    assert out.returncode == 0, out.stderr
    assert "2 users" in out.stdout
    copied = users_in(tmp_path / "backup.db")
    assert [who for who, _state in copied] == ["ana", "ben"]
    assert users_in(db) == copied  # the same rows the bot wrote, states included
    assert users_in(tmp_path / "plain-copy.db") == []  # why a file copy is not a backup


def test_backup_never_overwrites_and_says_why(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    assert trekbot(["migrate"], db).returncode == 0
    taken = tmp_path / "taken.db"
    taken.write_text("keep me")
    out = trekbot(["backup", str(taken)], db)
    assert out.returncode == 2
    assert out.stderr.strip() == f"trekbot: {taken} already exists: give a new file name"
    assert taken.read_text() == "keep me"
    missing = trekbot(["backup", str(tmp_path / "b.db")], tmp_path / "nothing-here.db")
    assert missing.returncode == 2 and "no SQLite database" in missing.stderr
    assert "Traceback" not in out.stderr + missing.stderr


def test_backup_on_postgres_points_to_pg_dump(tmp_path: Path) -> None:
    out = trekbot(["backup", str(tmp_path / "b.db")], tmp_path / "x.db",
                  {"DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/none"})
    assert out.returncode == 2
    assert "pg_dump" in out.stderr and "Traceback" not in out.stderr
