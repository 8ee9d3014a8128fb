"""Shared column helpers."""
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

MAX_ID = 2**31 - 1  # the primary keys are INTEGER: 32-bit on PostgreSQL (SQLite: 64)


def utcnow() -> datetime:
    """Aware UTC now; every timestamp in the database is UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class TimelineEvent:
    """The columns every state machine's event row shares (the kernel writes them):
    who moved the row, from which state to which, with an optional note, and when.

    A subclass sets `__tablename__` and its own foreign key to the row it belongs to; the
    lengths are class attributes because the wish's timeline was first with wider columns.
    """

    action_len = 16
    status_len = 10

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)

    @declared_attr
    def actor_id(cls) -> Mapped[Optional[int]]:  # None: the system
        return mapped_column(ForeignKey("users.id"), sort_order=1)

    @declared_attr
    def action(cls) -> Mapped[str]:
        return mapped_column(String(cls.action_len), sort_order=1)

    @declared_attr
    def from_status(cls) -> Mapped[Optional[str]]:
        return mapped_column(String(cls.status_len), sort_order=1)

    @declared_attr
    def to_status(cls) -> Mapped[str]:
        return mapped_column(String(cls.status_len), sort_order=1)

    note: Mapped[Optional[str]] = mapped_column(String(300), sort_order=1)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, sort_order=1)
