"""需关爱家庭标注 at real size (issue 23 item 5, a sibling of 居民与账号): the households a grid
worker or community admin looks after, narrowed by building or to tagged ones, counted and
paged (a community has hundreds of households; the page listed them all as forms)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...models import CareTag, Org, User
from .. import paging
from ..errors import Invalid
from . import pairings

PER_PAGE = 30


def care_page(session, actor: User, building: int | None = None, tagged: bool = False,
              page: int = 1, per_page: int = PER_PAGE) -> dict:
    """One page of care_list with the buildings to choose from, the total and the page count:
    counted and paged by the database, so only the page's households are read."""
    q = pairings.care_households(session, actor)
    buildings = pairings.care_buildings(session, actor)
    if building is not None and building not in {b for b, _n in buildings}:
        raise Invalid({"building": _l("请从列表中选择楼栋。")})
    if building is not None:
        q = q.where(User.building_id == building)
    else:  # the same households, found by the buildings' ids: given only the join, PostgreSQL
        # read every user of the district to count a grid's (44 ms)
        q = q.where(User.building_id.in_([b for b, _n in buildings]))
    if tagged:
        q = q.where(select(CareTag.id).where(CareTag.household_id == User.id).exists())
        total = session.scalar(select(func.count()).select_from(
            q.with_only_columns(User.id).order_by(None).subquery()))
        page, pages = paging.clamp(total, page, per_page)
        rows = pairings.care_rows(session, q.limit(per_page).offset((page - 1) * per_page))
    else:  # every household of the buildings: their kept counts (tally.py) say which
        # buildings the page spans, so it reads its own 30 (not a district building's 500)
        chosen = [building] if building is not None else [b for b, _n in buildings]
        counted = session.execute(select(Org.id, Org.name, Org.households).where(
            Org.id.in_(chosen), Org.households > 0)
            .order_by(Org.community_id, Org.grid_id, Org.id)).all() if chosen else []
        total = sum(b.households for b in counted)
        page, pages = paging.clamp(total, page, per_page)
        rows = pairings.with_tags(session, _spanned(session, counted, (page - 1) * per_page,
                                                    per_page))
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
