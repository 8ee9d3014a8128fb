"""The in-app inbox, push subscriptions (per device) and notification preferences."""
import base64
import binascii
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, delete, or_, select, update

from ...db import begin_write
from ...schemas import ascii_number
from ...models import (Notification, NotificationPreference, Outbox, PushSubscription, User,
                      utcnow)
from .. import policy
from ..errors import Invalid, NotFound
from . import endpoints
from . import channels
from .messages import MESSAGES, text
from .notify import DEFAULT_QUIET, DIGESTIBLE

PAGE_SIZE = 30
# Events a user may mute for push (they stay in the inbox), grouped for the settings page.
PREF_EVENTS = (
    "wish_approved", "wish_rejected", "wish_claimed", "wish_started", "wish_done",
    "claim_assigned", "claim_dispatched", "claim_released", "wish_withdrawn", "wish_confirmed",
    "reminder_before", "wish_expired", "wish_review_needed", "wish_escalated",
    "wish_escalated_admin", "confirm_overdue", "daily_digest",
    "registration_approved", "registration_rejected", "unit_member_named", "wish_done_on_behalf",
    "registration_submitted",
)
_HM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")  # [0-9]: \d would take ٠٨:٠٠


def _card(n: Notification) -> dict:
    title, body = text(n)  # in the reader's current language, not the one of its creation
    return {"id": n.id, "event": n.event, "title": title, "body": body, "url": n.url,
            "unread": n.read_at is None, "urgent": n.urgent, "created_at": n.created_at}


