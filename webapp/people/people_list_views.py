"""居民与账号 at real size (issue 23 item 5): search, filters by grid, building, role and status,
a total, pages of 50, and the filtered list as CSV or Excel. Thin views over
services/admin/people_list."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse_query
from ..schemas.queries import PeopleQuery
from ..services import policy
from ..services.admin import people_list, people_sheet, staff
from ..services.errors import Forbidden, Invalid
from ..services.people import activation
from ..web.blueprints import staff as bp
from ..web.downloads import download_sheets

FILTERS = ("q", "grid", "building", "role", "status", "community")


def _people_scope() -> set[int]:
    """The viewer's communities, or the one of them that ?community= names (待办概览's link)."""
    rows = staff.communities_for(db.session, current_user)
    if not rows and not policy.org_ids_for(current_user, "grid_worker"):
        raise Forbidden(_("只有网格员和社区、街道管理员可以查看居民账号。"))
    ids = {c.id for c in rows}
    one = parse_query(PeopleQuery, request.args).community
    if one is not None and one not in ids:
        raise Forbidden(_("只能查看本人管理的社区。"))
    return {one} if one is not None else ids


def _filters(q: PeopleQuery) -> people_list.Filters:
    return people_list.Filters(q=(q.q or "").strip()[:40], grid=q.grid, building=q.building,
                               role=q.role, status=q.status, page=q.page)


def _options(where: dict) -> dict:
    return {"grid_options": [(g["id"], g["name"]) for g in where["grids"]],
            "building_options": [(b["id"], b["name"]) for b in where["buildings"]]}


@bp.get("/people")
@login_required
def people():
    """The people the staff member serves: search, filter, count, page, download."""
    scope = _people_scope()
    values = {k: request.args.get(k, "") for k in FILTERS}
    errors, status = {}, 200
    # The user, not the proxy: the policy is asked about every person found.
    me = current_user._get_current_object()
    where = people_list.places(db.session, me, scope)  # the filters' choices and their check
    try:
        f = _filters(parse_query(PeopleQuery, request.args))
        result = people_list.people_page(db.session, me, scope, f, where=where)
    except Invalid as exc:  # a filter from another place or a hand-made URL: said beside it
        errors, status = exc.fields, 422
        result = {"rows": [], "total": 0, "page": 1, "pages": 1}
    kept = {k: v for k, v in values.items() if v}
    pager = {"prev": url_for("staff.people", **kept, page=result["page"] - 1)
             if result["page"] > 1 else None,
             "next": url_for("staff.people", **kept, page=result["page"] + 1)
             if result["page"] < result["pages"] else None}
    return render_template(
        "people/people.html", people=result["rows"], total=result["total"], page=result["page"],
        pages=result["pages"], pager=pager, values=values, errors=errors,
        q=values["q"], **_options(where),
        roles=people_list.ROLE_LABELS, statuses=people_list.STATUS_LABELS,
        csv_url=url_for("staff.people_export", **kept, fmt="csv"),
        xlsx_url=url_for("staff.people_export", **kept, fmt="xlsx"),
        activation=activation.grids_for(db.session, me)), status


@bp.get("/people/export")
@login_required
def people_export():
    """The filtered list, every page, as CSV or Excel (formula-like text neutralised)."""
    q = parse_query(PeopleQuery, request.args)
    sheet = people_sheet.people_sheet(db.session, current_user, _people_scope(), _filters(q))
    return download_sheets([sheet], q.fmt, _("居民与账号"))
