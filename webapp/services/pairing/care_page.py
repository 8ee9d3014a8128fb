"""需关爱家庭标注 at real size (issue 23 item 5, a sibling of 居民与账号): the households a grid
worker or community admin looks after, narrowed by building or to tagged ones, counted and
paged (a community has hundreds of households; the page listed them all as forms)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, or_, select

from ...models import CareTag, Org, User
from .. import paging, policy
from ..errors import Forbidden, Invalid
from . import pairings

PER_PAGE = 30


def _care_places(actor: User):
    """A condition on Org: the places the actor looks after as grid staff (policy.care_scope);
    Forbidden to anyone else."""
    grids, communities = policy.care_scope(actor)
    if not grids and not policy.community_ids_for(actor, "community_admin"):
        raise Forbidden(_l("只有网格员和社区管理员可以标注需关爱家庭。"))
    seen = []
    if grids:
        seen.append(Org.grid_id.in_(grids))
    if communities:
        seen.append(Org.community_id.in_(communities))
    return or_(*seen) if seen else false()


def care_households(session, actor: User):
    """A query of (household, building) the actor looks after as grid staff (policy.care_scope),
    by community, grid, building and id; Forbidden to anyone else."""
    return (select(User, Org).join(Org, Org.id == User.building_id)
            .where(*pairings.is_household(), _care_places(actor))
            .order_by(Org.community_id, Org.grid_id, Org.id, User.id))


def care_buildings(session, actor: User) -> list[tuple[int, str]]:
    """(id, name) of the buildings in the actor's care where a household lives, by id (their
    kept counts, tally.py: no household is read)."""
    return [tuple(r) for r in session.execute(select(Org.id, Org.name).where(
        Org.kind == "building", _care_places(actor), Org.households > 0).order_by(Org.id))]


def care_rows(session, q) -> list[dict]:
    """The rows of a care_households query, with their care tags."""
    return with_tags(session, session.execute(q).all())


def with_tags(session, got) -> list[dict]:
    """(household, building) pairs (anything with id and name) as care rows, with their tags."""
    tags = pairings.tags_of(session, [h.id for h, _b in got])
    return [{"id": h.id, "name": h.name, "building": b.name, "building_id": b.id,
             "tags": tags.get(h.id, [])} for h, b in got]


def care_list(session, actor: User) -> list[dict]:
    """Households of the grids the actor looks after, with their care tags (grid staff only)."""
    return care_rows(session, care_households(session, actor))


def care_page(session, actor: User, building: int | None = None, tagged: bool = False,
              page: int = 1, per_page: int = PER_PAGE) -> dict:
    """One page of care_list with the buildings to choose from, the total and the page count:
    counted and paged by the database, so only the page's households are read."""
    buildings = care_buildings(session, actor)
    if building is not None and building not in {b for b, _n in buildings}:
        raise Invalid({"building": _l("请从列表中选择楼栋。")})
    # found by the buildings' ids: given only the join, PostgreSQL read every user of the
    # district to count a grid's (44 ms)
    chosen = [building] if building is not None else [b for b, _n in buildings]
    if tagged:
        q = care_households(session, actor).where(
            User.building_id.in_(chosen),
            select(CareTag.id).where(CareTag.household_id == User.id).exists())
        total = session.scalar(select(func.count()).select_from(
            q.with_only_columns(User.id).order_by(None).subquery()))
        page, pages = paging.clamp(total, page, per_page)
        rows = care_rows(session, q.limit(per_page).offset((page - 1) * per_page))
    else:  # every household of the buildings: their kept counts (tally.py) say which
        # buildings the page spans, so it reads its own 30 (not a district building's 500)
        counted = session.execute(select(Org.id, Org.name, Org.households).where(
            Org.id.in_(chosen), Org.households > 0)
            .order_by(Org.community_id, Org.grid_id, Org.id)).all() if chosen else []
        total = sum(b.households for b in counted)
        page, pages = paging.clamp(total, page, per_page)
        rows = with_tags(session, _spanned(session, counted, (page - 1) * per_page, per_page))
    return {"rows": rows, "total": total, "page": page, "pages": pages, "buildings": buildings}


def _spanned(session, counted, start: int, n: int) -> list[tuple]:
    """(household, building) of the rows [start, start + n) of these buildings' households in
    order (care_households' order), each building's part read by its index on (building, id)."""
    out = []
    for b in counted:
        if n <= 0:
            break
        if start >= b.households:
            start -= b.households
            continue
        take = min(b.households - start, n)
        out += [(h, b) for h in session.execute(
            select(User.id, User.name).where(User.building_id == b.id, *pairings.is_household())
            .order_by(User.id).limit(take).offset(start))]
        n, start = n - take, 0
    return out
