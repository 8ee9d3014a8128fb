"""Tallies of the ledger as SQL aggregates: by member, unit, grid, category, month; charts data.

Sums run over the net ledger (reversals carry negative hours), grouped in the database; names
are looked up afterwards for the few keys that remain, so the aggregate stays an index scan.
"""
import statistics
from typing import NamedTuple
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, bindparam, case, func, select, type_coerce

from ...models import (Category, Claim, LedgerEntry, LedgerMonth, Org, Project, ProjectSession,
                       ServiceRecord, Unit, User, Wish)
from ..errors import Invalid
from ..people.orgs import category_label
from .periods import Period, recent_months

DIMENSIONS = {
    "volunteer": (LedgerEntry.volunteer_id, _l("党员/志愿者")),
    "unit": (LedgerEntry.unit_id, _l("单位")),
    "grid": (LedgerEntry.grid_id, _l("网格")),
    "category": (LedgerEntry.category_id, _l("服务类别")),
    "month": (LedgerEntry.service_month, _l("月份")),
}

# +1 per entry or correction, -1 per reversal: the count of services still standing.
SERVICES = func.sum(case((LedgerEntry.kind == "reversal", -1), else_=1))


NAME_MODELS = {"volunteer": User, "unit": Unit, "grid": Org, "category": Category}
_STATEMENTS: dict = {}


def _month_label(k: int) -> str:
    return f"{k // 100}-{k % 100:02d}"


def _statement(by: str, many: bool):
    """The tally statement for one dimension, built once (bound parameters, cached)."""
    key = (by, many)
    if key not in _STATEMENTS:
        col = DIMENSIONS[by][0]
        where = (LedgerEntry.community_id.in_(bindparam("cids", expanding=True)) if many
                 else LedgerEntry.community_id == bindparam("cid"))
        agg = (select(col.label("key"), SERVICES.label("services"),
                      type_coerce(func.round(func.sum(LedgerEntry.hours), 1), Float).label("hours"),
                      type_coerce(func.round(func.sum(LedgerEntry.points), 1), Float)
                      .label("points"))
               .where(where, LedgerEntry.service_month.between(bindparam("m0"), bindparam("m1")))
               .group_by(col))
        if by == "month":
            stmt = agg.add_columns(col.label("label")).order_by(col)
        else:
            sub = agg.subquery()
            model = NAME_MODELS[by]
            label = func.coalesce(model.name, bindparam("none")).label("label")
            stmt = (select(sub.c.key, label, sub.c.services, sub.c.hours, sub.c.points)
                    .outerjoin(model, model.id == sub.c.key)
                    .order_by(sub.c.hours.desc(), label))
        _STATEMENTS[key] = stmt
    return _STATEMENTS[key]


def tally(session, community_ids, by: str, period: Period) -> dict:
    """Services, hours and points per `by` key in the period, with a totals line.

    One cached statement: the GROUP BY over the covering tally index, rounding, names and
    order done in SQL; rows come back as Row objects (row.key, .label, .services, .hours,
    .points) so the Python side adds almost nothing to the raw aggregate.
    """
    if by not in DIMENSIONS:
        raise Invalid({"by": _l("请选择统计维度。")})
    ids = [community_ids] if isinstance(community_ids, int) else list(community_ids)
    params = {"m0": period.first_month, "m1": period.last_month}
    if len(ids) == 1:
        params["cid"] = ids[0]
    else:
        params["cids"] = ids
    if by != "month":
        params["none"] = str(_l("（无）"))
    rows = session.execute(_statement(by, len(ids) != 1), params).all()
    if by == "month":
        rows = [MonthRow(r[0], _month_label(r[0]), r[1], r[2], r[3]) for r in rows]
    elif by == "category":
        rows = _category_labels(session, rows)
    n = h = p = 0
    for r in rows:  # one pass, by index: this loop is most of the Python cost of a tally
        n += r[2] or 0
        h += r[3] or 0
        p += r[4] or 0
    total = {"services": n, "hours": round(h, 1), "points": round(p, 1)}
    return {"by": by, "period": period, "rows": rows, "total": total}


def _category_labels(session, rows) -> list:
    """Category rows with their names in the reader's language (a few rows: one lookup)."""
    names = {i: (n, e) for i, n, e in session.execute(
        select(Category.id, Category.name, Category.name_en)
        .where(Category.id.in_([r[0] for r in rows if r[0] is not None])))} if rows else {}
    return [MonthRow(r[0], category_label(name=names[r[0]][0], name_en=names[r[0]][1])
                     if r[0] in names else r[1], r[2], r[3], r[4]) for r in rows]


class MonthRow(NamedTuple):
    key: int
    label: str
    services: int
    hours: float
    points: float


