"""Tables of trek batches: batches and members, leaders with invites and alerts, broadcasts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, UTCDateTime, utcnow


class Batch(Base):
    """One departure: everyone in it shares the trek date and grade."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    trek_date: Mapped[date] = mapped_column(Date)
    grade: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BatchMember(Base):
    """A user in a batch (a user is in one batch at most); gone with the user."""

    __tablename__ = "batch_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Leader(Base):
    """A trek leader: signs in to the web page; may link a chat for alerts (`chat_code`)."""

    __tablename__ = "leaders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    chat_code: Mapped[str] = mapped_column(String(32), unique=True)
    chat_channel: Mapped[str | None] = mapped_column(String(16), default=None)
    chat_key: Mapped[str | None] = mapped_column(String(128), default=None)
    linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LeaderBatch(Base):
    """Which batches a leader sees."""

    __tablename__ = "leader_batches"

    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id", ondelete="CASCADE"),
                                           primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"),
                                          primary_key=True)


class LeaderInvite(Base):
    """A one-time sign-in link; only the SHA-256 of its token is stored."""

    __tablename__ = "leader_invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LeaderAlert(Base):
    """An alert sent (or claimed) to a leader about a trekker: once per (kind, key)."""

    __tablename__ = "leader_alerts"
    __table_args__ = (
        UniqueConstraint("leader_id", "user_id", "kind", "key", name="uq_leader_alert"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Broadcast(Base):
    """A short message a leader sent to a whole batch from the page."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("leaders.id", ondelete="SET NULL"), default=None)
    text: Mapped[str] = mapped_column(Text)
    # The form's one-time key: a form sent twice makes one broadcast.
    nonce: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BroadcastSend(Base):
    """One trekker's copy of a broadcast: at most one per (broadcast, user)."""

    __tablename__ = "broadcast_sends"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "user_id", name="uq_broadcast_user"),
        Index("ix_broadcast_sends_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class WebSecret(Base):
    """A random key the web page signs its cookies with, shared by every instance."""

    __tablename__ = "web_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
