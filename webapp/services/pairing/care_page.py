"""需关爱家庭标注 at real size (issue 23 item 5, a sibling of 居民与账号): the households a grid
worker or community admin looks after, narrowed by building or to tagged ones, counted and
paged (a community has hundreds of households; the page listed them all as forms)."""
from flask_babel import lazy_gettext as _l

from ...models import User
from ..errors import Invalid
from . import pairings

PER_PAGE = 30


def care_page(session, actor: User, building: int | None = None, tagged: bool = False,
              page: int = 1, per_page: int = PER_PAGE) -> dict:
    """One page of care_list with the buildings to choose from, the total and the page count."""
    rows = pairings.care_list(session, actor)
    buildings = sorted({(r["building_id"], r["building"]) for r in rows})
    if building is not None and building not in {b for b, _n in buildings}:
        raise Invalid({"building": _l("请从列表中选择楼栋。")})
    if building is not None:
        rows = [r for r in rows if r["building_id"] == building]
    if tagged:
        rows = [r for r in rows if r["tags"]]
    pages = max((len(rows) + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    return {"rows": rows[(page - 1) * per_page:page * per_page], "total": len(rows),
            "page": page, "pages": pages, "buildings": buildings}
