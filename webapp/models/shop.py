"""The points shop (爱心超市): goods donated by units, exchanged by members for points."""
from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import (CheckConstraint, ForeignKey, Index, Integer, LargeBinary, Numeric, String,
                        Text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimelineEvent, UTCDateTime, utcnow
from .org import Org, Unit
from .user import User

GOODS_STATUSES = ("offered", "listed", "withdrawn")
EXCHANGE_STATUSES = ("reserved", "handed_over", "cancelled")


class ShopGoods(db.Model):
    """One kind of goods on a community's shelf; a unit's offer waits until the office has it."""

    __tablename__ = "shop_goods"
    __table_args__ = (CheckConstraint("stock >= 0", name="ck_shop_goods_stock"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"), index=True)  # donor
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    photo_url: Mapped[Optional[str]] = mapped_column(String(300))
    # An uploaded photo (≤ 1 MB, JPEG/PNG/WebP), kept with the goods; loaded only when served.
    photo: Mapped[Optional[bytes]] = mapped_column(LargeBinary, deferred=True)
    photo_type: Mapped[Optional[str]] = mapped_column(String(20))
    price: Mapped[int] = mapped_column(Integer)  # points
    stock: Mapped[int] = mapped_column(Integer, default=0)
    donated: Mapped[int] = mapped_column(Integer, default=0)  # pieces given in all (unit report)
    monthly_limit: Mapped[int] = mapped_column(Integer, default=1)  # per person; 0: no limit
    status: Mapped[str] = mapped_column(String(10), default="offered")
    offered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Optional[Unit]] = relationship()
    community: Mapped[Org] = relationship()


class ShopGoodsEvent(TimelineEvent, db.Model):
    """One line of a goods' timeline (offered, listed, restocked, withdrawn)."""

    __tablename__ = "shop_goods_events"
    goods_id: Mapped[int] = mapped_column(ForeignKey("shop_goods.id"), index=True)


class ShopExchange(db.Model):
    """A member's exchange: reserved (stock and points held), handed over, or cancelled."""

    __tablename__ = "shop_exchanges"
    __table_args__ = (Index("ix_shop_exchange_member", "member_id", "community_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    goods_id: Mapped[int] = mapped_column(ForeignKey("shop_goods.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    points: Mapped[Decimal] = mapped_column(Numeric(9, 1))
    month: Mapped[int] = mapped_column(Integer)  # YYYYMM in Beijing time: the monthly limit
    status: Mapped[str] = mapped_column(String(12), default="reserved")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    handed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    goods: Mapped[ShopGoods] = relationship()
    member: Mapped[User] = relationship(foreign_keys=[member_id])


class ShopExchangeEvent(TimelineEvent, db.Model):
    """One line of an exchange's timeline."""

    __tablename__ = "shop_exchange_events"
    status_len = 12
    exchange_id: Mapped[int] = mapped_column(ForeignKey("shop_exchanges.id"), index=True)


class ShopAccount(db.Model):
    """A member's points account at one community as last replayed (services/shop/kept.py):
    kept by every write that changes it (a ledger line's points, a reservation, a
    cancellation) in the same transaction, and by the job process once time lapses points.
    True from `as_of` until `valid_until` (the next lapse; None: nothing held lapses) while the
    community's expiry rule is still `years`; otherwise readers replay it."""

    __tablename__ = "shop_accounts"
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    balance: Mapped[Decimal] = mapped_column(Numeric(12, 1), default=Decimal("0"))
    expired: Mapped[Decimal] = mapped_column(Numeric(12, 1), default=Decimal("0"))  # ever
    years: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)


class ShopLapse(db.Model):
    """Points of a member that lapsed at one instant, as its ShopAccount was last replayed."""

    __tablename__ = "shop_lapses"
    __table_args__ = (Index("ix_shop_lapses_when", "community_id", "at"),)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    points: Mapped[Decimal] = mapped_column(Numeric(12, 1))
