"""Tables: users, processed platform messages, planned and logged sessions, sent prompts, and
the shared send-pacing slots."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

from storage.status import UserStatus, may_become


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns them aware (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Bounded(TypeDecorator[str]):
    """VARCHAR(n) that behaves the same on every database: a longer value is cut to `n`
    characters (`truncate`, for text a person chose such as a name) or refused with
    ValueError (identifiers, which the channels check at the edge). SQLite does not
    enforce lengths and PostgreSQL fails the whole transaction, so neither decides."""

    impl = String
    cache_ok = True

    def __init__(self, length: int, *, truncate: bool = False) -> None:
        super().__init__(length)
        self.limit = length
        self.truncate = truncate

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None or len(value) <= self.limit:
            return value
        if self.truncate:
            return value[:self.limit]
        raise ValueError(f"a value of {len(value)} characters for a column of {self.limit}")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person on one channel, with their onboarding answers, profile and schedule."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_users_channel_external"),
        Index("ix_users_status_next_prompt", "status", "next_prompt_at"),
        Index("ix_users_status_next_nudge", "status", "next_nudge_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(Bounded(16))
    external_id: Mapped[str] = mapped_column(Bounded(128))
    display_name: Mapped[str | None] = mapped_column(Bounded(128, truncate=True),
                                                        default=None)
    state: Mapped[str] = mapped_column(Bounded(40), default="new")
    context: Mapped[dict[str, Any]] = mapped_column(MutableDict.as_mutable(JSON), default=dict)
    profile: Mapped[dict[str, Any] | None] = mapped_column(
        MutableDict.as_mutable(JSON), default=None
    )
    timezone: Mapped[str | None] = mapped_column(Bounded(64), default=None)
    reminder_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[str] = mapped_column(Bounded(16), default=UserStatus.ONBOARDING)
    next_prompt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    evening_nudge: Mapped[bool] = mapped_column(Boolean, default=False)
    # When today's evening nudge is due (set by the scheduler with the morning prompt).
    next_nudge_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The next_prompt_at the stored planned_sessions row for that morning was built for
    # (the plan as of that local day); any other value: roll the plan before sending.
    plan_for_prompt: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The secret in the user's calendar feed URL (made on first /export).
    feed_secret: Mapped[str | None] = mapped_column(Bounded(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @validates("status")
    def _check_status(self, _key: str, new: str) -> str:
        """Every change of `status` follows the lifecycle table (storage/status.py)."""
        current = self.__dict__.get("status")  # never a lazy load
        if not may_become(current, new):
            raise ValueError(f"a {current} user cannot become {new}")
        return new


class ProcessedMessage(Base):
    """A platform message already handled (its id as a keyed hash): redeliveries are dropped."""

    __tablename__ = "processed_messages"
    __table_args__ = (UniqueConstraint("channel", "message_id", name="uq_processed_channel_msg"),
                      Index("ix_processed_at", "processed_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(Bounded(16))
    message_id: Mapped[str] = mapped_column(Bounded(128))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlannedSession(Base):
    """One day of a user's materialised plan (rebuilt when the plan changes)."""

    __tablename__ = "planned_sessions"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_planned_user_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    session_type: Mapped[str] = mapped_column(Bounded(32))
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    hard: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text: Mapped[str] = mapped_column(Text, default="")
    # The session was sent (the morning push) or shown (`today`): the row stays as it was
    # given, and so does every row whose day has passed (what /plan shows for past days).
    given: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class LoggedSession(Base):
    """Something the user reported: a session done or skipped, pain, sickness."""

    __tablename__ = "logged_sessions"
    __table_args__ = (
        Index("ix_logged_user_day", "user_id", "day"),
        # An activity file is logged once per user (NULLs, the chat logs, never collide).
        UniqueConstraint("user_id", "file_hash", name="uq_logged_user_file"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(Bounded(16))
    session_type: Mapped[str | None] = mapped_column(Bounded(32), default=None)
    minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    effort: Mapped[int | None] = mapped_column(Integer, default=None)
    feeling: Mapped[str | None] = mapped_column(Bounded(16), default=None)
    pain: Mapped[int | None] = mapped_column(Integer, default=None)
    pain_area: Mapped[str | None] = mapped_column(Bounded(32, truncate=True), default=None)
    sickness: Mapped[str | None] = mapped_column(Bounded(16), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    message_id: Mapped[str | None] = mapped_column(Bounded(128), default=None)
    distance_km: Mapped[float | None] = mapped_column(Float, default=None)
    climb_m: Mapped[int | None] = mapped_column(Integer, default=None)
    floors: Mapped[int | None] = mapped_column(Integer, default=None)
    pack_kg: Mapped[float | None] = mapped_column(Float, default=None)
    reps: Mapped[int | None] = mapped_column(Integer, default=None)  # squats in a row
    activity: Mapped[str | None] = mapped_column(Bounded(16), default=None)
    source: Mapped[str] = mapped_column(Bounded(8), default="chat")  # "chat" | "file"
    file_hash: Mapped[str | None] = mapped_column(Bounded(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SentPrompt(Base):
    """A scheduled message claimed for sending: at most one per (user, local date, kind)."""

    __tablename__ = "sent_prompts"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date", "kind", name="uq_sent_user_date_kind"),
        Index("ix_sent_prompts_status_claimed", "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(Bounded(16))
    status: Mapped[str] = mapped_column(Bounded(16), default="claimed")
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class OutboxMessage(Base):
    """Messages waiting to leave (or gone), written in the transaction that decided them.

    One row per delivery: an engine reply, a scheduled prompt (its messages together, so
    WhatsApp can switch them to the template as one), a broadcast copy or a channel notice.
    Per (channel, user_key) rows go out in id order; see `storage/outbox.py`.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "channel", "status", "next_attempt_at"),
        Index("ix_outbox_chat", "channel", "user_key", "status", "id"),
        Index("ix_outbox_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(Bounded(16))
    user_key: Mapped[str] = mapped_column(Bounded(128))
    kind: Mapped[str] = mapped_column(Bounded(16))  # reply, prompt, broadcast
    payload: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(Bounded(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    resends: Mapped[int] = mapped_column(Integer, default=0)  # after "maybe delivered"
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    error: Mapped[str | None] = mapped_column(Bounded(64, truncate=True), default=None)
    prompt_id: Mapped[int | None] = mapped_column(Integer, default=None)  # sent_prompts.id
class PaceSlot(Base):
    """When a pacing key (a chat, a person, a channel overall) next has a free send slot, in
    seconds since the epoch; written only by `bot/pacing_shared.py` in one upsert."""

    __tablename__ = "pace_slots"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    due: Mapped[float] = mapped_column(Float(precision=53))
