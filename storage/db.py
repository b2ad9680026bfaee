"""The database: engine set-up (SQLite WAL or PostgreSQL), migrations at start, transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    String,
    Table,
    bindparam,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session

from storage import inbox, sqlite_driver
from storage.models import (
    LoggedSession,
    PlannedSession,
    ProcessedMessage,
    SentPrompt,
    User,
    UserStatus,
)
from storage.status import UNSCHEDULED, sources

if TYPE_CHECKING:
    from conversations.messages import Outgoing
    from storage.outbox import Queued

MIGRATIONS = Path(__file__).parent / "migrations"

# The user columns the dialogue may set through `Tx.update_user`.
_USER_FIELDS = frozenset({
    "reminder_minutes", "timezone", "next_prompt_at", "next_nudge_at", "evening_nudge",
    "profile", "context", "state", "feed_secret",
})


@dataclass(frozen=True)
class PlanDay:
    """One stored day of a user's plan, as `Tx.replace_plan` takes it."""

    day: date
    session_type: str
    minutes: int
    hard: bool
    text: str
    details: dict[str, Any] = field(default_factory=dict)


def default_url(directory: Path | None = None) -> str:
    """A SQLite file in the working directory."""
    base = directory or Path.cwd()
    return f"sqlite+aiosqlite:///{base / 'trekbot.db'}"


def database_url(raw: str | None) -> str:
    """A DATABASE_URL with its async driver (`postgres://` and `sqlite:///` are accepted)."""
    raw = (raw or "").strip()
    if not raw:
        return default_url()
    if raw.startswith(("postgresql://", "postgres://")):
        raw = "postgresql+asyncpg://" + raw.split("://", 1)[1]
    if raw.startswith("sqlite:///"):
        raw = "sqlite+aiosqlite:///" + raw[len("sqlite:///"):]
    if not raw.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ValueError(
            "DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://"
        )
    return raw


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Transactions are ours (BEGIN IMMEDIATE in `_begin_immediate`), not the driver's.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Checkpoint the WAL every ~40 MB instead of ~4 MB: bulk ticks write far fewer pages twice.
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _begin_immediate(conn: Connection) -> None:
    """SQLite: take the write lock when the transaction starts. Python's sqlite3 would
    otherwise BEGIN only before the first write, and a savepoint opened before that (as
    `get_or_create_user` does) starts and, on release, commits a transaction of its own:
    part of a step would be saved without the rest. The driver sends the BEGIN with the
    transaction's first statement (one hand-over to its thread instead of two)."""
    inner = getattr(conn.connection.dbapi_connection, "_connection", None)
    if isinstance(inner, sqlite_driver.Connection):
        inner.begin_immediate()
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# Any constant shared by every instance: the key of the PostgreSQL advisory lock that lets one
# instance migrate while the others wait (CREATE TABLE races fail on pg_type otherwise).
MIGRATION_LOCK_KEY = 0x7472656B  # "trek"


def _config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def _upgrade(connection: Connection) -> None:
    """Upgrade to head; on PostgreSQL under a transaction-scoped advisory lock, so instances
    starting together migrate one after another (the later ones find nothing to do)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
    command.upgrade(_config(connection), "head")


def _revisions(connection: Connection) -> tuple[set[str], set[str]]:
    """(applied revisions, head revisions of the scripts)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    applied = set(MigrationContext.configure(connection).get_current_heads())
    heads = set(ScriptDirectory.from_config(_config(connection)).get_heads())
    return applied, heads


DEFAULT_POOL_SIZE = 10


def _sqlite_creator(url: str) -> Any:
    """Connections of the one-hop-per-statement aiosqlite (storage/sqlite_driver.py), opened
    with the arguments SQLAlchemy's aiosqlite dialect would use for `url`."""
    dialect = create_async_engine(url).dialect
    args, kwargs = dialect.create_connect_args(make_url(url))
    return sqlite_driver.connector(*args, **kwargs)


