"""Who gets a notification on which channel. The inbox always; push to devices that receive it;
SMS for the events that must not be missed and for people whose push does not work.

`notify()` calls `context()` once per call and `add_sms()` for each notification it writes, in
the caller's transaction: the SMS becomes an Outbox row of channel "sms" that the job process
sends (services/notify/smsout.py).
"""
import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, or_, select, update

from ...models import Notification, Org, Outbox, PushSubscription, RoleGrant, User
from ..people.orgs import setting
from . import sms
from .messages import MESSAGES, thaw

log = logging.getLogger("wishgrid.sms")

# Must not be missed: reminder before service, dispatch offer, request to confirm, a resident's
# wish claimed or expired, a password reset, an appointment as staff.
SMS_EVENTS = frozenset({"reminder_before", "claim_dispatched", "wish_done", "wish_claimed",
                        "wish_expired", "password_reset", "role_granted"})
# Still sent when the community's daily budget is spent (they count in it all the same). A
# password reset is not among them: resets to a chosen number were a way to spend the budget.
OVER_BUDGET_EVENTS = frozenset({"reminder_before", "wish_done"})
NEVER_SMS = frozenset({"push_test"})  # a push test tests push: it never falls back to SMS
NO_OPT_OUT = frozenset({"password_reset"})  # a person cannot turn these SMS off
BUDGET_NOTICE = "sms_budget_exceeded"
TZ = ZoneInfo("Asia/Shanghai")
FIELD_LIMIT = 20  # template variables are short (Alibaba: 35 characters at most)


def silent_limit() -> int:
    """Silent pushes in a row after which a device no longer counts as working."""
    return int(current_app.config.get("PUSH_SILENT_LIMIT", 3))


def push_devices(session, uids, event: str = "") -> dict[int, list[int]]:
    """Each user's devices that still get pushes (fewer than N silent pushes in a row); the
    test notification goes to every device, so a silent one can show it works again."""
    out: dict[int, list[int]] = {}
    q = select(PushSubscription.id, PushSubscription.user_id).where(
        PushSubscription.user_id.in_(uids))
    if event != "push_test":
        q = q.where(PushSubscription.silent_pushes < silent_limit())
    for sid, uid in session.execute(q):
        out.setdefault(uid, []).append(sid)
    return out


def working_push(session, uids) -> set[int]:
    """Users with a device that has acknowledged a push and has not gone silent since."""
    return set(session.scalars(select(PushSubscription.user_id).where(
        PushSubscription.user_id.in_(uids), PushSubscription.last_ack_at.is_not(None),
        PushSubscription.silent_pushes < silent_limit())))


def template(event: str) -> dict | None:
    """The configured SMS template of an event ({"code", "params"}), if any."""
    t = (current_app.config.get("SMS_TEMPLATES") or {}).get(event)
    return t if isinstance(t, dict) and t.get("code") else None


def _community_of(session, users: dict, wish) -> dict[int, int | None]:
    if wish is not None:
        return {uid: wish.community_id for uid in users}
    bld = {u.building_id for u in users.values() if u.building_id}
    by_bld = dict(session.execute(select(Org.id, Org.community_id).where(Org.id.in_(bld))).all()) \
        if bld else {}
    out = {uid: by_bld.get(u.building_id) for uid, u in users.items()}
    missing = [uid for uid, c in out.items() if c is None]
    if missing:  # staff without a home building: the community of a role they hold
        for uid, oid, cid in session.execute(
                select(RoleGrant.user_id, Org.id, Org.community_id)
                .join(Org, Org.id == RoleGrant.org_id)
                .where(RoleGrant.user_id.in_(missing), RoleGrant.active.is_(True))):
            out[uid] = out.get(uid) or cid or oid
    return out


def destination(session, user: User, wish=None) -> str | None:
    """Where a person's SMS goes: their phone; for a phoneless resident the contact number
    entered with their consent, else their grid worker's phone. None if there is nowhere."""
    if user.phone and user.phone_verified_at is None and \
            current_app.config.get("SMS_ONLY_PROVEN_PHONES"):
        return None  # an unproven number gets codes only (services/people/signin_codes.py)
    if user.phone:
        number = user.phone
    elif user.sms_contact_phone and user.sms_contact_consent_at:
        number = user.sms_contact_phone
    else:
        grid = wish.grid_id if wish is not None else (
            session.scalar(select(Org.grid_id).where(Org.id == user.building_id))
            if user.building_id else None)
        number = session.scalar(
            select(User.phone).join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == "grid_worker", RoleGrant.org_id == grid,
                   RoleGrant.active.is_(True), User.phone.is_not(None), User.active.is_(True))
            .order_by(RoleGrant.id).limit(1)) if grid else None
    if not number or number == user.sms_bad_number:
        return None
    return number


