"""结对安排 in bulk (issue 23 item 2): a manual pairing of a chosen member with chosen households,
and ending several pairings (or undoing the last batch) in one step. Thin views over
services/pairing (pairings.pair, batches.end_many)."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse, to_id
from ..schemas.pairing import PairInput
from ..services import policy
from ..services.errors import Forbidden, Invalid
from ..services.pairing import batches, pairings
from ..web.htmx import attempt
from . import bp
from .views import manage_page

S = db.session


def _community():
    """The community the form was sent from (an admin's own, else their first)."""
    ids = sorted(policy.community_ids_for(current_user, "community_admin"))
    if not ids:
        raise Forbidden(_("只有社区管理员可以安排结对联户。"))
    wanted = to_id(request.form.get("community"))
    return pairings.community_of(S, current_user, wanted if wanted in ids else ids[0])


@bp.post("/pairing/manage/pair")
@login_required
def pair_manual():
    """Pair the chosen member with the chosen households."""
    org = _community()
    values = {"member_id": request.form.get("member_id", ""),
              "household_ids": request.form.getlist("household")}
    with attempt(Invalid) as a:
        data = parse(PairInput, values)
        rows = pairings.pair(S, current_user, data.member_id, data.household_ids)
    if not a.ok:  # the building chosen stays open, with the ticks kept
        return manage_page(org, a.errors, values, 422, building=to_id(request.form.get("building")))
    flash(_("已结对 %(n)s 户。", n=len(rows)), "success")
    return redirect(url_for("pairing.manage", community=rows[0].community_id) + "#last-batch")


@bp.post("/pairing/manage/end")
@login_required
def end_many():
    """End the ticked pairings with one reason (also: undo the last batch)."""
    org = _community()
    ids = [to_id(v) for v in request.form.getlist("pairing")]
    if None in ids:
        raise Invalid({"pairing": _("请从列表中选择。")})
    with attempt(Invalid) as a:
        rows = batches.end_many(S, current_user, ids, request.form.get("reason"))
    page = to_id(request.form.get("page"))  # the page of pairings the form was on
    if not a.ok:
        return manage_page(org, a.errors, {"reason": request.form.get("reason", "")}, 422,
                           page=page)
    flash(_("已结束 %(n)s 组结对。", n=len(rows)), "success")
    return redirect(url_for("pairing.manage", community=rows[0].community_id, page=page)
                    + "#pairings")
