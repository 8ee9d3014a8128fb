"""A resident's voice (评价与投诉): problems raised about a service, answered by the community."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimelineEvent, UTCDateTime, utcnow
from .user import User

COMPLAINT_STATUSES = ("received", "answered", "settled", "reopened")
SUBJECT_KINDS = ("wish", "booking", "session", "visit")


class Complaint(db.Model):
    """反映问题: a short text (and photo) about one wish, booking, project session or visit."""

    __tablename__ = "complaints"
    # The community's list, newest first; the backlog's response times per community.
    __table_args__ = (Index("ix_complaints_community", "community_id", "status", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(10))  # wish|booking|session|visit
    # Exactly one of these names what the problem is about (the subject's kind says which).
    wish_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wishes.id"), index=True)
    booking_id: Mapped[Optional[int]] = mapped_column(ForeignKey("bookings.id"), index=True)
    session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project_sessions.id"), index=True)
    visit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("visits.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    # The stationed unit the problem is about, if any: it counts in the evaluation round.
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Hidden from the volunteer (and the unit) only; staff always see who wrote it.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(String(500))
    photo: Mapped[Optional[bytes]] = mapped_column(LargeBinary)
    photo_type: Mapped[Optional[str]] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="received")
    answer: Mapped[Optional[str]] = mapped_column(Text)
    answered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_answer_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    settled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    events: Mapped[list["ComplaintEvent"]] = relationship(order_by="ComplaintEvent.id")


class ComplaintEvent(TimelineEvent, db.Model):
    """One line of a complaint's timeline: raised, answered, settled, reopened."""

    __tablename__ = "complaint_events"
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    actor: Mapped[Optional[User]] = relationship()
