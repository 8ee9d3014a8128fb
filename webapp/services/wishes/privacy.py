"""Personal data rights (个人信息保护法): download one's data, delete (anonymise) one's account.

Deleting keeps the person's row under a pseudonym (已注销用户), so service records, ledger
entries and their hash chain stay whole; only the fields that identify the person are cleared.
"""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update

from ...db import begin_write
from ...extensions import db
from ...models import (LIVE_CLAIM_STATUSES, ApiToken, CareTag, Certificate, Claim, Disclosure,
                      LedgerEntry, Notification, Outbox, PushSubscription, Registration,
                      RoleGrant, ServiceRecord, User, WeChatBinding, Wish, utcnow)
from ..rights import catalogue
from ..errors import Conflict
from ..people.sessions import end_sessions

PSEUDONYM = "已注销用户"
# A resident's wish in one of these states still needs the resident: finish or withdraw first.
OPEN_WISH_STATUSES = ("draft", "pending_review", "published", "claimed", "in_service", "done")


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _row(obj, *fields) -> dict:
    return {f: _plain(getattr(obj, f)) for f in fields}


def export_my_data(session, user: User) -> dict:
    """Everything stored about `user`, as a JSON-ready dict (what a download returns)."""
    uid = user.id
    rows = lambda model, cond, order: session.scalars(  # noqa: E731
        select(model).where(cond).order_by(order)).all()
    wishes = rows(Wish, or_(Wish.resident_id == uid, Wish.posted_by_id == uid), Wish.id)
    return {
        "format": "wishgrid-personal-data/1",
        "exported_at": utcnow().isoformat(),
        "profile": {
            **_row(user, "id", "name", "phone", "address", "skills", "volunteer_no", "locale",
                   "elder_mode", "active", "created_at"),
            "building": user.building.name if user.building else None,
            "unit": user.unit.name if user.unit else None,
        },
        "roles": [{"role": g.role, "org": g.org.name if g.org else None, "active": g.active}
                  for g in user.roles],
        "registrations": [_row(r, "id", "kind", "status", "reason", "created_at", "decided_at")
                          for r in rows(Registration, Registration.user_id == uid,
                                        Registration.id)],
        "wishes": [{**_row(w, "id", "kind", "title", "description", "status", "capacity",
                           "value_yuan", "estimated_hours", "rating", "comment", "on_behalf",
                           "created_at", "published_at", "done_at"),
                    "posted_for_me": w.resident_id == uid and w.posted_by_id != uid,
                    "posted_by_me_for_other": w.resident_id != uid}
                   for w in wishes],
        "claims": [{**_row(c, "id", "wish_id", "status", "via", "hours", "created_at",
                           "started_at", "done_at", "released_at"), "wish_title": c.wish.title}
                   for c in rows(Claim, Claim.volunteer_id == uid, Claim.id)],
        "service_records": [_row(r, "id", "wish_id", "hours", "service_date", "rating",
                                 "approval", "confirmed_at")
                            for r in rows(ServiceRecord, ServiceRecord.volunteer_id == uid,
                                          ServiceRecord.id)],
        "ledger": [_row(e, "id", "seq", "wish_id", "hours", "points", "kind", "service_month",
                        "created_at")
                   for e in rows(LedgerEntry, LedgerEntry.volunteer_id == uid, LedgerEntry.id)],
        "certificates": [_row(c, "number", "period_from", "period_to", "hours", "services",
                              "issuer_name", "issued_at")
                         for c in rows(Certificate, Certificate.volunteer_id == uid,
                                       Certificate.id)],
        "notifications": [_row(n, "id", "event", "title", "body", "created_at", "read_at")
                          for n in rows(Notification, Notification.user_id == uid,
                                        Notification.id)],
        "push_devices": [_row(p, "id", "user_agent", "created_at", "last_success_at")
                         for p in rows(PushSubscription, PushSubscription.user_id == uid,
                                       PushSubscription.id)],
        # Who saw my phone/address and why (the viewer's own identity is not mine to export).
        "contact_disclosures": [_row(d, "wish_id", "reason", "channel", "at")
                                for d in rows(Disclosure, Disclosure.resident_id == uid,
                                              Disclosure.id)],
        "api_tokens": [_row(t, "created_at", "expires_at")
                       for t in rows(ApiToken, ApiToken.user_id == uid, ApiToken.id)],
        "wechat": [_row(b, "app_id", "openid", "subscribed", "created_at")
                   for b in rows(WeChatBinding, WeChatBinding.user_id == uid, WeChatBinding.id)],
    }


def delete_account(session, user: User) -> None:
    """Anonymise `user`: identifying fields cleared, sign-in disabled, records kept (pseudonym)."""
    begin_write(session)
    uid = user.id
    if session.scalar(select(Wish.id).where(Wish.resident_id == uid,
                                            Wish.status.in_(OPEN_WISH_STATUSES)).limit(1)):
        raise Conflict(_l("您还有进行中的心愿：请先撤回或确认完成，再注销账号。"),
                       code="open_wishes")
    if session.scalar(select(Claim.id).where(Claim.volunteer_id == uid,
                                             Claim.status.in_(LIVE_CLAIM_STATUSES)).limit(1)):
        raise Conflict(_l("您还有进行中的订单：请先完成或取消认领，再注销账号。"),
                       code="open_claims")
    if user.unit and user.unit.contact_name == user.name:
        user.unit.contact_name = PSEUDONYM
    user.name = PSEUDONYM
    user.active = False
    # Everything that names or reaches the person (rights/catalogue.py USER_ERASED); the id
    # stays, as the anonymous holder of the hours (the ledger hashes volunteer_id, never a name).
    for column in catalogue.USER_ERASED:
        setattr(user, column, None)
    # Free text the resident wrote about themself; the titles stay so records remain readable.
    session.execute(update(Wish).where(Wish.resident_id == uid)
                    .values(description="", comment=None)
                    .execution_options(synchronize_session=False))
    session.execute(update(RoleGrant).where(RoleGrant.user_id == uid).values(active=False)
                    .execution_options(synchronize_session=False))
    end_sessions(session, uid)
    # Personal inbox, devices and credentials go entirely (outbox rows point at notifications).
    note_ids = select(Notification.id).where(Notification.user_id == uid)
    session.execute(delete(Outbox).where(Outbox.notification_id.in_(note_ids))
                    .execution_options(synchronize_session=False))
    sub_ids = select(PushSubscription.id).where(PushSubscription.user_id == uid)
    session.execute(delete(Outbox).where(Outbox.subscription_id.in_(sub_ids))
                    .execution_options(synchronize_session=False))
    # Every table rights/catalogue.py marks for erasure, by each of its user columns: a table
    # added later (a WeChat binding) is erased once it is listed there.
    tables = db.metadata.tables
    for table, column in sorted(set(catalogue.SUBJECT) | set(catalogue.PLUMBING)):
        if table in catalogue.ERASE_DELETE:
            session.execute(delete(tables[table]).where(tables[table].c[column] == uid))
    # Sensitive details go with the person (care tags); the hours stay under the user id.
    session.execute(delete(CareTag).where(CareTag.household_id == uid)
                    .execution_options(synchronize_session=False))
    session.commit()
    session.expire_all()
