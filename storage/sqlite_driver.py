"""aiosqlite with one thread hop per statement: `connect`, for `create_async_engine`.

aiosqlite runs each SQLite connection in a thread of its own and hands every call over to it
through a queue; SQLAlchemy's adapter makes four such calls per statement (open a cursor,
execute, fetch, close) and a rollback when a connection goes back to the pool. Each hand-over
wakes the thread and then the event loop, and on a loaded machine each wake-up waits for a
core. Here a statement is one call: the thread opens the cursor, executes, fetches every row
and closes the cursor in one go, and the rows are read from memory afterwards. Commit and
rollback are skipped when SQLite has no transaction open (the thread reports that after each
statement), and `BEGIN IMMEDIATE` goes over with the transaction's first statement instead
of in a hand-over of its own (`begin_immediate`). The loop never runs SQLite itself, so
it never blocks on another writer's lock: waiting for the file lock (`busy_timeout`) still
happens in the connection's thread, and two Stores on one file stay as safe as with plain
aiosqlite.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import aiosqlite

Result = tuple[Any, list[Any] | None, int, int | None, bool]


def _run(conn: sqlite3.Connection, sql: str, params: Any, many: bool, begin: bool) -> Result:
    """Execute one statement in the connection's thread (after `BEGIN IMMEDIATE` when
    `begin`); everything the cursor knows."""
    cur = conn.cursor()
    try:
        if begin:
            cur.execute("BEGIN IMMEDIATE")
        if many:
            cur.executemany(sql, params)
        elif params is None:
            cur.execute(sql)
        else:
            cur.execute(sql, params)
        description = cur.description
        rows = cur.fetchall() if description else None
        return description, rows, cur.rowcount, cur.lastrowid, conn.in_transaction
    finally:
        cur.close()


class Cursor:
    """A cursor whose statements run in one hand-over each; rows are kept in memory."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _call(self, sql: str, params: Any, many: bool) -> Cursor:
        conn = self._connection
        begin, conn.begin_pending = conn.begin_pending, False
        try:
            result = await conn._execute(_run, conn._conn, sql, params, many, begin)
        except BaseException:
            conn.in_transaction = True  # not known: the next commit or rollback runs
            raise
        self.description, rows, self.rowcount, self.lastrowid, conn.in_transaction = result
        self._rows = rows or []
        return self

    async def execute(self, sql: str, parameters: Any = None) -> Cursor:
        return await self._call(sql, parameters, False)

    async def executemany(self, sql: str, parameters: Sequence[Any]) -> Cursor:
        return await self._call(sql, parameters, True)

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        n = self.arraysize if size is None else size
        rows, self._rows = self._rows[:n], self._rows[n:]
        return rows

    async def close(self) -> None:
        self._rows = []


class Connection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors take one hand-over per statement."""

    in_transaction = False  # as SQLite reported after the last statement
    begin_pending = False  # BEGIN IMMEDIATE to run before the next statement

    def begin_immediate(self) -> None:
        """Start a write transaction with the next statement (none: nothing to commit)."""
        self.begin_pending = True

    def cursor(self) -> Cursor:  # type: ignore[override]
        return Cursor(self)

    async def commit(self) -> None:
        self.begin_pending = False
        if self.in_transaction:
            await self._execute(self._conn.commit)
            self.in_transaction = False

    async def rollback(self) -> None:
        self.begin_pending = False
        if self.in_transaction:
            await self._execute(self._conn.rollback)
            self.in_transaction = False


def connector(database: str, **kwargs: Any) -> Callable[[], Any]:
    """An `async_creator` for `create_async_engine`: opens `database` in a new thread."""

    async def connect() -> Connection:
        conn = Connection(lambda: sqlite3.connect(database, **kwargs), 64)
        conn._thread.daemon = True  # as SQLAlchemy does for aiosqlite's own connections
        await conn
        return conn

    return connect
