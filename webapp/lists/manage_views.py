"""Forms for what only the services could do before (issue 29 §4): pause a resource or open it
again, close it for a day, amend a signed project (a new version both sides sign)."""
from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse
from ..schemas.lists import ClosureInput, ProjectInput
from ..services import policy
from ..services.errors import Forbidden, Invalid
from ..services.lists import projects, recurrence, resources
from ..web.htmx import answer, attempt, form_answer
from . import bp

S = db.session


def resource_page(resource_id, values=None, errors=None):
    """A resource and its next two weeks of slots (places left, never who booked); its
    managers also get the pause and closed-day forms, with errors next to their fields."""
    r = resources.get(S, resource_id)
    manager = policy.can_manage_resource(current_user, r.community_id, r.unit_id)
    if not (manager or policy.may_book_at(current_user, r)
            or r.community_id in policy.community_ids_for(current_user, "member", "unit_admin",
                                                          "grid_worker", "community_admin")):
        raise Forbidden(_("这项资源只对指定社区的居民开放。"))
    return form_answer("lists/resource.html", values or {}, errors or {},
                       r=resources.card(r, resources.unit_names(S, [r])),
                       slots=resources.availability(S, r), manager=manager,
                       closures=resources.closures(S, r) if manager else [],
                       can_book=policy.may_book_at(current_user, r))


@bp.post("/resources/<id:resource_id>/pause")
@login_required
def pause_resource(resource_id):
    """Take the resource off the list for now; existing bookings stay."""
    resources.set_active(S, current_user, resource_id, False)
    return answer(_("已暂停开放，居民暂时看不到这项资源；已有的预约不受影响。"),
                  url_for("lists.resource", resource_id=resource_id))


@bp.post("/resources/<id:resource_id>/resume")
@login_required
def resume_resource(resource_id):
    """Put a paused resource back on the list."""
    resources.set_active(S, current_user, resource_id, True)
    return answer(_("已恢复开放。"), url_for("lists.resource", resource_id=resource_id))


@bp.post("/resources/<id:resource_id>/closures")
@login_required
def close_resource_day(resource_id):
    """Close the resource on one day (a holiday, maintenance)."""
    values = {k: v for k, v in request.form.to_dict().items() if k != "csrf_token"}
    with attempt(Invalid) as a:
        resources.require_manager(current_user, resources.get(S, resource_id))
        data = parse(ClosureInput, values)
        resources.close_day(S, current_user, resource_id, data.day, data.reason)
        return answer(_("已设为当天不开放。"), url_for("lists.resource", resource_id=resource_id))
    return resource_page(resource_id, values, a.errors)


def _form_values(p) -> dict:
    c = projects.card(p)
    return {k: ("" if v is None else str(v)) for k, v in c.items()
            if k in ("title", "content", "standard", "target", "place", "responsible_name",
                     "starts_on", "ends_on", "rrule", "start", "end", "session_capacity",
                     "server_capacity")} | {
        "unit_id": str(p.unit_id), "target_per_month": str(p.target_per_month or ""),
        "any_member": "1" if p.any_member else "", "requires_insurance":
        "1" if p.requires_insurance else ""}


@bp.route("/projects/<id:project_id>/amend", methods=["GET", "POST"])
@login_required
def amend_project(project_id):
    """修订项目书: a new version of a signed or running project; the old one stands until both
    sides have signed the new one."""
    p = projects.get(S, project_id)
    if policy.project_side(current_user, p) is None:
        raise Forbidden(_("只有项目双方（社区管理员、单位管理员）可以操作项目书。"))
    values, errors = _form_values(p), {}
    if request.method == "POST":
        values = request.form.to_dict()
        with attempt(Invalid) as a:
            new = projects.amend(S, current_user, p.id, parse(ProjectInput, {
                **values, "community_id": p.community_id, "unit_id": p.unit_id,
                "any_member": values.get("any_member") == "1",
                "requires_insurance": values.get("requires_insurance") == "1"}))
            return answer(_("修订版已保存，双方签订后替换原项目书。"),
                          url_for("lists.project", project_id=new.id))
        errors = a.errors
    presets = recurrence.PRESETS
    if values.get("rrule") and values["rrule"] not in {v for v, _l in presets}:
        presets = [(values["rrule"], values["rrule"]), *presets]  # keep a custom rule choosable
    return form_answer("lists/project_form.html", values, errors, units=[p.unit], presets=presets,
                       heading=_("修订项目书") + f" · {p.title}",
                       action=url_for("lists.amend_project", project_id=p.id))