def hours_by_month(session, community_ids, now, n: int = 12) -> list[dict]:
    """Net hours in each of the last `n` months (zeros included) for a bar chart, from the
    communities' kept months (a row each, not the months' entries)."""
    months = recent_months(now, n)
    ids = [community_ids] if isinstance(community_ids, int) else list(community_ids)
    got = dict(session.execute(
        select(LedgerMonth.service_month, func.sum(LedgerMonth.hours))
        .where(LedgerMonth.community_id.in_(ids),
               LedgerMonth.service_month.between(months[0], months[-1]))
        .group_by(LedgerMonth.service_month)).all())
    return bars([(_month_label(m), Decimal(got.get(m) or 0)) for m in months])


def bars(pairs) -> list[dict]:
    """(label, value) pairs with a 0–100 width step for CSS bar charts (no inline styles)."""
    top = max((v for _, v in pairs), default=0) or 1
    return [{"label": lab, "value": v, "pct": int(round(float(v) / float(top) * 20)) * 5}
            for lab, v in pairs]


def rates(session, community_id: int, period: Period) -> dict:
    """Wishes published in the period: claim rate, completion rate, median hours to claim."""
    wishes = session.execute(
        select(Wish.id, Wish.status, Wish.published_at)
        .where(Wish.community_id == community_id, Wish.published_at >= period.start,
               Wish.published_at < period.end)).all()
    firsts = dict(session.execute(
        select(Claim.wish_id, func.min(Claim.created_at))
        .join(Wish, Wish.id == Claim.wish_id)
        .where(Wish.community_id == community_id, Wish.published_at >= period.start,
               Wish.published_at < period.end)
        .group_by(Claim.wish_id)).all())
    published = len(wishes)
    claimed = [w for w in wishes if w.id in firsts]
    completed = [w for w in claimed if w.status in ("confirmed", "closed")]
    waits = []
    for w in claimed:
        first = firsts[w.id]
        if first is not None and w.published_at is not None:
            first = first if first.tzinfo else first.replace(tzinfo=w.published_at.tzinfo)
            waits.append((first - w.published_at).total_seconds() / 3600)
    return {
        "published": published, "claimed": len(claimed), "completed": len(completed),
        "claim_rate": round(100 * len(claimed) / published) if published else None,
        "completion_rate": round(100 * len(completed) / len(claimed)) if claimed else None,
        "median_hours_to_claim": round(statistics.median(waits), 1) if waits else None,
    }


def charts(session, community_id: int, period: Period, now) -> dict:
    """Everything the tallies page draws: months, categories, grids, rates."""
    cat = tally(session, community_id, "category", period)["rows"]
    grid = tally(session, community_id, "grid", period)["rows"]
    return {"months": hours_by_month(session, community_id, now),
            "categories": bars([(r.label, r.hours) for r in cat]),
            "grids": bars([(r.label, r.hours) for r in grid]),
            "rates": rates(session, community_id, period)}


def compare_communities(session, street_id: int, period: Period) -> list[dict]:
    """The street's communities side by side for the period."""
    comms = session.execute(select(Org.id, Org.name).where(
        Org.kind == "community", Org.street_id == street_id).order_by(Org.id)).all()
    ids = [c.id for c in comms]
    agg = {r[0]: r for r in session.execute(
        select(LedgerEntry.community_id, SERVICES, func.sum(LedgerEntry.hours),
               func.count(func.distinct(LedgerEntry.volunteer_id)))
        .where(LedgerEntry.community_id.in_(ids or [-1]),
               LedgerEntry.service_month.between(period.first_month, period.last_month))
        .group_by(LedgerEntry.community_id)).all()}
    out = []
    for cid, name in comms:
        _c, s, h, v = agg.get(cid, (cid, 0, 0, 0))
        out.append({"id": cid, "name": name, "services": int(s or 0), "hours": Decimal(h or 0),
                    "volunteers": int(v or 0), **rates(session, cid, period)})
    return out


