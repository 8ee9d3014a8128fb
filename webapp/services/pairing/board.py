"""The public board (公示) of a community: fulfilled wishes by month (counts and categories),
star volunteers who agreed to be shown (names masked), the units' grades of the latest
published round, and project progress. Nothing personal: no resident name, phone or address.
"""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from ...db import begin_write
from ...models import BoardConsent, Category, LedgerTotal, Org, Project, User, Wish, utcnow
from .. import policy
from ..errors import Forbidden, NotFound
from ..ledger import periods
from ..ledger import honours, stars
from ..lists import projects
from ..wishes.present import mask_name
from . import evaluation

FULFILLED = ("done", "confirmed", "closed")
MONTHS = 12
MAX_STARS = 10  # volunteers on the board


def community(session, community_id) -> Org:
    """An active community by id, or NotFound."""
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community" or not org.active:
        raise NotFound(_l("找不到这个社区。"), code="community_not_found")
    return org


def _months(session, org: Org, now) -> list[dict]:
    """Fulfilled wishes per month (Beijing time) and category, counted by the database: one
    bucket per month boundary, so a year of a large community is not read row by row."""
    months = periods.recent_months(now, MONTHS)
    bounds = [(m, periods.month(m // 100, m % 100).end) for m in months]
    start = periods.month(months[0] // 100, months[0] % 100).start
    bucket = case(*((Wish.done_at < end, m) for m, end in bounds), else_=None)
    rows = session.execute(
        select(bucket, Category.name, func.count())
        .join(Category, Category.id == Wish.category_id)
        .where(Wish.community_id == org.id, Wish.status.in_(FULFILLED),
               Wish.done_at >= start, Wish.done_at < bounds[-1][1])
        .group_by(bucket, Category.name)).all()
    out = {m: {"month": f"{m // 100}-{m % 100:02d}", "count": 0, "categories": {}}
           for m in months}
    for m, cat, n in rows:
        if m in out:
            out[m]["count"] += n
            out[m]["categories"][cat] = out[m]["categories"].get(cat, 0) + n
    return [{**v, "categories": sorted(v["categories"].items(), key=lambda kv: -kv[1])}
            for _k, v in sorted(out.items(), reverse=True)]


def _stars(session, org: Org, now) -> list[dict]:
    """Volunteers of the community who agreed to be shown, by hours, names masked; the stars
    shown are those held (after a notice of honours), under today's thresholds."""
    rows = session.execute(  # cumulative hours from the summary the ledger keeps
        select(User.id, User.name, LedgerTotal.hours)
        .join(LedgerTotal, LedgerTotal.volunteer_id == User.id)
        .join(BoardConsent, BoardConsent.user_id == User.id)
        .where(LedgerTotal.community_id == org.id)
        .order_by(LedgerTotal.hours.desc(), User.id).limit(MAX_STARS)).all()
    earned = stars.earned_by(org)
    held = stars.noticed_all(session, [uid for uid, _n, _h in rows], now, org.id)
    return [{"name": mask_name(name), "hours": float(Decimal(h or 0)),
             "stars": min(earned(h), held.get(uid, 0))}
            for uid, name, h in rows if (h or 0) > 0]


def view(session, community_id, now=None) -> dict:
    """Everything the board shows (for the page and the poster)."""
    now = now or utcnow()
    org = community(session, community_id)
    r = evaluation.published(session, org.id)
    projs = session.scalars(select(Project).where(
        Project.community_id == org.id, Project.superseded.is_(False),
        Project.status.in_(("signed", "active", "completed"))).order_by(Project.id.desc())
        .limit(20)).all()
    months = _months(session, org, now)
    return {"community": org.name, "community_id": org.id,
            "street": org.parent.name if org.parent else "",
            "months": months, "fulfilled": sum(m["count"] for m in months),
            "stars": _stars(session, org, now),
            "notices": honours.public(session, org.id, now),
            "round": {"year": r.year, "units": evaluation.results(session, r)} if r else None,
            "projects": [{"title": p.title, "unit": p.unit.name,
                          "status": str(projects.states.PROJECT_LABELS[p.status]),
                          **projects.progress(session, p, now)} for p in projs],
            "updated": now}


def consent(session, user: User) -> bool:
    """Whether the user agreed to appear on the board."""
    return session.scalar(select(BoardConsent.id).where(BoardConsent.user_id == user.id)) is not None


def set_consent(session, user: User, shown: bool, now=None) -> bool:
    """A member agrees (or stops agreeing) to be shown, name masked, among star volunteers."""
    begin_write(session)
    if not policy.community_ids_for(user, "member"):
        raise Forbidden(_l("只有报到的党员/志愿者可以选择是否上光荣榜。"))
    row = session.scalar(select(BoardConsent).where(BoardConsent.user_id == user.id))
    if shown and row is None:
        session.add(BoardConsent(user_id=user.id, at=now or utcnow()))
    elif not shown and row is not None:
        session.delete(row)
    session.commit()
    return shown


def communities_with_board(session) -> list[Org]:
    """Active communities (for a picker of boards)."""
    return list(session.scalars(select(Org).where(Org.kind == "community", Org.active.is_(True))
                                .order_by(Org.id)))

