"""The admin log: written in the same transaction as the act, read by street and community."""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...models import AdminLog, Org, User, utcnow
from .. import policy
from ..errors import Forbidden, TooMany


def record(session, actor: User | None, kind: str, org: Org | None, *,
           target: User | None = None, summary: str = "", details: dict | None = None,
           now: datetime | None = None) -> AdminLog:
    """Add one admin-log line in the caller's transaction (the caller commits with its act)."""
    street_id = community_id = None
    if org is not None:
        street_id = org.street_id if org.kind != "street" else org.id
        community_id = org.id if org.kind == "community" else org.community_id
    row = AdminLog(at=now or utcnow(), actor_id=actor.id if actor else None, kind=kind,
                   street_id=street_id, community_id=community_id,
                   org_id=org.id if org else None,
                   target_user_id=target.id if target else None,
                   summary=summary[:300], details=details or {})
    session.add(row)
    return row


TEXTING_KINDS = ("password_reset", "appoint", "remove_role", "invite")


def limit_texting_acts(session, actor: User, phone: str | None, now=None) -> None:
    """Refuse (429) a staff act that would text someone once the actor did too many in the last
    hour, or the number already had its day's SMS: appoint/remove cycles and resets to a chosen
    number were a way to spend a street's SMS money (issue 20)."""
    from flask import current_app
    from ..notify import channels
    now = now or utcnow()
    cap = int(current_app.config.get("STAFF_TEXTING_ACTS_PER_HOUR", 30))
    done = session.scalar(select(func.count(AdminLog.id)).where(
        AdminLog.actor_id == actor.id, AdminLog.kind.in_(TEXTING_KINDS),
        AdminLog.org_id.is_not(None),  # the act itself, not its copies in other scopes
        AdminLog.at >= now - timedelta(hours=1))) or 0
    if done >= cap:
        raise TooMany(_l("一小时内最多进行 %(n)s 次会发短信的操作（重置密码、任命、撤销），请稍后再试。",
                         n=cap), code="too_many_texting_acts")
    if phone and channels.to_number_today(session, phone, now) >= channels.per_number_limit():
        raise TooMany(_l("这个手机号今天收到的短信已达上限，请明天再试，或当面告知本人。"),
                      code="number_daily_limit")


def record_on_person(session, actor: User | None, kind: str, org: Org | None, person: User, *,
                     summary: str = "", details: dict | None = None,
                     now: datetime | None = None) -> list[AdminLog]:
    """An act on a person, logged in the actor's org AND in every scope the person belongs to,
    so the person's own admins see what was done to them from elsewhere (issue 20)."""
    rows = [record(session, actor, kind, org, target=person, summary=summary, details=details,
                   now=now)]
    done = {(rows[0].street_id, rows[0].community_id)}
    for street_id, community_id in sorted(policy.log_scopes(person), key=str):
        if (street_id, community_id) in done:
            continue
        done.add((street_id, community_id))
        rows.append(AdminLog(at=rows[0].at, actor_id=rows[0].actor_id, kind=kind,
                             street_id=street_id, community_id=community_id, org_id=None,
                             target_user_id=person.id, summary=summary[:300],
                             details={**(details or {}), "copy_of": "person"}))
        session.add(rows[-1])
    return rows


def _scoped(session, viewer: User, street_id, community_id, kind, person_id):
    """The viewer's log lines as a query (Forbidden outside their street or community)."""
    q = select(AdminLog)
    if community_id is not None:
        community = session.get(Org, community_id)
        if community is None or community.kind != "community" or not (
                policy.can_administer_community(viewer, community)):
            raise Forbidden(code="admin_log_forbidden")
        q = q.where(AdminLog.community_id == community_id)
    elif street_id is not None:
        if not policy.is_street_admin(viewer, street_id):
            raise Forbidden(code="admin_log_forbidden")
        q = q.where(AdminLog.street_id == street_id)
    else:
        raise Forbidden(code="admin_log_forbidden")
    if kind:
        q = q.where(AdminLog.kind == kind)
    if person_id:
        q = q.where((AdminLog.actor_id == person_id) | (AdminLog.target_user_id == person_id))
    return q


def entries(session, viewer: User, *, street_id: int | None = None,
            community_id: int | None = None, kind: str | None = None,
            person_id: int | None = None, limit: int = 100,
            before: int | None = None) -> list[AdminLog]:
    """The log lines a viewer may read, newest first: a street admin the street's, a community
    admin the community's; filtered by kind and by person (actor or target); `before` (a line's
    id) pages back to older lines."""
    q = _scoped(session, viewer, street_id, community_id, kind, person_id)
    mark = session.get(AdminLog, before) if isinstance(before, int) else None
    if mark is not None:
        q = q.where((AdminLog.at < mark.at) | ((AdminLog.at == mark.at) & (AdminLog.id < mark.id)))
    rows = session.scalars(q.order_by(AdminLog.at.desc(), AdminLog.id.desc()).limit(limit * 3))
    seen, out = set(), []
    for r in rows:  # a street reads an act once, though each community of it got its copy
        key = _act(r) if street_id and community_id is None else r.id
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out[:limit]


def _act(r: AdminLog) -> tuple:
    return (r.at, r.actor_id, r.kind, r.target_user_id, r.summary)


def count(session, viewer: User, *, street_id: int | None = None,
          community_id: int | None = None, kind: str | None = None,
          person_id: int | None = None) -> int:
    """How many acts `entries` would list without a limit (a street counts each act once)."""
    q = _scoped(session, viewer, street_id, community_id, kind, person_id)
    if street_id and community_id is None:
        q = q.with_only_columns(AdminLog.at, AdminLog.actor_id, AdminLog.kind,
                                AdminLog.target_user_id, AdminLog.summary).distinct()
    return session.scalar(select(func.count()).select_from(q.subquery())) or 0


def as_dicts(session, rows: list[AdminLog]) -> list[dict]:
    """Log lines for a page or the API, with the actor's and the target's names."""
    ids = {r.actor_id for r in rows} | {r.target_user_id for r in rows}
    ids.discard(None)
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) \
        if ids else {}
    return [{"id": r.id, "at": r.at, "kind": r.kind, "actor_id": r.actor_id,
             "actor": names.get(r.actor_id), "target_user_id": r.target_user_id,
             "target": names.get(r.target_user_id), "org_id": r.org_id,
             "community_id": r.community_id, "summary": r.summary, "details": r.details or {}}
            for r in rows]
