"""保险登记 (issue 24 item 6): the community's register of accident insurance, and the list of
who served on which session under which policy, as .xlsx for the insurer."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse
from ..schemas.lists import InsuranceInput
from ..services import policy
from ..services.errors import Forbidden, Invalid
from ..services.lists import insurance
from ..web.downloads import download_sheets
from ..web.htmx import attempt, form_answer
from . import bp

S = db.session


def _admin_community() -> int:
    ids = sorted(policy.community_ids_for(current_user, "community_admin"))
    if not ids:
        raise Forbidden(_("只有社区管理员可以登记保险。"))
    return ids[0]


@bp.route("/insurance", methods=["GET", "POST"])
@login_required
def insurance_register():
    """The register: record a person's cover, see every policy recorded."""
    cid = _admin_community()
    values, errors = {}, {}
    if request.method == "POST":
        values = {k: v for k, v in request.form.to_dict().items() if k != "csrf_token"}
        with attempt(Invalid) as a:
            insurance.record(S, current_user, cid, parse(InsuranceInput, values))
            flash(_("已登记。"), "success")
            return redirect(url_for("lists.insurance_register"))
        if not a.ok:
            errors = a.errors
    return form_answer("lists/insurance.html", values, errors,
                       policies=insurance.policies(S, current_user, cid))


@bp.get("/projects/<id:project_id>/insurance.xlsx")
@login_required
def insurance_xlsx(project_id):
    """For the insurer: each session's servers and their cover that day."""
    p, sheet = insurance.project_sheet(S, current_user, project_id)
    return download_sheets([sheet], "xlsx", f"{p.title}-保险名单", "insurance")
