"""In-app notifications (the inbox). Push delivery rows live beside them (issue: notifications)."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class Notification(db.Model):
    """One message in a user's inbox."""

    __tablename__ = "notifications"
    # By wish: its deliveries on the review page (notify/receipts.for_wish), in order.
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at", "id"),
                      Index("ix_notifications_wish", "wish_id", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    event: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(String(300), default="")
    # The event's parameters ({"title": wish title, "note": text or {"m": msgid, "k": {...}}}):
    # title/body are rendered from them in the reader's current language. title/body above
    # keep the text as first rendered, for rows written before params existed.
    params: Mapped[Optional[dict]] = mapped_column(JSON)
    url: Mapped[Optional[str]] = mapped_column(String(200))
    wish_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wishes.id"))
    urgent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
