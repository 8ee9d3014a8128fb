"""全国志愿服务信息系统导出: the community's volunteers, activities and approved hours of a period,
in the national standard's fields, as .xlsx (three sheets) or CSV (one table)."""
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..extensions import db
from ..models import utcnow
from ..schemas import parse_query
from ..schemas.queries import NationalQuery
from ..services.ledger import exports, national, periods
from ..web.downloads import download
from . import access, bp
from .reports import PERIOD_KINDS

TABLE_NAMES = {"volunteers": "志愿者", "activities": "志愿服务项目", "hours": "服务时间记录"}
TABLE_LABELS = {"volunteers": _l("志愿者"), "activities": _l("志愿服务项目"),
                "hours": _l("服务时间记录")}


def _query():
    c = access.community()
    national.require(current_user, c.id)
    q = parse_query(NationalQuery, request.args)
    return c, q, periods.parse(q.period, utcnow(), q.kind or "year")


@bp.get("/ledger/national")
@login_required
def national_page():
    """What the export of a period holds, and the download links."""
    c, q, period = _query()
    return render_template("ledger/national.html", community=c, period=period,
                           kinds=PERIOD_KINDS, tables=TABLE_LABELS,
                           counts=national.counts(db.session, c, period))


@bp.get("/ledger/national/export")
@login_required
def national_export():
    """The export as .xlsx (three sheets) or as CSV (the table asked for)."""
    c, q, period = _query()
    table = q.table if q.fmt == "csv" else None
    sheets = national.sheets(db.session, current_user, c, period, table)
    name = f"{c.name}-全国志愿服务信息系统-{period.key}" + (f"-{TABLE_NAMES[table]}" if table else "")
    return download(exports.to_bytes(q.fmt, sheets), q.fmt, name, f"national-{period.key}")
