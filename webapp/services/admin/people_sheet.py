"""居民与账号 as a spreadsheet (issue 23 item 5): the list people_list pages, whole, with the
same phones and addresses hidden."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...models import User
from ..ledger.exports import Sheet
from .people_list import ROLE_LABELS, STATUS_LABELS, Filters, list_query, visible_rows


def people_sheet(session, viewer: User, community_ids: set[int], f: Filters) -> Sheet:
    """The whole filtered list as a spreadsheet, streamed a thousand people at a time (the
    writer neutralises formula text); nothing holds the whole list."""
    query = list_query(session, viewer, community_ids, f)
    stmt, q = (query.statement(), query.q) if query is not None else (None, "")

    def rows():
        if stmt is None:
            return
        people = session.scalars(stmt.order_by(User.name, User.id).options(
            selectinload(User.roles), selectinload(User.building))
            .execution_options(yield_per=1000))
        for p in visible_rows(viewer, q, people):
            yield [p["name"], p["phone"] or "", p["grid"], p["building"], p["address"],
                   str(_l("、")).join(str(ROLE_LABELS.get(r, r)) for r in p["roles"]),
                   str(STATUS_LABELS["active" if p["active"] else "inactive"]),
                   str(_l("是") if p["activated"] else _l("否"))]
    count = session.scalar(select(func.count()).select_from(stmt.subquery())) \
        if stmt is not None else 0
    return Sheet(title=str(_l("居民与账号")),
                 headers=[str(h) for h in (_l("姓名"), _l("手机号"), _l("网格"), _l("楼栋"),
                                           _l("门牌/地址"), _l("身份"), _l("状态"),
                                           _l("已激活"))],
                 widths=[12, 14, 14, 14, 18, 24, 8, 8], rows=rows(), count=count or 0)
