"""The other two lists: resources (资源清单) with bookings, projects (项目清单) with sessions."""
from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, Numeric,
                        String, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimelineEvent, UTCDateTime, utcnow
from .org import Org, Unit
from .user import User

RESOURCE_KINDS = ("venue", "parking", "equipment", "expertise", "other")


class Resource(db.Model):
    """Something a unit (or the community itself, unit_id None) shares with residents."""

    __tablename__ = "resources"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(120), default="")  # the unit's address: public
    photo_url: Mapped[Optional[str]] = mapped_column(String(300))
    # Residents of which communities may book (ids); the owning community always may.
    open_to: Mapped[list] = mapped_column(JSON, default=list)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=True)
    cancel_hours: Mapped[int] = mapped_column(Integer, default=2)  # cut-off before the slot
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Optional[Unit]] = relationship()
    community: Mapped[Org] = relationship()
    slots: Mapped[list["ResourceSlot"]] = relationship(
        order_by="(ResourceSlot.weekday, ResourceSlot.start)", cascade="all, delete-orphan")


class ResourceSlot(db.Model):
    """A weekly opening rule: weekday 1–7 (Monday 1), start–end in Beijing time, capacity."""

    __tablename__ = "resource_slots"
    __table_args__ = (UniqueConstraint("resource_id", "weekday", "start"),
                      CheckConstraint("capacity >= 1", name="slot_capacity_positive"))
    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[str] = mapped_column(String(5))  # "HH:MM"
    end: Mapped[str] = mapped_column(String(5))
    capacity: Mapped[int] = mapped_column(Integer, default=1)


class ResourceClosure(db.Model):
    """An exception to the weekly rule: the resource is closed that day."""

    __tablename__ = "resource_closures"
    __table_args__ = (UniqueConstraint("resource_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(100), default="")


class SlotUse(db.Model):
    """One weekly slot on one day: the counter every booking of it takes a place from."""

    __tablename__ = "slot_uses"
    __table_args__ = (UniqueConstraint("slot_id", "day"),
                      CheckConstraint("taken >= 0 AND taken <= capacity", name="use_within_capacity"))
    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("resource_slots.id"))
    day: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)


BOOKING_STATUSES = ("pending", "confirmed", "declined", "cancelled", "attended", "no_show")


class Booking(db.Model):
    """A resident's use of one slot on one day (预约)."""

    __tablename__ = "bookings"
    # `live` is True while the booking holds a place and NULL after: one live booking per
    # person per slot-day, however many cancelled ones stand beside it.
    __table_args__ = (UniqueConstraint("use_id", "user_id", "live"),
                      Index("ix_bookings_user_status", "user_id", "status"))
    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    use_id: Mapped[int] = mapped_column(ForeignKey("slot_uses.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    live: Mapped[Optional[bool]] = mapped_column(Boolean, default=True)
    reason: Mapped[Optional[str]] = mapped_column(String(200))
    rating: Mapped[Optional[int]] = mapped_column(Integer)
    comment: Mapped[Optional[str]] = mapped_column(String(300))
    reminded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    resource: Mapped[Resource] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class BookingEvent(TimelineEvent, db.Model):
    """One line of a booking's timeline."""

    __tablename__ = "booking_events"
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)


PROJECT_STATUSES = ("draft", "signed", "active", "completed", "terminated")


class Project(db.Model):
    """A co-building agreement (共建项目书) between a unit and a community; one row per version."""

    __tablename__ = "projects"
    __table_args__ = (CheckConstraint("session_capacity >= 1", name="project_capacity_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))  # for the ledger
    title: Mapped[str] = mapped_column(String(60))
    content: Mapped[str] = mapped_column(Text, default="")
    standard: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(String(100), default="")  # "每月不少于 10 次"
    target_per_month: Mapped[Optional[int]] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(120), default="")
    responsible_name: Mapped[str] = mapped_column(String(40), default="")
    responsible_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    rrule: Mapped[str] = mapped_column(String(200))
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    session_capacity: Mapped[int] = mapped_column(Integer, default=20)
    server_capacity: Mapped[int] = mapped_column(Integer, default=3)
    any_member: Mapped[bool] = mapped_column(Boolean, default=False)  # any approved member may serve
    # Servers need accident insurance (志愿服务条例 art. 17): sign-up warns one without cover.
    requires_insurance: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[Optional[int]] = mapped_column(ForeignKey("projects.id"))
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)  # an amendment replaced it
    community_signed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    unit_signed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[Optional[str]] = mapped_column(String(200))  # why terminated
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    community: Mapped[Org] = relationship()


class ProjectEvent(TimelineEvent, db.Model):
    """One line of a project's timeline (drafted, signed by a side, amended, terminated…)."""

    __tablename__ = "project_events"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)