def day_start(now: datetime) -> datetime:
    """Midnight (Beijing) of `now`'s day, in UTC: budgets are per calendar day."""
    local = now.astimezone(TZ)
    return datetime.combine(local.date(), time(0), tzinfo=TZ).astimezone(now.tzinfo)


def sent_today(session, community_id: int, now: datetime, status=("pending", "sent")) -> int:
    """SMS of a community today: by default those queued or accepted by the provider (what its
    daily budget counts, issue 30 §2); a send the provider rejected ("failed") costs nothing and
    is counted apart with status=("failed",)."""
    return session.scalar(select(func.count(Outbox.id)).where(
        Outbox.channel == "sms", Outbox.community_id == community_id,
        Outbox.created_at >= day_start(now), Outbox.status.in_(status))) or 0


def per_number_limit() -> int:
    """SMS one number may receive in a day, whatever the event (SMS_PER_NUMBER_DAILY)."""
    return int(current_app.config.get("SMS_PER_NUMBER_DAILY", 10))


def to_number_today(session, phone: str, now: datetime) -> int:
    """SMS queued today to one number, across communities (what the per-number limit counts)."""
    return session.scalar(select(func.count(Outbox.id)).where(
        Outbox.channel == "sms", Outbox.phone == phone, Outbox.created_at >= day_start(now),
        Outbox.status != "dropped")) or 0


def budget(session, community_id: int | None) -> int | None:
    """A community's daily SMS budget (None when the recipient has no community)."""
    org = session.get(Org, community_id) if community_id else None
    if org is None:
        return None
    return int(setting(org, "sms_daily_budget"))


def context(session, uids, event: str, wish, now: datetime, known) -> dict | None:
    """What `add_sms` needs for one notify() call; None when this event goes by SMS to nobody.
    `known` (recipients.Recipients covering `uids`) has the users and their pushes read."""
    tpl = template(event)
    if tpl is None or event in NEVER_SMS or not sms.enabled(current_app.config):
        return None
    need_fallback = event not in SMS_EVENTS
    everyone = known.users()  # the snapshot may cover more than this call: only this call's
    users = {uid: everyone[uid] for uid in uids if uid in everyone}
    working = known.working() & set(uids) if need_fallback else set()
    return {"event": event, "tpl": tpl, "wish": wish, "users": users, "working": working,
            "need_fallback": need_fallback, "community": _community_of(session, users, wish),
            "used": {}, "over": set()}


def _params(tpl: dict, n: Notification, user: User, wish, note: str) -> dict:
    # SMS templates are registered with the carrier in Chinese: their variables are filled in
    # Chinese from the event's parameters, never from the inbox text stored for the recipient.
    stored = n.params if isinstance(n.params, dict) else {}
    with force_locale("zh_CN"):
        title = (wish.title if wish is not None else
                 str(MESSAGES[n.event][0]) if n.event in MESSAGES else n.title)
        text = thaw(stored["note"]) if "note" in stored else str(note or "")
    fields = {"title": title, "note": text, "name": user.name, "time": text}
    return {var: str(fields.get(src, ""))[:FIELD_LIMIT]
            for var, src in (tpl.get("params") or {}).items()}


