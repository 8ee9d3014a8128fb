"""The admin log and the disclosure log as audit trails (网络安全法 art. 21, 等保 basics): kept
at least six months, never deleted or changed by the app, exported by a street admin.

`protect()` (installed by create_app) refuses, at the session, any UPDATE or DELETE of either
table, ORM or bulk, unless the statement carries the retention purge's own option;
`purge_audit_logs()` is that purge, run by the job process, and it never touches a line younger
than the retention.
"""
import weakref
from datetime import date, datetime, timedelta, timezone

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from ...models import AdminLog, Disclosure, Org, User, Wish, utcnow
from .. import policy
from ..errors import Forbidden
from ..ledger.exports import Sheet, to_bytes
from ..ledger.periods import LOCAL_TZ, local
from . import adminlog

MIN_RETENTION_DAYS = 180  # six months
PROTECTED = ("admin_log", "disclosures")
PURGE_OPTION = "audit_retention_purge"
FRESH = "audit_lines_of_this_transaction"


class AuditLogProtected(RuntimeError):
    """A write tried to change or delete an audit line."""


def retention_days() -> int:
    """LOG_RETENTION_DAYS, never below 180."""
    return max(MIN_RETENTION_DAYS, int(current_app.config.get("LOG_RETENTION_DAYS", 365)))


def _guard_statement(state):
    if not (state.is_update or state.is_delete) or state.execution_options.get(PURGE_OPTION):
        return
    tables = {getattr(m.local_table, "name", None) for m in state.all_mappers}
    if tables & set(PROTECTED):
        raise AuditLogProtected(f"audit lines are append-only: {sorted(tables & set(PROTECTED))}")


def _guard_flush(session, _ctx, _instances):
    # A line written in this transaction may still be amended before the commit (rehome adds
    # what the move ended to its own line); a committed line never.
    fresh = session.info.setdefault(FRESH, weakref.WeakSet())
    for obj in session.new:
        if isinstance(obj, (AdminLog, Disclosure)):
            fresh.add(obj)
    for obj in list(session.deleted) + list(session.dirty):
        if not isinstance(obj, (AdminLog, Disclosure)):
            continue
        if obj in session.deleted or (obj not in fresh and session.is_modified(obj)):
            raise AuditLogProtected(f"audit lines are append-only: {obj.__tablename__}")


def _forget_fresh(session, *_args):
    session.info.pop(FRESH, None)


def protect() -> None:
    """Install the guard on every session (once)."""
    if not event.contains(Session, "do_orm_execute", _guard_statement):
        event.listen(Session, "do_orm_execute", _guard_statement)
        event.listen(Session, "before_flush", _guard_flush)
        event.listen(Session, "after_commit", _forget_fresh)
        event.listen(Session, "after_soft_rollback", _forget_fresh)


def purge_audit_logs(session, now=None) -> dict:
    """The job: delete admin-log and disclosure lines older than the retention; {table: n}."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days())
    out = {}
    for model in (AdminLog, Disclosure):
        out[model.__tablename__] = session.execute(
            delete(model).where(model.at < cutoff).execution_options(
                synchronize_session=False, **{PURGE_OPTION: True})).rowcount
    session.commit()
    return out


def _instant(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def _names(session, ids) -> dict:
    ids = {i for i in ids if i}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) \
        if ids else {}


def export(session, actor: User, street_id, since, until, now=None) -> bytes:
    """Both logs of a street between two dates (Beijing), as one .xlsx for an auditor; the
    export itself is logged."""
    street = session.get(Org, street_id) if isinstance(street_id, int) else None
    if street is None or street.kind != "street" or not policy.can_set_street_security(
            actor, street.id):
        raise Forbidden(_l("只有本街道的街道管理员可以导出审计日志。"))
    start, end = _instant(since), _instant(until + timedelta(days=1))
    communities = dict(session.execute(select(Org.id, Org.name).where(
        Org.street_id == street.id, Org.kind == "community")).all())
    logs = session.scalars(select(AdminLog).where(
        AdminLog.street_id == street.id, AdminLog.at >= start, AdminLog.at < end)
        .order_by(AdminLog.at, AdminLog.id)).all()
    seen = session.scalars(select(Disclosure).join(Wish, Wish.id == Disclosure.wish_id, isouter=True)
                           .join(User, User.id == Disclosure.resident_id)
                           .join(Org, Org.id == User.building_id, isouter=True)
                           .where((Wish.community_id.in_(communities))
                                  | (Org.community_id.in_(communities)),
                                  Disclosure.at >= start, Disclosure.at < end)
                           .order_by(Disclosure.at, Disclosure.id)).all() if communities else []
    names = _names(session, [r.actor_id for r in logs] + [r.target_user_id for r in logs]
                   + [d.viewer_id for d in seen] + [d.resident_id for d in seen])
    when = lambda t: local(t).strftime("%Y-%m-%d %H:%M:%S")  # noqa: E731
    sheets = [
        Sheet(str(_l("管理日志")), [str(_l(h)) for h in ("时间", "类型", "操作人", "对象", "社区",
                                                         "内容")],
              [20, 16, 12, 12, 14, 60],
              [[when(r.at), r.kind, names.get(r.actor_id, str(_l("命令行")) if r.actor_id is None
                                              else ""),
                names.get(r.target_user_id, ""), communities.get(r.community_id, ""), r.summary]
               for r in logs], count=len(logs),
              caption=[f"{street.name} · {since} — {until}"]),
        Sheet(str(_l("联系方式查看记录")), [str(_l(h)) for h in ("时间", "查看人", "居民", "原因",
                                                                 "心愿", "渠道")],
              [20, 12, 12, 16, 10, 8],
              [[when(d.at), names.get(d.viewer_id, ""), names.get(d.resident_id, ""), d.reason,
                d.wish_id or "", d.channel] for d in seen], count=len(seen),
              caption=[f"{street.name} · {since} — {until}"]),
    ]
    adminlog.record(session, actor, "audit_export", street, now=now,
                    summary=f"{since} — {until}: {len(logs)} + {len(seen)}")
    session.commit()
    return to_bytes("xlsx", sheets)
