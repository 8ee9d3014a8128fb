"""走访覆盖: the share of a community's households paired, and visited at least the yearly
number of times, by grid and by member.
"""
from sqlalchemy import func, select

from ...models import Org, Pairing, User
from ..people.orgs import setting
from . import pairings
from .visits import counts


def coverage(session, actor: User, community_id, year: int) -> dict:
    """Share of households paired, and visited at least N times in `year`, by grid and member."""
    org = pairings.community_of(session, actor, community_id)
    need = int(setting(org, "visits_per_year"))
    lowest = int(setting(org, "pairing_min_households"))
    # Counted by the database: the community's thousands of households are never loaded.
    names = dict(session.execute(select(Org.id, Org.name).where(
        Org.community_id == org.id, Org.kind == "grid")).all())
    # Households by grid from the buildings' kept counts (pairing/tally.py), in the order the
    # database sorts the grids (where NULL goes differs by engine).
    grids: dict = {gid: {"grid_id": gid, "grid": names.get(gid, ""), "households": int(n),
                         "paired": 0, "visited": 0} for gid, n in session.execute(
        select(Org.grid_id, func.sum(Org.households)).where(
            Org.community_id == org.id, Org.kind == "building", Org.households > 0)
        .group_by(Org.grid_id).order_by(Org.grid_id))}
    active = session.execute(
        select(Pairing.id, Pairing.member_id, Pairing.household_id)
        .where(Pairing.community_id == org.id, Pairing.status == "active")).all()
    done = counts(session, [p.id for p in active], year)
    # the households' grids: only pairings of households still living here count by grid
    grid_of = dict(session.execute(
        select(User.id, Org.grid_id).join(Org, Org.id == User.building_id)
        .join(Pairing, Pairing.household_id == User.id)
        .where(Pairing.community_id == org.id, Pairing.status == "active",
               *pairings.is_household(org.id))).all())
    member_names = dict(session.execute(
        select(User.id, User.name).where(User.id.in_({p.member_id for p in active}))).all())
    for p in active:
        if p.household_id in grid_of:
            g = grids[grid_of[p.household_id]]
            g["paired"] += 1
            g["visited"] += done.get(p.id, 0) >= need
    by_member: dict = {}
    for p in active:
        m = by_member.setdefault(p.member_id, {"member_id": p.member_id,
                                               "member": member_names[p.member_id],
                                               "paired": 0, "visited": 0})
        m["paired"] += 1
        m["visited"] += done.get(p.id, 0) >= need
    total = sum(g["households"] for g in grids.values())
    paired = sum(g["paired"] for g in grids.values())
    visited = sum(g["visited"] for g in grids.values())
    return {"community_id": org.id, "community": org.name, "year": year, "required": need,
            "households": total, "paired": paired, "visited": visited,
            "paired_share": _share(paired, total), "visited_share": _share(visited, total),
            "by_grid": [{**g, "paired_share": _share(g["paired"], g["households"]),
                         "visited_share": _share(g["visited"], g["households"])}
                        for g in grids.values()],
            "by_member": [{**m, "visited_share": _share(m["visited"], m["paired"]),
                           "below_min": m["paired"] < lowest}
                          for m in sorted(by_member.values(), key=lambda r: r["member_id"])]}


def _share(n: int, total: int) -> float:
    return round(100.0 * n / total, 1) if total else 0.0