def member_rows(session, period: Period, unit_id: int | None = None,
                community_id: int | None = None) -> list[dict]:
    """Per member of a unit (or community): services, hours, points, average rating."""
    q = (select(LedgerEntry.volunteer_id, SERVICES, func.sum(LedgerEntry.hours),
                func.sum(LedgerEntry.points))
         .where(LedgerEntry.service_month.between(period.first_month, period.last_month))
         .group_by(LedgerEntry.volunteer_id))
    if unit_id is not None:
        q = q.where(LedgerEntry.unit_id == unit_id)
    if community_id is not None:
        q = q.where(LedgerEntry.community_id == community_id)
    agg = {r[0]: r for r in session.execute(q).all()}
    ratings = dict(session.execute(
        select(ServiceRecord.volunteer_id, func.avg(ServiceRecord.rating))
        .where(ServiceRecord.volunteer_id.in_(list(agg) or [-1]),
               ServiceRecord.approval == "approved", ServiceRecord.rating.is_not(None),
               ServiceRecord.service_date >= period.start, ServiceRecord.service_date < period.end)
        .group_by(ServiceRecord.volunteer_id)).all())
    people = select(User.id, User.name, User.volunteer_no)
    # A unit's report lists the members the unit confirmed (issue 10 §12) AND anyone whose hours
    # were credited to it: a member who changed employer keeps their old hours with the old unit
    # (entries carry the unit at the time), so they must not drop out of its report.
    if unit_id is not None:
        people = people.where(((User.unit_id == unit_id) & User.unit_confirmed_at.is_not(None))
                              | User.id.in_(list(agg) or [-1]))
    else:
        people = people.where(User.id.in_(list(agg) or [-1]))
    rows = []
    for uid, name, vno in session.execute(people.order_by(User.id)).all():
        _v, s, h, p = agg.get(uid, (uid, 0, 0, 0))
        r = ratings.get(uid)
        rows.append({"id": uid, "name": name, "volunteer_no": vno or "", "services": int(s or 0),
                     "hours": Decimal(h or 0), "points": Decimal(p or 0),
                     "rating": round(float(r), 1) if r is not None else None})
    return rows


def _for_unit(session, volunteer_ids: list[int], unit_id: int):
    """Records that count for a unit: credited to it in the ledger or, not yet in the ledger,
    claimed through it or (no claiming unit) served while its confirmed member. A member who
    changed employer keeps each service with the unit it was credited to."""
    entries = select(LedgerEntry.id).where(LedgerEntry.record_id == ServiceRecord.id)
    own = list(session.scalars(select(User.id).where(
        User.id.in_(volunteer_ids), User.unit_id == unit_id, User.unit_confirmed_at.is_not(None))))
    pending = ServiceRecord.unit_id == unit_id
    if own:
        pending = pending | (ServiceRecord.unit_id.is_(None) & ServiceRecord.volunteer_id.in_(own))
    return entries.where(LedgerEntry.unit_id == unit_id).exists() | (~entries.exists() & pending)


def services_of(session, volunteer_id: int, period: Period | None = None,
                with_title: bool = True, community_id: int | None = None,
                unit_id: int | None = None) -> list[dict]:
    """A volunteer's confirmed services with net approved hours (titles only for the member);
    with `unit_id`, only those (and the hours) counted for that unit."""
    return services_by_volunteer(session, [volunteer_id], period, with_title, community_id,
                                 unit_id).get(volunteer_id, [])


def services_by_volunteer(session, volunteer_ids: list[int], period: Period | None = None,
                          with_title: bool = True, community_id: int | None = None,
                          unit_id: int | None = None) -> dict[int, list[dict]]:
    """services_of for several volunteers in one statement (a unit's hundred members in its
    report): volunteer id → their services, newest first."""
    if not volunteer_ids:
        return {}
    net = (select(LedgerEntry.record_id, func.sum(LedgerEntry.hours).label("h"),
                  func.sum(LedgerEntry.points).label("p"))
           .where(LedgerEntry.volunteer_id.in_(volunteer_ids)).group_by(LedgerEntry.record_id))
    if unit_id is not None:
        net = net.where(LedgerEntry.unit_id == unit_id)
    net = net.subquery()
    q = (select(ServiceRecord, func.coalesce(Wish.title, Project.title), Category.name,
                Category.name_en, Org.name, net.c.h, net.c.p)
         .outerjoin(Wish, Wish.id == ServiceRecord.wish_id)
         .outerjoin(ProjectSession, ProjectSession.id == ServiceRecord.session_id)
         .outerjoin(Project, Project.id == ProjectSession.project_id)
         .join(Category, Category.id == ServiceRecord.category_id)
         .outerjoin(Org, Org.id == ServiceRecord.grid_id)
         .outerjoin(net, net.c.record_id == ServiceRecord.id)
         .where(ServiceRecord.volunteer_id.in_(volunteer_ids))
         .order_by(ServiceRecord.service_date.desc(), ServiceRecord.id.desc()))
    if period is not None:
        q = q.where(ServiceRecord.service_date >= period.start,
                    ServiceRecord.service_date < period.end)
    if community_id is not None:
        q = q.where(ServiceRecord.community_id == community_id)
    if unit_id is not None:
        q = q.where(_for_unit(session, volunteer_ids, unit_id))
    out: dict[int, list[dict]] = {}
    for rec, title, cat, cat_en, grid, h, p in session.execute(q).all():
        out.setdefault(rec.volunteer_id, []).append({
            "id": rec.id, "title": title if with_title else None,
            "category": category_label(name=cat, name_en=cat_en),
            "grid": grid, "service_date": rec.service_date, "reported": rec.hours,
            "hours": Decimal(h) if h is not None else None,
            "points": Decimal(p) if p is not None else None,
            "rating": rec.rating, "approval": rec.approval,
            "source": "project" if rec.session_id else "wish", "basis": rec.basis})
    return out
