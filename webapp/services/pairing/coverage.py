"""走访覆盖: the share of a community's households paired, and visited at least the yearly
number of times, by grid and by member.

Counted by the database, never by loading the community's pairings: by grid, from each
building's kept counts (households and unpaired in tally.py, visited per year in visited.py),
so the grid table reads a community's few dozen buildings; by member, from aggregates over the
visits of the page's 30 members only.
"""
from sqlalchemy import case, func, select

from ...models import BuildingVisits, Org, Pairing, User, Visit
from .. import paging
from ..people.orgs import setting
from . import pairings
from .visits import _year_bounds

MEMBERS_PAGE = 30  # members a page of 走访覆盖 lists


def _met(org: Org, year: int, need: int, member_ids=None):
    """(the community's visit counts per pairing in `year`, of `member_ids` only when given, as
    a subquery to outer-join on pairing_id; 1 when a pairing had at least `need` of them, else
    0). One aggregate over the visits, hash-joined, not a count per pairing."""
    lo, hi = _year_bounds(year)
    done = select(Visit.pairing_id, func.count(Visit.id).label("n")).where(
        Visit.community_id == org.id, Visit.visited_on >= lo, Visit.visited_on < hi)
    if member_ids is not None:  # a visit's member is its pairing's
        done = done.where(Visit.member_id.in_(member_ids))
    done = done.group_by(Visit.pairing_id).subquery()
    return done, case((func.coalesce(done.c.n, 0) >= need, 1), else_=0)


def _active(org: Org):
    return (Pairing.community_id == org.id, Pairing.status == "active")


def _share(n: int, total: int) -> float:
    return round(100.0 * n / total, 1) if total else 0.0


def _grids(session, org: Org, year: int) -> list[dict]:
    """By grid: its households, and of those still living here, paired (a household has at
    most one active pairing) and visited enough in `year`, from the buildings' kept counts."""
    names = dict(session.execute(select(Org.id, Org.name).where(
        Org.community_id == org.id, Org.kind == "grid")).all())
    # in the order the database sorts the grids (where NULL goes differs by engine)
    grids = {gid: {"grid_id": gid, "grid": names.get(gid, ""), "households": int(n),
                   "paired": int(n) - int(up), "visited": 0} for gid, n, up in session.execute(
        select(Org.grid_id, func.sum(Org.households), func.sum(Org.unpaired)).where(
            Org.community_id == org.id, Org.kind == "building", Org.households > 0)
        .group_by(Org.grid_id).order_by(Org.grid_id))}
    for gid, visited in session.execute(
            select(Org.grid_id, func.sum(BuildingVisits.visited))
            .join(Org, Org.id == BuildingVisits.building_id)
            .where(Org.community_id == org.id, Org.kind == "building",
                   BuildingVisits.year == year).group_by(Org.grid_id)):
        if gid in grids:
            grids[gid]["visited"] = int(visited or 0)
    return [{**g, "paired_share": _share(g["paired"], g["households"]),
             "visited_share": _share(g["visited"], g["households"])} for g in grids.values()]


def _members(session, org: Org, year: int, need: int, member_ids=None) -> list[dict]:
    """By member (all, or `member_ids`), in id order: paired, visited, below the minimum."""
    lowest = int(setting(org, "pairing_min_households"))
    done, met = _met(org, year, need, member_ids)
    q = (select(Pairing.member_id, User.name, func.count(Pairing.id), func.sum(met))
         .select_from(Pairing).outerjoin(done, done.c.pairing_id == Pairing.id)
         .join(User, User.id == Pairing.member_id).where(*_active(org))
         .group_by(Pairing.member_id, User.name).order_by(Pairing.member_id))
    if member_ids is not None:
        q = q.where(Pairing.member_id.in_(member_ids))
    return [{"member_id": mid, "member": name, "paired": n, "visited": int(v or 0),
             "visited_share": _share(int(v or 0), n), "below_min": n < lowest}
            for mid, name, n, v in session.execute(q)]


def _summary(org: Org, year: int, need: int, grids: list[dict]) -> dict:
    total = sum(g["households"] for g in grids)
    paired = sum(g["paired"] for g in grids)
    visited = sum(g["visited"] for g in grids)
    return {"community_id": org.id, "community": org.name, "year": year, "required": need,
            "households": total, "paired": paired, "visited": visited,
            "paired_share": _share(paired, total), "visited_share": _share(visited, total),
            "by_grid": grids}


def coverage(session, actor: User, community_id, year: int) -> dict:
    """Share of households paired, and visited at least N times in `year`, by grid and member."""
    org = pairings.community_of(session, actor, community_id)
    need = int(setting(org, "visits_per_year"))
    return {**_summary(org, year, need, _grids(session, org, year)),
            "by_member": _members(session, org, year, need)}


def coverage_page(session, actor: User, community_id, year: int, page: int = 1) -> dict:
    """`coverage` with one page of its members (MEMBERS_PAGE, in id order) and their count."""
    org = pairings.community_of(session, actor, community_id)
    need = int(setting(org, "visits_per_year"))
    total = session.scalar(select(func.count(func.distinct(Pairing.member_id)))
                           .where(*_active(org))) or 0
    page, pages = paging.clamp(total, page, MEMBERS_PAGE)
    ids = session.scalars(select(Pairing.member_id).where(*_active(org))
                          .group_by(Pairing.member_id).order_by(Pairing.member_id)
                          .limit(MEMBERS_PAGE).offset((page - 1) * MEMBERS_PAGE)).all()
    return {**_summary(org, year, need, _grids(session, org, year)),
            "by_member": _members(session, org, year, need, ids) if ids else [],
            "members": total, "page": page, "pages": pages}


def headline(session, org: Org) -> dict:
    """Households and those paired, from the buildings' kept counts: 结对安排's first line."""
    households, unpaired = session.execute(
        select(func.sum(Org.households), func.sum(Org.unpaired))
        .where(Org.community_id == org.id, Org.kind == "building")).one()
    households, paired = int(households or 0), int(households or 0) - int(unpaired or 0)
    return {"households": households, "paired": paired, "paired_share": _share(paired, households)}