def page(session, user: User, before: int | None = None, limit: int = PAGE_SIZE,
         unread_first: bool = False) -> dict:
    """One page of the user's inbox by time, newest first, or with the unread ones first;
    `before` is the last id of the previous page (keyset on the order's columns, so a message
    stamped in the past — a job catching up — still lands in its place, never twice)."""
    unread = case((Notification.read_at.is_(None), 0), else_=1)
    q = select(Notification).where(Notification.user_id == user.id)
    if before:
        last = session.scalar(select(Notification).where(Notification.id == before,
                                                         Notification.user_id == user.id))
        if last is not None:
            older = or_(Notification.created_at < last.created_at,
                        and_(Notification.created_at == last.created_at, Notification.id < last.id))
            if unread_first:
                flag = 0 if last.read_at is None else 1
                older = or_(unread > flag, and_(unread == flag, older))
            q = q.where(older)
    order = [Notification.created_at.desc(), Notification.id.desc()]
    rows = list(session.scalars(q.order_by(*([unread] if unread_first else []), *order)
                                .limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [_card(n) for n in rows], "unread_first": unread_first,
            "next_before": rows[-1].id if more and rows else None}


def mark_read(session, user: User, notification_id: int, now=None) -> dict:
    """Mark one of the user's own notifications read (idempotent)."""
    begin_write(session)
    n = session.get(Notification, notification_id) if isinstance(notification_id, int) else None
    if n is None or n.user_id != user.id:
        raise NotFound(_l("找不到这条消息。"), code="notification_not_found")
    if n.read_at is None:
        n.read_at = now or utcnow()
    session.commit()
    return _card(n)


def mark_all_read(session, user: User, now=None) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    begin_write(session)
    res = session.execute(update(Notification)
                          .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                          .values(read_at=now or utcnow())
                          .execution_options(synchronize_session=False))
    session.commit()
    return res.rowcount


def _b64(value, size_ok) -> bytes | None:
    if not isinstance(value, str) or len(value) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if size_ok(raw) else None


def subscribe(session, user: User, data, user_agent: str | None = None,
              allow_insecure: bool = False, allowed_hosts=()) -> PushSubscription:
    """Save the browser's PushSubscription JSON for this device (the endpoint identifies it).
    The endpoint must be a public https push service (endpoints.check_subscription; on
    `allowed_hosts` when given); `allow_insecure` (tests only) admits the loopback one."""
    data = data if isinstance(data, dict) else {}
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    endpoint = data.get("endpoint")
    fields = {}
    try:
        endpoints.check_subscription(endpoint, allowed_hosts, allow_insecure)
    except endpoints.Refused:
        web_url = isinstance(endpoint, str) and endpoint.startswith(("https://", "http://"))
        fields["endpoint"] = (endpoints.REFUSED_MESSAGE if web_url
                              else _l("推送地址无效，请关闭后重新开启通知。"))
    if _b64(keys.get("p256dh"), lambda r: len(r) == 65 and r[0] == 4) is None:
        fields["keys.p256dh"] = _l("设备密钥无效，请关闭后重新开启通知。")
    if _b64(keys.get("auth"), lambda r: len(r) == 16) is None:
        fields["keys.auth"] = _l("设备密钥无效，请关闭后重新开启通知。")
    if fields:
        raise Invalid(fields)
    begin_write(session)
    sub = session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if sub is None:
        sub = PushSubscription(endpoint=endpoint, user_id=user.id, created_at=utcnow())
        session.add(sub)
    elif sub.user_id != user.id:
        # The same browser now belongs to another account: its old pushes must not follow.
        _drop_pending(session, sub.id, "device changed account")
        sub.user_id = user.id
    sub.p256dh, sub.auth = keys["p256dh"], keys["auth"]
    sub.user_agent = (user_agent or "")[:200] or None
    session.commit()
    return sub


def _drop_pending(session, sub_id: int, reason: str) -> None:
    session.execute(update(Outbox).where(Outbox.subscription_id == sub_id,
                                         Outbox.status == "pending")
                    .values(status="dropped", last_error=reason)
                    .execution_options(synchronize_session=False))


def forget_subscription(session, sub_id: int, reason: str) -> None:
    """Delete a device's subscription; its undelivered pushes are dropped (caller commits)."""
    _drop_pending(session, sub_id, reason)
    session.execute(update(Outbox).where(Outbox.subscription_id == sub_id)
                    .values(subscription_id=None).execution_options(synchronize_session=False))
    session.execute(delete(PushSubscription).where(PushSubscription.id == sub_id)
                    .execution_options(synchronize_session=False))


def unsubscribe(session, user: User, endpoint) -> bool:
    """Forget this device's subscription (only the user's own); True if one was removed."""
    begin_write(session)
    sub = session.scalar(select(PushSubscription).where(
        PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id)) \
        if isinstance(endpoint, str) else None
    if sub is None:
        session.rollback()
        return False
    forget_subscription(session, sub.id, "unsubscribed")
    session.commit()
    return True


def device_count(session, user: User) -> int:
    """How many devices of the user receive pushes."""
    return len(session.scalars(select(PushSubscription.id)
                               .where(PushSubscription.user_id == user.id)).all())


def preferences(session, user: User) -> dict:
    """The user's preferences as a dict for the settings form (defaults if never saved)."""
    p = session.get(NotificationPreference, user.id)
    muted = set(p.muted_events or []) if p else set()
    quiet = (p.quiet_start, p.quiet_end) if p else DEFAULT_QUIET
    return {
        "events": [{"event": e, "label": str(MESSAGES[e][0]), "on": e not in muted}
                   for e in PREF_EVENTS],
        "quiet_enabled": bool(quiet[0] and quiet[1]),
        "quiet_start": quiet[0] or DEFAULT_QUIET[0], "quiet_end": quiet[1] or DEFAULT_QUIET[1],
        "skills_match": bool(p and p.skills_match),
        "devices": device_count(session, user),
        "sms": channels.sms_preferences(p),
        "timing": _timing(user, p),
    }


def _timing(user: User, p: NotificationPreference | None) -> list[dict]:
    """For a community admin: each event they may take at once or in the daily digest."""
    if not policy.community_ids_for(user, "community_admin"):
        return []
    later = set((p.digest_events or []) if p else [])
    return [{"event": e, "label": str(MESSAGES[e][0]), "digest": e in later} for e in DIGESTIBLE]


def _hm(text) -> str:
    """A typed HH:MM with full-width digits and colon folded (２２：００); other digits stay
    and fail the format check."""
    text = (text or "").strip()
    try:
        return ascii_number(text)
    except ValueError:
        return text


def save_preferences(session, user: User, form: dict) -> dict:
    """Save the settings form: checked events are pushed, quiet hours HH:MM, skills opt-in."""
    on = set(form.get("events") or [])
    quiet_enabled = bool(form.get("quiet_enabled"))
    start, end = _hm(form.get("quiet_start")), _hm(form.get("quiet_end"))
    fields = {}
    if quiet_enabled:
        if not _HM.match(start):
            fields["quiet_start"] = _l("请按“22:00”的格式填写开始时间。")
        if not _HM.match(end):
            fields["quiet_end"] = _l("请按“07:00”的格式填写结束时间。")
        elif start == end:
            fields["quiet_end"] = _l("结束时间不能和开始时间相同。")
    if fields:
        raise Invalid(fields)
    begin_write(session)
    p = session.get(NotificationPreference, user.id)
    if p is None:
        p = NotificationPreference(user_id=user.id)
        session.add(p)
    p.muted_events = sorted(e for e in PREF_EVENTS if e not in on)
    p.quiet_start, p.quiet_end = (start, end) if quiet_enabled else (None, None)
    p.skills_match = bool(form.get("skills_match"))
    if "sms_events" in form:
        p.sms_off_events = channels.sms_off(form.get("sms_events") or [])
    if form.get("timing_form") and policy.community_ids_for(user, "community_admin"):
        p.digest_events = sorted(e for e in DIGESTIBLE if form.get(f"timing_{e}") == "digest")
    p.updated_at = utcnow()
    session.commit()
    return preferences(session, user)