SESSION_STATUSES = ("scheduled", "held", "cancelled")


class ProjectSession(db.Model):
    """One occurrence (场次) of a project, with exact places for attendees and servers."""

    __tablename__ = "project_sessions"
    __table_args__ = (
        CheckConstraint("taken >= 0 AND taken <= capacity", name="session_within_capacity"),
        CheckConstraint("servers_taken >= 0 AND servers_taken <= server_capacity",
                        name="servers_within_capacity"),
        Index("ix_project_sessions_when", "project_id", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    capacity: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    server_capacity: Mapped[int] = mapped_column(Integer)
    servers_taken: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[Optional[str]] = mapped_column(String(200))  # why moved or cancelled
    reminded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # When attendance was settled (services/lists/checkin.close_due): open check-outs closed at
    # the end and sent to review, everyone signed up who never checked in marked absent.
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    # The venue's point for the check-in fence, set by a runner standing there (a place, not a
    # person); None: no fence. fence_m None: the community's `fence_metres`.
    lat: Mapped[Optional[Decimal]] = mapped_column(Numeric(9, 6))
    lng: Mapped[Optional[Decimal]] = mapped_column(Numeric(9, 6))
    fence_m: Mapped[Optional[int]] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship()


CHECKIN_METHODS = ("scan", "staff", "walk_in")


class SessionSignup(db.Model):
    """A person's sign-up to a session, as attendee (报名) or server; check-in sets `present`.

    Presence is the source of a server's hours (services/lists/checkin.py): checked in and out by
    scanning the session's rotating code (or marked by a runner), `hours` = out − in capped by
    the session's length; `presence_hours` keeps the uncapped span.
    """

    __tablename__ = "session_signups"
    __table_args__ = (UniqueConstraint("session_id", "user_id", "live"),
                      Index("ix_signups_user", "user_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("project_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(10))  # attendee|server
    live: Mapped[Optional[bool]] = mapped_column(Boolean, default=True)  # NULL once cancelled
    present: Mapped[bool] = mapped_column(Boolean, default=False)
    hours: Mapped[Optional[Decimal]] = mapped_column(Numeric(5, 1))
    checked_in_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    checked_in_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    checkin_method: Mapped[Optional[str]] = mapped_column(String(10))  # scan|staff|walk_in
    checked_out_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    checked_out_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    # No check-out by the end: closed at the session's end, the hours wait for staff review.
    auto_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    presence_hours: Mapped[Optional[Decimal]] = mapped_column(Numeric(5, 1))
    # Signed up, never checked in, the session closed (repeated absences pause sign-ups).
    absent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the person was at check-in / check-out, kept only as the distance to the venue (m)
    # and inside/outside its fence — never the coordinates; None: no location given.
    in_distance_m: Mapped[Optional[int]] = mapped_column(Integer)
    in_fence: Mapped[Optional[bool]] = mapped_column(Boolean)
    out_distance_m: Mapped[Optional[int]] = mapped_column(Integer)
    out_fence: Mapped[Optional[bool]] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class InsurancePolicy(db.Model):
    """One person's accident insurance cover recorded by the community (保险登记): insurer,
    policy number, from–to (Beijing dates, both included). A group policy is one row a person."""

    __tablename__ = "insurance_policies"
    __table_args__ = (UniqueConstraint("community_id", "number", "user_id"),
                      CheckConstraint("covers_to >= covers_from", name="cover_in_order"),
                      Index("ix_insurance_cover", "user_id", "covers_from", "covers_to"))
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    insurer: Mapped[str] = mapped_column(String(60))
    number: Mapped[str] = mapped_column(String(40))
    covers_from: Mapped[date] = mapped_column(Date)
    covers_to: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class CalendarFeed(db.Model):
    """A person's private iCalendar feed: the secret in the URL, reset by making a new one."""

    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
