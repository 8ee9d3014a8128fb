"""Delivery you can see: push acknowledgements from the service worker, silent devices, the test
notification, and each notification's delivery state for staff on a wish's timeline."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ...db import begin_write
from ...models import Notification, Outbox, PushSubscription, User, utcnow
from ..errors import NotFound
from . import channels, devsms, sms
from .messages import MESSAGES
from .push import check_ack


def acknowledge(session, token, secret: str, now: datetime | None = None) -> bool:
    """The service worker showed a push: mark its row delivered and the device working.
    The token comes only inside the encrypted push, so nothing else can count as an arrival."""
    oid = check_ack(token, secret)
    if oid is None:
        return False
    now = now or utcnow()
    begin_write(session)
    row = session.get(Outbox, oid)
    if row is None or row.channel != "push":
        session.rollback()
        return False
    row.delivery, row.delivered_at = "delivered", row.delivered_at or now
    if row.subscription_id:
        session.execute(update(PushSubscription).where(PushSubscription.id == row.subscription_id)
                        .values(last_ack_at=now, silent_pushes=0)
                        .execution_options(synchronize_session=False))
    session.commit()
    return True


def sweep_silent(session, now: datetime) -> int:
    """Pushes sent but never acknowledged within the window: undelivered, and one more silent
    push for their device (after N in a row the person's must-not-miss events go by SMS)."""
    cutoff = now - channels.retry_window()
    begin_write(session)
    rows = session.execute(select(Outbox.subscription_id, func.count(Outbox.id)).where(
        Outbox.channel == "push", Outbox.status == "sent", Outbox.delivery.is_(None),
        Outbox.sent_at < cutoff).group_by(Outbox.subscription_id)).all()
    session.execute(update(Outbox).where(
        Outbox.channel == "push", Outbox.status == "sent", Outbox.delivery.is_(None),
        Outbox.sent_at < cutoff).values(delivery="undelivered")
        .execution_options(synchronize_session=False))
    for sub_id, n in rows:
        if sub_id:
            session.execute(update(PushSubscription).where(PushSubscription.id == sub_id)
                            .values(silent_pushes=PushSubscription.silent_pushes + n)
                            .execution_options(synchronize_session=False))
    session.commit()
    return sum(n for _s, n in rows)


def retrying(row) -> bool:
    """An SMS the provider has not taken yet after at least one failed attempt."""
    return row.channel == "sms" and row.status == "pending" and (row.attempts or 0) > 0


def state(rows) -> str:
    """One notification's delivery from its outbox rows: delivered, undelivered, retrying
    (an SMS waiting for its next attempt) or pending."""
    if any(r.delivery == "delivered" for r in rows):
        return "delivered"
    if rows and all(r.channel == "sms" and r.last_error == "demo account" for r in rows):
        return "demo"
    if rows and all(r.status in ("failed", "dropped") or r.delivery == "undelivered"
                    for r in rows):
        return "undelivered"
    if any(retrying(r) for r in rows):
        return "retrying"
    if any(r.channel == "sms" and devsms.is_dev(r) for r in rows):
        return "dev"  # written to the development SMS page, never sent to a phone
    if any(r.channel == "sms" and r.status == "sent" and r.delivery is None for r in rows):
        return "awaiting"  # the provider took the SMS; the operator's receipt is not in yet
    return "pending" if rows else "inbox"


CHANNELS = {"push": _l("推送"), "sms": _l("短信"), "wechat": _l("微信")}
LABELS = {"delivered": _l("已送达"), "undelivered": _l("未送达"), "pending": _l("发送中"),
          "inbox": _l("仅站内消息"), "demo": _l("演示账号，不发送"), "retrying": _l("重试中"),
          "awaiting": _l("短信已发出，等待回执"),
          "dev": _l("开发用短信：未真正发出，见“开发短信”页")}
# Why an SMS waits for another attempt, from the provider's code kept on the row.
RETRY_REASONS = {"retry": _l("短信服务商限流"), "balance": _l("短信账户余额不足"),
                 "doubt": _l("正在向短信服务商核实是否已发出")}


def retry_info(row) -> dict:
    """Why a retrying SMS waits and when it is tried next (the delivery list, issue 30 §3)."""
    kind = "doubt" if row.attempt_at is not None else sms.outcome_of(row.last_error)
    reason = str(RETRY_REASONS.get(kind, RETRY_REASONS["doubt"]))
    return {"reason": reason, "code": row.last_error or "", "next_at": row.next_attempt_at,
            "attempts": row.attempts,
            "label": str(_l("重试中（%(reason)s）", reason=reason))}


def for_wish(session, wish_id: int) -> list[dict]:
    """Each notification about a wish with who got it and whether it reached a phone (staff)."""
    notes = session.execute(select(Notification, User.name)
                            .join(User, User.id == Notification.user_id)
                            .where(Notification.wish_id == wish_id)
                            .order_by(Notification.id)).all()
    ids = [n.id for n, _name in notes]
    by_n: dict[int, list] = {}
    if ids:
        for r in session.scalars(select(Outbox).where(Outbox.notification_id.in_(ids))):
            by_n.setdefault(r.notification_id, []).append(r)
    out = []
    for n, name in notes:
        rows = by_n.get(n.id, [])
        st = state(rows)
        # The event's name in the viewer's language (the stored title is the recipient's).
        label = str(MESSAGES[n.event][0]) if n.event in MESSAGES else n.title
        retry = retry_info(next(r for r in rows if retrying(r))) if st == "retrying" else None
        out.append({"id": n.id, "title": label, "to": name, "at": n.created_at, "state": st,
                    "label": retry["label"] if retry else str(LABELS[st]), "retry": retry,
                    "read": n.read_at is not None,
                    # when the SMS provider was last asked about it (issue 30 §5)
                    "checked_at": max((r.receipt_checked_at for r in rows
                                       if r.receipt_checked_at), default=None),
                    "channels": [str(CHANNELS[c]) for c in sorted({r.channel for r in rows})]})
    return out


def send_test(session, user: User, now: datetime | None = None) -> int:
    """Queue a test notification to every device of the user (silent ones too); its id."""
    from .notify import notify
    begin_write(session)
    (n,) = notify(session, [user.id], "push_test", urgent=True, now=now, url="/settings/notifications")
    session.commit()
    return n.id


def test_status(session, user: User, notification_id: int) -> dict:
    """Whether one of the user's notifications (the test one) reached a device yet, and how
    many devices it was sent to."""
    n = session.get(Notification, notification_id) if isinstance(notification_id, int) else None
    if n is None or n.user_id != user.id:
        raise NotFound(_l("找不到这条消息。"), code="notification_not_found")
    rows = list(session.scalars(select(Outbox).where(Outbox.notification_id == n.id,
                                                     Outbox.channel == "push")))
    session.rollback()
    return {"id": n.id, "devices": len(rows),
            "delivered": any(r.delivery == "delivered" for r in rows),
            "sent": sum(1 for r in rows if r.status == "sent")}
