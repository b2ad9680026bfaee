"""`trekbot backup PATH`: a consistent copy of a SQLite database with `VACUUM INTO`.

A plain file copy of a live SQLite database can miss what still sits in the write-ahead log
or catch a write half done; `VACUUM INTO` writes a complete, compacted copy from one read
transaction, so it is safe while the bot runs. PostgreSQL is backed up with `pg_dump`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """Why no backup was written, in one line."""


def backup(database_url: str, target: Path) -> int:
    """Copy the SQLite database at `database_url` to `target` (a new file); returns how many
    users the copy holds."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        raise BackupError("the database is PostgreSQL: back it up with pg_dump "
                          "(see the README, Deploy)")
    source = url.database
    if not source or source == ":memory:" or not Path(source).is_file():
        raise BackupError(f"there is no SQLite database at {source or '(none)'} (DATABASE_URL)")
    if target.exists():
        raise BackupError(f"{target} already exists: give a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    try:
        conn = sqlite3.connect(source, timeout=10.0)
        try:
            conn.execute("VACUUM INTO ?", (str(target),))
        finally:
            conn.close()
        copy = sqlite3.connect(target)
        try:
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            users = copy.execute("SELECT count(*) FROM users").fetchone()[0]
        finally:
            copy.close()
    except sqlite3.Error as err:
        raise BackupError(f"the backup failed: {err}") from None
    if check != "ok":
        raise BackupError(f"the copy at {target} failed its integrity check: {check}")
    return int(users)
