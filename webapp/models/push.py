"""Web Push: device subscriptions, per-user preferences, the outbox, job leases and reminders."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .notification import Notification

OUTBOX_STATUSES = ("pending", "sent", "failed", "dropped")


class PushSubscription(db.Model):
    """One device (browser) that opted in to Web Push; the endpoint identifies it."""

    __tablename__ = "push_subscriptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    user_agent: Mapped[Optional[str]] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_success_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # The service worker acknowledges each push it shows; a device that has acknowledged one
    # "has shown it receives", and one whose pushes stay silent N times in a row stops counting.
    last_ack_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    silent_pushes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class NotificationPreference(db.Model):
    """A user's choices: events they do not want pushed, quiet hours, skills-match opt-in."""

    __tablename__ = "notification_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    muted_events: Mapped[list] = mapped_column(JSON, default=list)
    # No column default here: SQLAlchemy fires a column default for an explicit None at INSERT,
    # which turned "quiet hours off" back on for a new row. The defaults are set in __init__.
    quiet_start: Mapped[Optional[str]] = mapped_column(String(5))  # None: off
    quiet_end: Mapped[Optional[str]] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")
    skills_match: Mapped[bool] = mapped_column(default=False)
    sms_off_events: Mapped[Optional[list]] = mapped_column(JSON)  # events not wanted by SMS
    # Staff events taken in the daily digest instead of at once (issue 23 item 7).
    digest_events: Mapped[Optional[list]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __init__(self, **kwargs):
        kwargs.setdefault("quiet_start", "22:00")
        kwargs.setdefault("quiet_end", "07:00")
        super().__init__(**kwargs)


class Outbox(db.Model):
    """One push of one notification to one device, or one SMS of it to one phone number
    (`channel`); the job process delivers it with retries.

    A row is pending until sent/failed/dropped; a worker holds it through `leased_until` while
    sending, so a crashed worker's rows go out again once the lease runs out (at least once).
    """

    __tablename__ = "push_outbox"
    __table_args__ = (Index("ix_push_outbox_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a sign-in code: it belongs to no notification (it must not sit in anyone's inbox).
    notification_id: Mapped[Optional[int]] = mapped_column(ForeignKey("notifications.id"),
                                                           index=True)
    subscription_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[Optional[str]] = mapped_column(String(300))
    leased_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    lease_owner: Mapped[Optional[str]] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(8), default="push", server_default="push")
    # SMS only: destination, the community whose budget pays, template code and its variables.
    phone: Mapped[Optional[str]] = mapped_column(String(20))
    community_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    template: Mapped[Optional[str]] = mapped_column(String(40))
    params: Mapped[Optional[dict]] = mapped_column(JSON)
    # Set (and committed) before a send, cleared when its outcome is recorded: a row found with
    # it set had a send of unknown outcome, which the provider's query resolves before a resend.
    attempt_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    provider_ref: Mapped[Optional[str]] = mapped_column(String(64), index=True)  # BizId/SerialNo
    # What reached the phone: "delivered" (receipt or acknowledgement) or "undelivered".
    delivery: Mapped[Optional[str]] = mapped_column(String(12))
    delivered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # SMS receipts: when the provider was last asked (shown to staff), and when to ask next —
    # soon after the send, then backing off (services/notify/smsout.py receipt_step).
    receipt_checked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    receipt_next_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    notification: Mapped[Notification] = relationship()
    subscription: Mapped[Optional[PushSubscription]] = relationship()


class JobLease(db.Model):
    """Which job process runs a periodic job right now, and until when (one runner per job)."""

    __tablename__ = "job_leases"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    owner: Mapped[Optional[str]] = mapped_column(String(80))
    until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_run_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class Reminder(db.Model):
    """A dynamic reminder or a once-only job mark, polled by the job process each minute.

    `key` makes each one unique (e.g. "wanted:claim:12", "digest:3:2026-11-22"), so running a
    job twice at the same instant finds the row and does nothing.
    """

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_due", "fired_at", "cancelled_at", "due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    wish_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wishes.id"), index=True)
    claim_id: Mapped[Optional[int]] = mapped_column(ForeignKey("claims.id"), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fired_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    note: Mapped[Optional[str]] = mapped_column(Text)
