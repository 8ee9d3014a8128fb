"""The export to the national volunteer service information system (志愿服务条例 art. 19: records
go into the system the civil-affairs ministry designates, to its unified data standard,
《志愿服务信息系统基本规范》). Three tables per period — volunteers, activities, service hours —
with the standard's element names as headers (the mapping from our fields: docs/NATIONAL_EXPORT.md).

Approved hours only: every ledger line is approved hours; a service counts by its net hours
(reversals and corrections netted per record), and one netted to nothing is left out. Rows are
streamed from the database (yield_per) into openpyxl's write-only workbook or the CSV writer:
no list of all rows is ever built.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import aliased

from ...models import (Category, LedgerEntry, LedgerServices, Org, Project, ProjectSession,
                       ServiceRecord, Unit, User, Wish)
from .. import policy
from ..errors import Forbidden
from .certificates import holder_name
from .exports import Sheet
from .periods import Period, local

BATCH = 2000
BASIS = {"presence": "现场签到", "honour": "补录", None: "服务对象确认"}

VOLUNTEER_HEADERS = ["志愿者编号", "姓名", "联系电话", "服务技能", "所在单位", "注册日期",
                     "所属志愿服务组织", "本期服务次数", "本期服务时长（小时）"]
ACTIVITY_HEADERS = ["项目编号", "项目名称", "项目类型", "服务类别", "服务地点", "开始日期",
                    "结束日期", "发布组织", "参与志愿者人数", "服务时长合计（小时）"]
HOURS_HEADERS = ["记录编号", "志愿者编号", "姓名", "项目编号", "项目名称", "服务日期",
                 "服务时长（小时）", "记录方式", "记录组织", "记录日期", "校验码"]


def require(actor: User, community_id: int) -> None:
    """Only the recorder — the community's admin — exports its records."""
    if not policy.can_export_national(actor, community_id):
        raise Forbidden(_l("只有本社区管理员可以导出全国志愿服务信息系统数据。"))


def _in(period: Period, community_id: int):
    return (LedgerEntry.community_id == community_id,
            LedgerEntry.service_month.between(period.first_month, period.last_month))


def _project_code(wish_id, project_id) -> str:
    return f"W{wish_id}" if wish_id else (f"P{project_id}" if project_id else "")


def _net_records(period: Period, community_id: int):
    """Per service record: its volunteer, wish or project, first date, net hours, basis, when
    first approved and the hash of its latest line; only records whose net hours are > 0."""
    ps = aliased(ProjectSession)
    return (select(LedgerEntry.record_id, LedgerEntry.volunteer_id,
                   func.max(LedgerEntry.wish_id).label("wish_id"),
                   func.max(ps.project_id).label("project_id"),
                   func.min(LedgerEntry.service_date).label("day"),
                   func.sum(LedgerEntry.hours).label("hours"),
                   func.max(LedgerEntry.basis).label("basis"),
                   func.min(LedgerEntry.created_at).label("approved"),
                   func.max(LedgerEntry.seq).label("last_seq"))
            .join(ServiceRecord, ServiceRecord.id == LedgerEntry.record_id)
            .outerjoin(ps, ps.id == ServiceRecord.session_id)
            .where(*_in(period, community_id))
            .group_by(LedgerEntry.record_id, LedgerEntry.volunteer_id)
            .having(func.sum(LedgerEntry.hours) > 0))


def hours_sheet(session, community: Org, period: Period) -> Sheet:
    """服务时间记录: one row per service with approved net hours."""
    net = _net_records(period, community.id).subquery()
    wish, proj = aliased(Wish), aliased(Project)
    q = (select(net, User, func.coalesce(wish.title, proj.title), LedgerEntry.hash)
         .join(User, User.id == net.c.volunteer_id)
         .outerjoin(wish, wish.id == net.c.wish_id).outerjoin(proj, proj.id == net.c.project_id)
         .join(LedgerEntry, (LedgerEntry.community_id == community.id)
               & (LedgerEntry.seq == net.c.last_seq))
         .order_by(net.c.day, net.c.record_id))

    def rows():
        for row in session.execute(q.execution_options(yield_per=BATCH)):
            rid, _vid, wid, pid, day, h, basis, approved, _seq, user, title, hsh = row
            yield [f"R{rid}", user.volunteer_no or "", holder_name(user), _project_code(wid, pid),
                   title or "", local(day).date(), h, BASIS.get(basis, basis),
                   community.name, local(approved).date(), hsh[:16]]
    return Sheet("服务时间记录", HOURS_HEADERS, [10, 16, 10, 10, 24, 12, 14, 12, 16, 12, 18],
                 rows(), (6,), 0, [f"{community.name}志愿服务时间记录（{period.label}，仅已认定时长）"])


