"""/me/unit: a member who changed employer reports again (报到) with the new unit."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import to_id
from ..services import policy
from ..services.errors import Conflict, Forbidden, Invalid
from ..services.people import registrations
from ..web.blueprints import account as bp
from ..web.htmx import attempt


def _page(errors=None, status=200):
    user = current_user
    return render_template("people/account_unit.html", user=user,
                           units=registrations.unit_choices(db.session, user),
                           reg=registrations.latest_for(db.session, user),
                           errors=errors or {}), status


@bp.route("/me/unit", methods=["GET", "POST"])
@login_required
def change_unit():
    """Choose the new unit; the community approves, then the new unit's admin confirms."""
    if not policy.community_ids_for(current_user, "member"):
        raise Forbidden(_("只有已报到的党员可以更换工作单位。"))
    if request.method != "POST":  # GET and HEAD only show the form
        return _page()
    with attempt(Invalid, Conflict) as a:
        registrations.re_report(db.session, current_user._get_current_object(),
                                to_id(request.form.get("unit_id")))
    if a.errors:
        return _page(a.errors, 422)
    if a.reason:
        return _page({"unit_id": a.reason}, 409)
    flash(_("已提交新的报到，社区审核通过、新单位确认后，您的服务时长计入新单位。"), "success")
    return redirect(url_for("main.me"), 303)
