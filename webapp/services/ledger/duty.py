"""Half-year duty: in-service members (with an employer unit) serve at least once per half-year."""
from datetime import datetime, timezone

from sqlalchemy import func, select

from ...models import RoleGrant, ServiceRecord, Unit, User
from .. import paging
from .periods import LOCAL_TZ, Period, half_of, local

COUNTED = ("pending", "approved")  # a confirmed service counts unless the community rejected it
# Names the ledger page lists of those who have not served yet; the rest are on the whole list
# (/ledger/duty), DUTY_PAGE a page: a district's community has ~300 members, not a phone's screen.
SHOWN = 20
DUTY_PAGE = 50


def reminder_start(period: Period) -> datetime:
    """One month before the half-year ends: 1 June or 1 December, 00:00 Beijing time."""
    y, m = divmod(period.last_month, 100)
    return datetime(y, m, 1, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def in_reminder_window(now: datetime) -> bool:
    """True during the last month of the half-year containing `now`."""
    return now >= reminder_start(half_of(now))


def _members(session, community_id=None, unit_id=None):
    """Members with an employer unit, registered (member role) in the community or of the unit."""
    q = (select(User.id, User.name, User.unit_id, Unit.name, RoleGrant.org_id)
         .join(RoleGrant, RoleGrant.user_id == User.id)
         .join(Unit, Unit.id == User.unit_id)
         .where(RoleGrant.role == "member", RoleGrant.active.is_(True), User.active.is_(True),
                User.unit_id.is_not(None)))
    if community_id is not None:
        q = q.where(RoleGrant.org_id == community_id)
    if unit_id is not None:  # a unit sees the members it confirmed (issue 10 §12)
        q = q.where(User.unit_id == unit_id, User.unit_confirmed_at.is_not(None))
    return session.execute(q.order_by(User.unit_id, User.id)).all()


def service_counts(session, user_ids, period: Period) -> dict[int, int]:
    """Confirmed services per volunteer in the period (rejected ones excluded)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(ServiceRecord.volunteer_id, func.count(ServiceRecord.id))
        .where(ServiceRecord.volunteer_id.in_(list(user_ids)),
               ServiceRecord.approval.in_(COUNTED),
               ServiceRecord.service_date >= period.start, ServiceRecord.service_date < period.end)
        .group_by(ServiceRecord.volunteer_id)).all()
    return dict(rows)


def status(session, now, community_id=None, unit_id=None) -> dict:
    """Who owes the half-year service and who has none yet (for community and unit admins)."""
    period = half_of(now)
    members = {}
    for uid, name, u_id, unit_name, _org in _members(session, community_id, unit_id):
        members.setdefault(uid, {"id": uid, "name": name, "unit": unit_name, "unit_id": u_id})
    counts = service_counts(session, members, period)
    rows = [dict(m, services=counts.get(uid, 0)) for uid, m in members.items()]
    missing = [r for r in rows if not r["services"]]
    return {"period": period, "rows": rows, "missing": missing,
            "reminder_from": local(reminder_start(period)).date(),
            "deadline": period.last_day}


def owing_query(community_id: int, period: Period):
    """(id, name, unit) of the community's members with an employer unit and no counted service
    in `period`: each member's services tested by one probe of their records by date."""
    grants = select(RoleGrant.user_id).where(RoleGrant.role == "member",
                                             RoleGrant.active.is_(True),
                                             RoleGrant.org_id == community_id)
    served = select(ServiceRecord.id).where(
        ServiceRecord.volunteer_id == User.id, ServiceRecord.approval.in_(COUNTED),
        ServiceRecord.service_date >= period.start,
        ServiceRecord.service_date < period.end).exists()
    return (select(User.id, User.name, Unit.name.label("unit"))
            .join(Unit, Unit.id == User.unit_id)
            .where(User.id.in_(grants), User.active.is_(True), ~served))


def missing(session, now, community_id: int, page: int = 1, per_page: int = SHOWN) -> dict:
    """The community's members who owe the half-year service and have none yet: how many, and
    one page of them (unit, then id order), counted and paged by the database."""
    period = half_of(now)
    owing = owing_query(community_id, period)

    def read(at: int):  # the page's rows, each with the count of all (one pass, not two)
        return session.execute(owing.add_columns(func.count().over()).order_by(
            User.unit_id, User.id).offset((at - 1) * per_page).limit(per_page)).all()
    rows = read(max(page, 1))
    total = rows[0][-1] if rows else session.scalar(
        select(func.count()).select_from(owing.subquery())) or 0
    page, pages = paging.clamp(total, page, per_page)
    if not rows and total:  # asked past the last page: the last one
        rows = read(page)
    return {"period": period, "deadline": period.last_day, "total": total, "page": page,
            "pages": pages, "missing": [{"id": i, "name": n, "unit": u} for i, n, u, _t in rows]}


def member_status(session, user: User, now) -> dict | None:
    """One member's half-year status, or None when they owe no duty (no employer unit)."""
    if user.unit_id is None:
        return None
    period = half_of(now)
    n = service_counts(session, [user.id], period).get(user.id, 0)
    return {"period": period, "services": n, "done": n > 0, "deadline": period.last_day}


def members_to_remind(session, now) -> list[int]:
    """Members owing the service this half-year with none yet (every community)."""
    period = half_of(now)
    ids = {uid for uid, *_ in _members(session)}
    counts = service_counts(session, ids, period)
    return sorted(i for i in ids if not counts.get(i))