def volunteer_sheet(session, community: Org, period: Period) -> Sheet:
    """志愿者: every volunteer with approved hours in the period, with the period's totals."""
    net = _net_records(period, community.id).subquery()
    per = (select(net.c.volunteer_id, func.count().label("n"), func.sum(net.c.hours).label("h"))
           .group_by(net.c.volunteer_id).subquery())
    q = (select(User, Unit.name, per.c.n, per.c.h).join(per, per.c.volunteer_id == User.id)
         .outerjoin(Unit, Unit.id == User.unit_id).order_by(User.id))

    def rows():
        for user, unit, n, h in session.execute(q.execution_options(yield_per=BATCH)):
            yield [user.volunteer_no or "", holder_name(user), user.phone or "",
                   user.skills or "", unit or "", local(user.created_at).date(), community.name,
                   n, h]
    return Sheet("志愿者", VOLUNTEER_HEADERS, [16, 10, 14, 20, 20, 12, 16, 12, 16], rows(),
                 (7, 8), 0, [f"{community.name}志愿者信息（{period.label}有已认定时长者）"])


def activity_sheet(session, community: Org, period: Period) -> Sheet:
    """志愿服务项目: wishes served and co-building projects held in the period."""
    net = _net_records(period, community.id).subquery()
    wid, pid = net.c.wish_id, net.c.project_id
    key = func.coalesce(wid, -pid)  # one group per wish or per project
    grouped = (select(key.label("k"), func.max(wid).label("wid"), func.max(pid).label("pid"),
                      func.min(net.c.day).label("first"), func.max(net.c.day).label("last"),
                      func.count(func.distinct(net.c.volunteer_id)).label("people"),
                      func.sum(net.c.hours).label("h"))
               .group_by(key).subquery())
    grid = aliased(Org)
    q = (select(grouped, func.coalesce(Wish.title, Project.title),
                func.coalesce(Category.name, literal("")), grid.name)
         .outerjoin(Wish, Wish.id == grouped.c.wid).outerjoin(Project, Project.id == grouped.c.pid)
         .outerjoin(Category, Category.id == func.coalesce(Wish.category_id, Project.category_id))
         .outerjoin(grid, grid.id == Wish.grid_id)
         .order_by(grouped.c.first, grouped.c.k))

    def rows():
        for row in session.execute(q.execution_options(yield_per=BATCH)):
            _k, w, p, first, last, people, h, title, cat, place = row
            yield [_project_code(w, p), title or "", "微心愿" if w else "共建项目", cat or "",
                   place or community.name, local(first).date(), local(last).date(),
                   community.name, people, h]
    return Sheet("志愿服务项目", ACTIVITY_HEADERS, [10, 24, 10, 12, 14, 12, 12, 16, 14, 18],
                 rows(), (8, 9), 0, [f"{community.name}志愿服务项目（{period.label}）"])


TABLES = {"volunteers": volunteer_sheet, "activities": activity_sheet, "hours": hours_sheet}


def sheets(session, actor: User, community: Org, period: Period, table: str | None = None):
    """The export's sheets (all three for .xlsx; one for CSV), for the community's admin."""
    require(actor, community.id)
    if table:
        return [TABLES[table](session, community, period)]
    return [f(session, community, period) for f in TABLES.values()]


def counts(session, community: Org, period: Period) -> dict:
    """How many volunteers, services and hours the export of a period holds (for the page): read
    from the ledger's kept monthly summary (models.LedgerServices), not the period's lines."""
    k = LedgerServices
    n, people, h = session.execute(
        select(func.coalesce(func.sum(k.services), 0),
               func.count(func.distinct(case((k.services > 0, k.volunteer_id)))),
               func.coalesce(func.sum(k.hours), 0))
        .where(k.community_id == community.id,
               k.service_month.between(period.first_month, period.last_month))).one()
    return {"services": n, "volunteers": people, "hours": h}