def add_sms(session, ctx: dict | None, n: Notification, pref, due: datetime, now: datetime,
            note: str = "") -> Outbox | None:
    """Queue the SMS of notification `n` if its recipient should get one (caller commits)."""
    if ctx is None:
        return None
    event, user = ctx["event"], ctx["users"].get(n.user_id)
    if user is None or not user.active:
        return None
    if ctx["need_fallback"] and user.id in ctx["working"]:
        return None  # not a must-not-miss event, and their push arrives
    if event not in NO_OPT_OUT and pref is not None and event in (pref.sms_off_events or []):
        return None
    if user.is_demo and sms.reaches_outside(current_app.config):
        # a demo account's 138… number is a stranger's: logged, never sent (the development
        # provider reaches nobody, so with it the demo gets its SMS on /staff/dev-sms)
        log.info("sms not sent: demo account %s (event %s)", user.id, event)
        row = Outbox(notification=n, channel="sms", phone=None, community_id=None,
                     template=str(ctx["tpl"]["code"]), params={}, status="dropped",
                     last_error=DEMO_ERROR, created_at=now)
        session.add(row)
        return row
    phone = destination(session, user, ctx["wish"])
    if phone is None or to_number_today(session, phone, now) >= per_number_limit():
        return None  # nowhere to send, or the number had its day's share (no SMS bombing)
    cid = ctx["community"].get(user.id)
    cap = budget(session, cid)
    if cap is not None:
        used = ctx["used"].setdefault(cid, sent_today(session, cid, now))
        if used >= cap and event not in OVER_BUDGET_EVENTS:
            ctx["over"].add(cid)  # notify() tells the community's admins, once a day
            return None
        ctx["used"][cid] = used + 1
    row = Outbox(notification=n, channel="sms", phone=phone, community_id=cid,
                 template=str(ctx["tpl"]["code"]), params=_params(ctx["tpl"], n, user,
                                                                  ctx["wish"], note),
                 status="pending", next_attempt_at=due, created_at=now)
    session.add(row)
    return row


DEMO_ERROR = "demo account"  # what the delivery list shows as 演示账号，不发送


def drop_demo_sms(session) -> int:
    """Pending SMS to demo accounts are dropped, never sent (queued before the account was
    marked, e.g. while the demo was being built)."""
    demo = select(Notification.id).join(User, User.id == Notification.user_id).where(
        User.is_demo.is_(True))
    return session.execute(update(Outbox).where(
        Outbox.channel == "sms", Outbox.status == "pending", Outbox.notification_id.in_(demo))
        .values(status="dropped", last_error=DEMO_ERROR)
        .execution_options(synchronize_session=False)).rowcount


def month_counts(session, community_id: int, now: datetime) -> list[dict]:
    """SMS of this month (Beijing) by event for the ledger page, largest first."""
    local = now.astimezone(TZ)
    start = datetime(local.year, local.month, 1, tzinfo=TZ).astimezone(now.tzinfo)
    rows = session.execute(
        select(Notification.event, func.count(Outbox.id))
        .join(Notification, Notification.id == Outbox.notification_id)
        .where(Outbox.channel == "sms", Outbox.community_id == community_id,
               Outbox.created_at >= start, or_(Outbox.status == "sent", Outbox.status == "pending"))
        .group_by(Notification.event).order_by(func.count(Outbox.id).desc())).all()
    return [{"event": e, "count": c} for e, c in rows]


def retry_window() -> timedelta:
    """How long a push may go unacknowledged before it counts as silent."""
    return timedelta(seconds=int(current_app.config.get("PUSH_ACK_WINDOW_SECONDS", 3600)))


def sms_events() -> list[str]:
    """Events a person may get by SMS and turn off: those with a template, less password reset."""
    configured = current_app.config.get("SMS_TEMPLATES") or {}
    return [e for e in configured if template(e) and e not in NO_OPT_OUT]


def sms_preferences(pref) -> dict:
    """The SMS part of the settings page: on at all, and each event's switch."""
    off = set((pref.sms_off_events or []) if pref else [])
    return {"enabled": sms.enabled(current_app.config),
            "events": [{"event": e, "label": str(MESSAGES[e][0]) if e in MESSAGES else e,
                        "on": e not in off} for e in sms_events()]}


def sms_off(checked) -> list[str]:
    """The events left unchecked on the form (password reset can never be turned off)."""
    on = set(checked)
    return sorted(e for e in sms_events() if e not in on)


def ledger_summary(session, community: Org, now: datetime) -> dict:
    """For the ledger page: today's SMS against the budget, and the month's count by event."""
    months = month_counts(session, community.id, now)
    for m in months:
        m["label"] = str(MESSAGES[m["event"]][0]) if m["event"] in MESSAGES else m["event"]
    return {"today": sent_today(session, community.id, now),
            "rejected": sent_today(session, community.id, now, ("failed",)), "months": months,
            "budget": int(setting(community, "sms_daily_budget"))}