class Store:
    """Owns the async engine; hands out one transaction per unit of work.

    Transactions wait in one line (first come, first served) for one of `pool_size` places
    and only then take a connection: a crowd waits holding nothing, and the pool is never
    asked for more connections than it has, so it cannot time out (SQLite: one place, as
    SQLite allows one writer; serialising writers here avoids "database is locked").
    """

    def __init__(self, url: str, pool_size: int = DEFAULT_POOL_SIZE,
                 pool_timeout: float = 30.0, id_key: str | None = None) -> None:
        self.url = url
        self._id_source = id_key  # TREKBOT_ID_KEY; else the database's own secret
        self.id_key = b""
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"pool_timeout": pool_timeout}
        if self.is_sqlite:
            kwargs["async_creator"] = _sqlite_creator(url)
        else:
            kwargs |= {"pool_size": pool_size, "max_overflow": 0, "pool_pre_ping": True}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _begin_immediate)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._line = asyncio.Semaphore(1 if self.is_sqlite else pool_size)
        # Called with the channels a transaction queued outbox rows for, after it commits
        # (the dispatchers wake at once instead of at their next poll).
        self.on_outbox: list[Callable[[set[str]], None]] = []

    async def start(self, *, migrate: bool = True) -> None:
        """Open the database; apply migrations up to the newest unless `migrate` is False."""
        database = self.engine.url.database
        if self.is_sqlite and database and database != ":memory:":
            # Open the file once in this thread first: a file that cannot be opened fails
            # here, not in aiosqlite's worker thread (which can outlive the event loop).
            sqlite3.connect(database).close()
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade if migrate else lambda c: None)
        if migrate or await self.at_head():
            await self._load_id_key()

    async def _load_id_key(self) -> None:
        """The key that hashes platform message ids (see storage/inbox.py)."""
        source = self._id_source
        if not source:
            from storage.batches import web_secret

            async with self.transaction() as tx:
                source = await web_secret(tx, "message-ids")
        self.id_key = inbox.derive_key(source)

    async def at_head(self) -> bool:
        """Whether the database is reachable and its schema is at the newest migration."""
        async with self.engine.connect() as conn:
            applied, heads = await conn.run_sync(_revisions)
        return applied == heads

    async def close(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """One transaction: committed when the block ends, rolled back on an exception."""
        async with self._line, self._sessions() as session:
            async with session.begin():
                tx = Tx(session, self.is_sqlite, self.id_key)
                yield tx
        if tx.queued:
            for listener in self.on_outbox:
                listener(tx.queued)


class StoredDay(NamedTuple):
    """One stored planned day, as read back to compare with a new plan."""

    id: int
    day: date
    session_type: str
    minutes: int
    hard: bool
    details: dict[str, Any] | str | None  # str: the JSON text (`plan_rows_since`)
    text: str
    given: bool = False  # sent or shown: never rewritten (PlannedSession.given)


# Built once: a statement made anew per message costs more to build than to run.
_MARK_SQLITE = sqlite_insert(cast(Table, ProcessedMessage.__table__)).on_conflict_do_nothing()
_MARK_PG = pg_insert(cast(Table, ProcessedMessage.__table__)).on_conflict_do_nothing()
_USER = select(User).where(User.channel == bindparam("channel"),
                          User.external_id == bindparam("external_id"))
_USER_LOCKED = _USER.with_for_update()
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))
_USER_BY_ID_LOCKED = _USER_BY_ID.with_for_update()
_USER_WITH_LOGS = (select(User, LoggedSession)
                   .outerjoin(LoggedSession, LoggedSession.user_id == User.id)
                   .where(User.channel == bindparam("channel"),
                          User.external_id == bindparam("external_id"))
                   .order_by(LoggedSession.day, LoggedSession.id))
_USER_WITH_LOGS_LOCKED = _USER_WITH_LOGS.with_for_update(of=User)
_LOGS_OF = (select(LoggedSession).where(LoggedSession.user_id == bindparam("user_id"))
            .order_by(LoggedSession.day, LoggedSession.id))
_PLANS = cast(Table, PlannedSession.__table__)
_PLAN_ROWS = select(_PLANS.c.id, _PLANS.c.day, _PLANS.c.session_type, _PLANS.c.minutes,
                    _PLANS.c.hard, _PLANS.c.details, _PLANS.c.text, _PLANS.c.given).where(
    _PLANS.c.user_id == bindparam("user_id"))
_GIVEN = select(_PLANS.c.id, _PLANS.c.given).where(_PLANS.c.user_id == bindparam("user_id"),
                                                  _PLANS.c.day == bindparam("day"))
_PLAN_UPDATE = update(_PLANS).where(_PLANS.c.id == bindparam("row_id"))
_PLAN_ROWS_SINCE = select(  # details as the stored JSON text (SQL CAST: nothing decoded)
    _PLANS.c.id, _PLANS.c.day, _PLANS.c.session_type, _PLANS.c.minutes, _PLANS.c.hard,
    sql_cast(_PLANS.c.details, String), _PLANS.c.text, _PLANS.c.given).where(
    _PLANS.c.user_id == bindparam("user_id"), _PLANS.c.day >= bindparam("since"))

