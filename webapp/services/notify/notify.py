"""Notifications: rows written in the caller's transaction; the job process pushes them.

`notify()` writes the in-app Notification and, for every device the user subscribed, an Outbox
row in the same transaction as the state change that caused it. The web process never pushes.
"""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from sqlalchemy import func, select

from ...models import Notification, NotificationPreference, Outbox, RoleGrant, Wish, utcnow
from . import channels, wechat
from .messages import freeze, render
from .recipients import Recipients
from ..people import identity

DEFAULT_QUIET = ("22:00", "07:00")
# Staff events a community admin may take at once (the default) or in the daily digest, which
# counts what still waits for review and approval (issue 23 item 7).
DIGESTIBLE = ("wish_review_needed", "registration_submitted")
DEFAULT_TZ = "Asia/Shanghai"


def _parse_hm(value: str | None) -> time | None:
    if not value:
        return None
    h, m = value.split(":")
    return time(int(h), int(m))


def push_due(pref: NotificationPreference | None, now: datetime) -> datetime:
    """When a non-urgent push may go out: now, or the end of the user's quiet hours."""
    start, end = (pref.quiet_start, pref.quiet_end) if pref else DEFAULT_QUIET
    start, end = _parse_hm(start), _parse_hm(end)
    if start is None or end is None or start == end:
        return now
    tz = ZoneInfo((pref.timezone if pref else None) or DEFAULT_TZ)
    local = now.astimezone(tz)
    t = local.time()
    if start > end:  # overnight window, e.g. 22:00–07:00
        if t >= start:
            day = local.date() + timedelta(days=1)
        elif t < end:
            day = local.date()
        else:
            return now
    elif start <= t < end:
        day = local.date()
    else:
        return now
    return datetime.combine(day, end, tzinfo=tz).astimezone(now.tzinfo)


def notify(session, user_ids, event: str, wish: Wish | None = None, note: str = "",
           urgent: bool = False, now: datetime | None = None, url: str | None = None,
           known: Recipients | None = None) -> list[Notification]:
    """Queue an in-app notification for each user (deduplicated) plus its pushes, in the current
    transaction. Muted events stay in the inbox only; quiet hours hold pushes unless urgent.
    `known`: what was read about these users for many calls (a job's batch)."""
    uids = list(dict.fromkeys(u for u in user_ids if u))
    if not uids:
        return []
    now = now or utcnow()
    if known is None or not known.covers(uids):
        known = Recipients(session, uids)
    # Each recipient reads the message in their own language, not the actor's.
    locales = known.locales()
    texts: dict[str, tuple[str, str]] = {}
    params = {"title": wish.title if wish else "", "note": freeze(note)}
    prefs = known.prefs()
    subs = known.devices(event)  # devices that have not gone silent
    sms_ctx = channels.context(session, uids, event, wish, now, known)
    wx_ctx = wechat.context(session, uids, event, wish, known)  # bound followers of the 公众号
    rows = []
    for uid in uids:
        pref = prefs.get(uid)
        if event in DIGESTIBLE and event in ((pref.digest_events or []) if pref else []):
            continue  # this person takes it in the daily digest (followup.daily_digest)
        lang = locales.get(uid) or "zh_CN"
        if lang not in texts:
            with force_locale(lang):
                texts[lang] = render(event, wish, note)
        title, body = texts[lang]
        n = Notification(
            user_id=uid, event=event, title=title[:80], body=body[:300], params=params,
            url=url or (f"/wishes/{wish.id}" if wish else None),
            wish_id=wish.id if wish else None, urgent=urgent, created_at=now,
        )
        session.add(n)
        rows.append(n)
        due = now if urgent else push_due(pref, now)
        muted = event in ((pref.muted_events or []) if pref else [])
        # inbox → push → WeChat → SMS: a template message reaches them for free, so no SMS.
        if muted or wechat.add(session, wx_ctx, n, due, now, note) is None:
            channels.add_sms(session, sms_ctx, n, pref, due, now, note)  # own opt-out
        if muted:
            continue
        for sid in subs.get(uid, ()):
            session.add(Outbox(notification=n, subscription_id=sid, status="pending",
                               next_attempt_at=due, created_at=now))
    for cid in sorted(sms_ctx["over"]) if sms_ctx else ():  # communities whose budget ran out
        tell_over_budget(session, cid, now)
    return rows


def community_admins(session, cid: int) -> list[int]:
    """The community's active admins."""
    return list(session.scalars(select(RoleGrant.user_id).where(
        RoleGrant.role == "community_admin", RoleGrant.org_id == cid,
        RoleGrant.active.is_(True))))


def tell_community(session, cid: int, event: str, wish: Wish | None = None, note: str = "",
                   url: str | None = None, now: datetime | None = None) -> list[Notification]:
    """Something now waits for the community's admins: each hears at once unless they take
    this event in the daily digest."""
    return notify(session, community_admins(session, cid), event, wish, note=note, url=url,
                  now=now)


def tell_over_budget(session, cid: int, now: datetime) -> None:
    """Tell the community's admins once a day that SMS are being held back by the budget."""
    admins = community_admins(session, cid)
    told = set(session.scalars(select(Notification.user_id).where(
        Notification.event == channels.BUDGET_NOTICE, Notification.created_at >= channels.day_start(now),
        Notification.user_id.in_(admins)))) if admins else set()
    todo = [a for a in admins if a not in told]
    if todo:
        notify(session, todo, channels.BUDGET_NOTICE, note=str(channels.budget(session, cid)), now=now,
               url="/ledger")


def unread_count(session, user_id: int, at_start=None) -> int:
    """How many unread notifications the user has (the bell's badge). `at_start`: the signed-in
    user of a request that marks nothing read, whose identity already counted them."""
    if at_start is not None:
        seen = identity.unread_at_start(at_start)
        if seen is not None:
            return seen
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0
