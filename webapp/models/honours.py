"""Public notice of honours (荣誉公示): star levels and certificates of the year, published on the
community's board for at least seven days, with objections from anyone who reads it."""
from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimelineEvent, UTCDateTime, utcnow
from .org import Org

NOTICE_STATUSES = ("notice", "ended", "withdrawn")  # 公示中 · 公示期满 · 已撤回


class HonourNotice(db.Model):
    """One notice: its year, the notice period, and its state (services/ledger/honours.NOTICE)."""

    __tablename__ = "honour_notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="notice", index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    community: Mapped[Org] = relationship()


class HonourItem(db.Model):
    """One line of a notice: a volunteer's star level (kind "star") or a certificate."""

    __tablename__ = "honour_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("honour_notices.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # star|certificate
    stars: Mapped[Optional[int]] = mapped_column(Integer)
    hours: Mapped[Decimal] = mapped_column(Numeric(9, 1))
    certificate_id: Mapped[Optional[int]] = mapped_column(ForeignKey("certificates.id"))


class HonourObjection(db.Model):
    """An objection to a notice (or one line of it), for the community admin to look into."""

    __tablename__ = "honour_objections"
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("honour_notices.id"), index=True)
    item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("honour_items.id"))
    text: Mapped[str] = mapped_column(String(500))
    contact: Mapped[Optional[str]] = mapped_column(String(40))  # optional: objections may be anonymous
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HonourNoticeEvent(TimelineEvent, db.Model):
    """A notice's timeline: published, ended, withdrawn (with the reason)."""

    __tablename__ = "honour_notice_events"
    notice_id: Mapped[int] = mapped_column(ForeignKey("honour_notices.id"), index=True)