_LOGS = "trekbot_logs"  # Session.info key: user id -> logged rows read in this transaction


@event.listens_for(Session, "do_orm_execute")
def _forget_logs(state: ORMExecuteState) -> None:
    """Any write statement may change logged rows: the next `Tx.logs` reads them again."""
    if not state.is_select:
        state.session.info.pop(_LOGS, None)


class Tx:
    """Repository methods inside one transaction."""

    def __init__(self, session: AsyncSession, is_sqlite: bool, id_key: bytes = b"") -> None:
        self.session = session
        self.is_sqlite = is_sqlite
        self.id_key = id_key
        self.queued: set[str] = set()  # channels this transaction queued messages for

    # outbox ------------------------------------------------------------------
    async def enqueue(self, channel: str, user_key: str, messages: Sequence[Outgoing], *,
                      kind: str, now: datetime, not_after: datetime | None = None,
                      prompt_id: int | None = None) -> None:
        """Queue messages for a person, one row per message (a prompt's go as one row, so a
        channel can send them as one template); they leave once this transaction commits."""
        from storage import outbox

        if not messages:
            return
        if kind == outbox.OutboxKind.REPLY:
            rows = [outbox.row(channel, user_key, [m], kind=kind, now=now,
                               not_after=not_after) for m in messages]
        else:
            rows = [outbox.row(channel, user_key, messages, kind=kind, now=now,
                               not_after=not_after, prompt_id=prompt_id)]
        await self.enqueue_rows(rows)

    async def enqueue_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Queue rows made by `storage.outbox.row` (the scheduler's bulk path)."""
        from storage import outbox

        if rows:
            await outbox.enqueue_rows(self.session, rows)
            self.queued.update(r["channel"] for r in rows)

    async def claim_outbox(self, channel: str, now: datetime, lease: timedelta, limit: int,
                           *, user_keys: Sequence[str] | None = None) -> list[Queued]:
        """Due outbox rows, each the oldest unsent of its chat (of the chats in
        `user_keys`, when given), held for `lease`."""
        from storage import outbox

        return await outbox.claim(self.session, self.is_sqlite, channel, now, lease, limit,
                                  user_keys=user_keys)

    async def finish_outbox(self, item: Queued, status: str, now: datetime,
                            error: str | None = None) -> None:
        from storage import outbox

        await outbox.finish(self.session, item, status, now, error)

    async def finish_outbox_many(self, ended: Sequence[tuple[Queued, str, str | None]],
                                 now: datetime) -> None:
        """End several rows (row, status, error) at once, as `finish_outbox` does each."""
        from storage import outbox

        await outbox.finish_many(self.session, ended, now)

    async def retry_outbox(self, item: Queued, at: datetime, error: str, *,
                           resend: bool = False) -> None:
        from storage import outbox

        await outbox.retry_at(self.session, item, at, error, resend=resend)

    # users -----------------------------------------------------------------
    async def user(self, channel: str, external_id: str, *, lock: bool = False) -> User | None:
        stmt = _USER_LOCKED if lock and not self.is_sqlite else _USER
        return (await self.session.execute(
            stmt, {"channel": channel, "external_id": external_id})).scalar_one_or_none()

    async def user_by_id(self, user_id: int, *, lock: bool = False) -> User | None:
        stmt = _USER_BY_ID_LOCKED if lock and not self.is_sqlite else _USER_BY_ID
        return (await self.session.execute(stmt, {"user_id": user_id})).scalar_one_or_none()

    async def _user_with_logs(self, channel: str, external_id: str) -> User | None:
        """The user row (locked on PostgreSQL) and their logged rows, in one statement; the
        rows are what `logs` returns for the rest of the transaction."""
        stmt = _USER_WITH_LOGS if self.is_sqlite else _USER_WITH_LOGS_LOCKED
        rows = (await self.session.execute(
            stmt, {"channel": channel, "external_id": external_id})).all()
        if not rows:
            return None
        user = rows[0][0]
        self._logs[user.id] = [entry for _, entry in rows if entry is not None]
        return cast(User, user)

    async def get_or_create_user(
        self, channel: str, external_id: str, display_name: str | None = None, *,
        with_logs: bool = False,
    ) -> User:
        """The user row, created on first contact; locked for this transaction on PostgreSQL.
        `with_logs` reads their logged rows in the same statement (for `logs`)."""
        found = await (self._user_with_logs(channel, external_id) if with_logs
                       else self.user(channel, external_id, lock=True))
        if found is not None:
            return found
        try:
            async with self.session.begin_nested():
                user = User(channel=channel, external_id=external_id, display_name=display_name,
                            context={}, state="new", status=UserStatus.ONBOARDING)
                self.session.add(user)
        except IntegrityError:
            found = await self.user(channel, external_id, lock=True)
            assert found is not None
            return found
        if with_logs:
            self._logs[user.id] = []  # a new user has logged nothing
        return user

    async def delete_user(self, user_id: int) -> None:
        """Erase every row about a user, their chat's inbox rows included (messages still
        waiting stay: they were sent after this and start afresh)."""
        user = await self.user_by_id(user_id)
        if user is not None:
            from storage import outbox

            await inbox.forget_chat(self.session, user.channel, user.external_id)
            await outbox.forget_chat(self.session, user.channel, user.external_id)
        for model in (LoggedSession, PlannedSession, SentPrompt):
            await self.session.execute(delete(model).where(model.user_id == user_id))
        await self.session.execute(delete(User).where(User.id == user_id))

    async def set_status(self, user_ids: int | Sequence[int], status: UserStatus) -> None:
        """Move users to `status` where the lifecycle allows it (storage/status.py), leaving
        the others alone. Stopped, blocked and unreachable users lose their prompt times
        (resuming or writing again schedules them anew)."""
        ids = [user_ids] if isinstance(user_ids, int) else list(user_ids)
        if not ids:
            return
        values: dict[str, Any] = {"status": status}
        if status in UNSCHEDULED:
            values.update(next_prompt_at=None, next_nudge_at=None)
        await self.session.execute(
            update(User).where(User.id.in_(ids), User.status.in_(sources(status)))
            .values(**values)
        )

    # processed platform messages ---------------------------------------------
    async def mark_processed(self, channel: str, message_id: str, at: datetime) -> bool:
        """Record a platform message id (as a keyed hash: a WhatsApp id holds the phone
        number); False when it was already handled (one statement: an insert that does
        nothing on a duplicate)."""
        stmt = _MARK_SQLITE if self.is_sqlite else _MARK_PG
        result = await self.session.execute(stmt, {
            "channel": channel, "message_id": inbox.message_hash(self.id_key, channel, message_id),
            "processed_at": at})
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def prune_processed(self, before: datetime) -> int:
        """Forget handled message ids (and done inbox rows) older than `before`: past the
        platforms' redelivery window they dedupe nothing. Returns the rows deleted."""
        t = cast(Table, ProcessedMessage.__table__)
        result = await self.session.execute(delete(t).where(t.c.processed_at < before))
        done = await inbox.prune(self.session, before)
        return int(result.rowcount) + done  # type: ignore[attr-defined]

    # the inbox (storage/inbox.py) ---------------------------------------------
    async def inbox_add(self, updates: list[inbox.NewUpdate], now: datetime
                        ) -> list[inbox.NewUpdate]:
        """Save received updates; returns the new ones (a redelivery is saved once)."""
        return await inbox.add(self.session, self.is_sqlite, self.id_key, updates, now)

    async def inbox_claim(self, channel: str, chat_key: str, now: datetime,
                          lease: timedelta, owner: str) -> inbox.Claimed | None:
        """The chat's oldest waiting update, now claimed; None if none or the chat is busy."""
        return await inbox.claim(self.session, self.is_sqlite, channel, chat_key, now,
                                 lease, owner)

    async def inbox_renew(self, row_id: int, owner: str, until: datetime) -> None:
        await inbox.renew(self.session, row_id, owner, until)

    async def inbox_done(self, row_id: int, now: datetime) -> None:
        await inbox.finish(self.session, row_id, now)

    async def inbox_waiting(self, channel: str, now: datetime) -> list[tuple[str, int, str]]:
        """Chats with an update to claim now, each with the order of its oldest."""
        return await inbox.waiting_chats(self.session, channel, now)

    async def inbox_release(self, channel: str) -> None:
        await inbox.release(self.session, channel)

    def set_user_status(self, user: User, status: UserStatus) -> None:
        """Give a loaded user row a new status (saved with the transaction; the model checks
        the change against the lifecycle). Like `set_status`, stopped, blocked and
        unreachable users lose their prompt times."""
        user.status = status.value
        if status in UNSCHEDULED:
            user.next_prompt_at = user.next_nudge_at = None

    def update_profile(self, user: User, **changes: Any) -> None:
        """Change fields of the stored profile JSON (the whole value is reassigned)."""
        user.profile = {**(user.profile or {}), **changes}

    def update_user(self, user: User, **fields: Any) -> None:
        """Set columns of a loaded user row (reminder time, zone, prompt times, nudge ...)."""
        for name, value in fields.items():
            if name not in _USER_FIELDS:
                raise AttributeError(f"users has no writable column {name!r}")
            setattr(user, name, value)

    # logged sessions ----------------------------------------------------------
    async def add_log(self, entry: LoggedSession) -> LoggedSession:
        self.session.add(entry)
        await self.session.flush()
        known = self._logs.get(entry.user_id)
        if known is not None:
            known.append(entry)
            known.sort(key=lambda r: (r.day, r.id))
        return entry

    async def log(self, user_id: int, day: date, kind: str, **fields: Any) -> LoggedSession:
        """Log one entry (done, skipped, pain, sick) for a user's day."""
        return await self.add_log(LoggedSession(user_id=user_id, day=day, kind=kind, **fields))

    async def amend_log(self, entry: LoggedSession, **fields: Any) -> None:
        """Change fields of a logged entry (a higher pain score, another sickness)."""
        for name, value in fields.items():
            setattr(entry, name, value)
        await self.session.flush()

    async def unlog(self, entry: LoggedSession) -> None:
        """Remove one logged entry (a skip that turned into a done)."""
        await self.session.delete(entry)
        await self.session.flush()
        known = self._logs.get(entry.user_id)
        if known is not None and entry in known:
            known.remove(entry)

    async def logs(self, user_id: int) -> Sequence[LoggedSession]:
        """The user's logged rows in day order. Read once per transaction: the verbs above
        keep the copy up to date, and any other write statement drops it (`_forget_logs`)."""
        known = self._logs.get(user_id)
        if known is None:
            known = list((await self.session.execute(
                _LOGS_OF, {"user_id": user_id})).scalars().all())
            self._logs[user_id] = known
        return list(known)

    @property
    def _logs(self) -> dict[int, list[LoggedSession]]:
        return cast(dict[int, list[LoggedSession]], self.session.info.setdefault(_LOGS, {}))

    # planned sessions ---------------------------------------------------------
    async def replace_plan(
        self, user_id: int, sessions: Sequence[PlannedSession | PlanDay]
    ) -> None:
        """Replace every stored planned day of the user with `sessions` (none: no plan)."""
        await self.session.execute(delete(PlannedSession).where(PlannedSession.user_id == user_id))
        rows = [s if isinstance(s, PlannedSession) else PlannedSession(**asdict(s))
                for s in sessions]
        for row in rows:
            row.user_id = user_id
        self.session.add_all(rows)
        await self.session.flush()

    async def plan_rows(self, user_id: int) -> dict[date, StoredDay]:
        """The user's stored planned days, by day."""
        return {r.day: StoredDay(*r)
                for r in await self.session.execute(_PLAN_ROWS, {"user_id": user_id})}

    async def plan_rows_since(self, user_id: int, since: date) -> dict[date, StoredDay]:
        """The user's stored planned days from `since` on, by day, with `details` as the
        stored JSON text (compared with `json.dumps` of a new row, nothing decoded)."""
        return {r.day: StoredDay(*r) for r in await self.session.execute(
            _PLAN_ROWS_SINCE, {"user_id": user_id, "since": since})}

    async def write_plan(self, user_id: int,
                         changes: Sequence[tuple[int | None, dict[str, Any]]],
                         gone: Sequence[int]) -> None:
        """Write changed planned days (each with the id of the row it replaces, or None for
        a new day) and delete the rows with the ids in `gone`."""
        t = cast(Table, PlannedSession.__table__)
        if gone:
            await self.session.execute(delete(t).where(t.c.id.in_(list(gone))))
        updates = [{"row_id": i, **row} for i, row in changes if i is not None]
        if updates:
            await self.session.execute(_PLAN_UPDATE, updates)
        adds = [{"user_id": user_id, **row} for i, row in changes if i is None]
        if adds:
            await self.session.execute(insert(t), adds)

    async def give_day(self, user_id: int, row: dict[str, Any]) -> None:
        """Store `row` (day, session_type, minutes, hard, details, text) as the day's given
        session, unless one was given for that day already."""
        t = cast(Table, PlannedSession.__table__)
        found = (await self.session.execute(
            _GIVEN, {"user_id": user_id, "day": row["day"]})).first()
        if found is None:
            await self.session.execute(insert(t), [{"user_id": user_id, **row, "given": True}])
        elif not found.given:
            await self.session.execute(_PLAN_UPDATE, [{"row_id": found.id, **row, "given": True}])

    async def planned(self, user_id: int, day: date) -> PlannedSession | None:
        stmt = select(PlannedSession).where(
            PlannedSession.user_id == user_id, PlannedSession.day == day
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
