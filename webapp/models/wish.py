"""The wish aggregate: wishes, their events, claims, service records, disclosures."""
from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import (JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimelineEvent, UTCDateTime, utcnow
from .org import Category, Org, Unit
from .user import User


class Wish(db.Model):
    """A micro-wish or service need posted into the menu."""

    __tablename__ = "wishes"
    __table_args__ = (
        CheckConstraint("taken >= 0 AND taken <= capacity", name="taken_within_capacity"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        # The menu: published wishes of a community, newest first, keyset on (published_at, id).
        Index("ix_wishes_menu", "community_id", "status", "published_at", "id"),
        # The menu's own-grid segment and grid lists: same keyset order within one grid.
        Index("ix_wishes_grid_status", "grid_id", "status", "published_at", "id"),
        # Staff lists (services/wishes/menu.py, view "all"): a community's wishes newest first,
        # keyset on (created_at, id), all of them or one status (审核), so a page reads only
        # the rows it shows instead of sorting the community's wishes (issue 27).
        Index("ix_wishes_staff", "community_id", "created_at", "id"),
        Index("ix_wishes_staff_status", "community_id", "status", "created_at", "id"),
        # A period's wishes of a community (the tallies' rates, the street's comparison): the
        # period's rows only, from the index alone.
        Index("ix_wishes_published", "community_id", "published_at", "status", "id"),
        # 逾期未完成 (menu.overdue: open and past coalesce(wanted_until, deadline)), counted for
        # the backlog from the index alone instead of reading every open wish's row.
        Index("ix_wishes_open_times", "community_id", "status", "deadline", "wanted_until"),
        # The board's wishes fulfilled this year, by category, from the index alone.
        Index("ix_wishes_done", "community_id", "status", "done_at", "category_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # wish|service
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    value_yuan: Mapped[Optional[int]] = mapped_column(Integer)  # material wishes only
    estimated_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1), default=Decimal("1.0"))
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    wanted_from: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    wanted_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    deadline: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # indexed: "my wishes" is resident_id = me OR posted_by_id = me (a full scan without it)
    posted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    on_behalf: Mapped[bool] = mapped_column(default=False)  # 代为登记 by a grid worker
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    grid_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    # indexed: a search's building hits and a retired building's open wishes (admin/tree.py)
    building_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)

    reject_reason: Mapped[Optional[str]] = mapped_column(String(200))
    rating: Mapped[Optional[int]] = mapped_column(Integer)
    comment: Mapped[Optional[str]] = mapped_column(String(300))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    # Sensitive (PIPL art. 28: health, a child's need, hardship): consented to separately when
    # posted; its description is shown only to whom the contact is (present.detail).
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    sensitive_consent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    client_uuid: Mapped[Optional[str]] = mapped_column(String(36), unique=True)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    done_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship(lazy="joined")
    resident: Mapped[User] = relationship(foreign_keys=[resident_id])
    posted_by: Mapped[User] = relationship(foreign_keys=[posted_by_id])
    community: Mapped[Org] = relationship(foreign_keys=[community_id])
    grid: Mapped[Org] = relationship(foreign_keys=[grid_id])
    building: Mapped[Org] = relationship(foreign_keys=[building_id])
    claims: Mapped[list["Claim"]] = relationship(back_populates="wish", order_by="Claim.id")
    events: Mapped[list["WishEvent"]] = relationship(
        back_populates="wish", order_by="WishEvent.id"
    )


class WishEvent(TimelineEvent, db.Model):
    """One line of a wish's timeline: who moved it from which state to which, and why."""

    __tablename__ = "wish_events"
    # Churn limit (services/wishes/churn.py): one person's releases in the last 24 h.
    __table_args__ = (Index("ix_wish_events_actor", "actor_id", "action", "at"),)
    action_len, status_len = 20, 16
    wish_id: Mapped[int] = mapped_column(ForeignKey("wishes.id"), index=True)
    # What an edit changed: [[field, old, new], …] (values as shown; labels rendered on read).
    changes: Mapped[Optional[list]] = mapped_column(JSON)

    wish: Mapped[Wish] = relationship(back_populates="events")
    actor: Mapped[Optional[User]] = relationship()


CLAIM_STATUSES = ("offered", "active", "started", "done", "released", "declined", "confirmed")
LIVE_CLAIM_STATUSES = ("offered", "active", "started", "done")


class Claim(db.Model):
    """One volunteer's commitment to a wish; a unit claim is one row per assigned member."""

    __tablename__ = "claims"
    # By unit: a unit's live claims (undoing its registration), not a read of every claim.
    __table_args__ = (UniqueConstraint("wish_id", "volunteer_id"),
                      Index("ix_claims_unit_status", "unit_id", "status"))
    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("wishes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    claimed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    via: Mapped[str] = mapped_column(String(10), default="self")  # self|unit|dispatch
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    hours: Mapped[Optional[Decimal]] = mapped_column(Numeric(5, 1))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    done_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    released_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Started / finished by scanning the service code the resident (or their grid worker) shows:
    # with both, the hours are presence (services/wishes/service_code.py).
    started_by_code: Mapped[bool] = mapped_column(Boolean, default=False)
    done_by_code: Mapped[bool] = mapped_column(Boolean, default=False)

    wish: Mapped[Wish] = relationship(back_populates="claims")
    volunteer: Mapped[User] = relationship(foreign_keys=[volunteer_id])
    unit: Mapped[Optional[Unit]] = relationship()


class ServiceRecord(db.Model):
    """Who served whom, when, for how long, confirmed by whom (one per volunteer per wish)."""

    __tablename__ = "service_records"
    # One record per claim, or per server of a project session (source: wish or project).
    # A member's records by date: whether they served in a half-year (ledger/duty.py) is one
    # probe, not a read of every record of their years of service.
    __table_args__ = (UniqueConstraint("claim_id"), UniqueConstraint("session_id", "volunteer_id"),
                      Index("ix_service_records_volunteer_date", "volunteer_id", "service_date"))
    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wishes.id"), index=True)
    claim_id: Mapped[Optional[int]] = mapped_column(ForeignKey("claims.id"))
    session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project_sessions.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # indexed with the date
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    grid_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orgs.id"))  # None: a project
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    service_date: Mapped[datetime] = mapped_column(UTCDateTime)
    rating: Mapped[Optional[int]] = mapped_column(Integer)
    confirmed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirm_note: Mapped[Optional[str]] = mapped_column(String(300))
    # Ledger approval (see services/ledger): pending|approved|rejected
    approval: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    # Where the hours come from: confirmed (a wish, confirmed by the resident or staff),
    # presence (checked in and out on site), honour (补录: entered by staff without a presence
    # record — kept and shown as such, never turned into points).
    basis: Mapped[str] = mapped_column(String(10), default="confirmed")

    wish: Mapped[Optional[Wish]] = relationship()
    volunteer: Mapped[User] = relationship(foreign_keys=[volunteer_id])


class Disclosure(db.Model):
    """A log line each time a resident's phone or address is shown to someone."""

    __tablename__ = "disclosures"
    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wishes.id"), index=True)
    booking_id: Mapped[Optional[int]] = mapped_column(ForeignKey("bookings.id"), index=True)
    pairing_id: Mapped[Optional[int]] = mapped_column(ForeignKey("pairings.id"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    viewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # active_claim|grid_staff|booking_unit|paired_member
    channel: Mapped[str] = mapped_column(String(10))  # web|api
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
