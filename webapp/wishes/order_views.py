"""我的订单 and what a volunteer does with a claim: accept, decline, start, release, done."""
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse, parse_query
from ..schemas.queries import UnitPageQuery
from ..schemas.inputs import DoneInput
from ..services.wishes import claims, orders as orders_svc
from ..services import policy
from ..services.people import units
from ..services.errors import Conflict
from ..services.people.orgs import setting
from ..web.blueprints import member as bp
from ..web.htmx import answer, attempt, local_next, refusal_fragment, wants_fragment
from .fragments import card_dict, card_fragment, form_success


ORDERS_TARGET = "orders-groups"  # the element 我的订单's forms swap (HX-Target)


@bp.get("/orders")
@login_required
def orders():
    """My claims grouped by what comes next."""
    groups = orders_svc.my_claims(db.session, current_user)
    return render_template("wishes/orders.html", groups=groups,
                           empty=not any(g["cards"] for g in groups))


def _groups_fragment(notice, kind: str = "success", status: int = 200):
    """我的订单's groups as they are now: the card in its new group, its buttons, the counts."""
    groups = orders_svc.my_claims(db.session, current_user)
    html = render_template("wishes/_order_groups.html", groups=groups, notice=str(notice),
                           notice_kind=kind, empty=not any(g["cards"] for g in groups))
    return html, status, {"Vary": "HX-Request"}


def _from_orders() -> bool:
    return wants_fragment() and request.headers.get("HX-Target") == ORDERS_TARGET


def _claim_action(claim_id: int, run, message):
    """Run one claim transition; htmx gets the card (or 我的订单's groups) back, a plain form
    a redirect."""
    c = claims.get_claim(db.session, claim_id)
    wish_id = c.wish_id
    with attempt(Conflict, when=_from_orders() or wants_fragment()) as a:
        run(db.session, current_user, claim_id)
    if a.reason and _from_orders():  # the page was stale: show why, and the groups as they are
        return _groups_fragment(a.reason, "error", 409)
    if a.reason:
        return refusal_fragment(a.reason, code=a.code)
    if _from_orders():
        return _groups_fragment(message)
    return answer(message, local_next(url_for("member.orders")),
                  lambda: card_fragment(wish_id, notice=message))


@bp.post("/claims/<int:claim_id>/release")
@login_required
def release(claim_id: int):
    """Give up a claim before the service starts."""
    return _claim_action(claim_id, claims.release, _("已取消认领，心愿已回到菜单。"))


@bp.post("/claims/<int:claim_id>/start")
@login_required
def start(claim_id: int):
    """签到: the service begins; the resident is told."""
    return _claim_action(claim_id, claims.start, _("已开始服务，结束后请填写服务时长。"))


@bp.post("/claims/<int:claim_id>/accept")
@login_required
def accept(claim_id: int):
    """Accept a community dispatch (派单)."""
    return _claim_action(claim_id, lambda s, u, i: claims.answer_offer(s, u, i, True),
                         _("已接受派单，请按约定时间上门。"))


@bp.post("/claims/<int:claim_id>/decline")
@login_required
def decline(claim_id: int):
    """Decline a community dispatch; the place goes back to the menu."""
    return _claim_action(claim_id, lambda s, u, i: claims.answer_offer(s, u, i, False),
                         _("已婉拒这次派单。"))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@bp.route("/claims/<int:claim_id>/done", methods=["GET", "POST"])
@login_required
def done_form(claim_id: int):
    """Mark my part done with the actual hours (travel excluded)."""
    c = claims.get_claim(db.session, claim_id)
    if c.volunteer_id != current_user.id:
        abort(403)
    wish_id = c.wish_id
    max_hours = setting(c.wish.community, "max_service_hours")
    errors, status, reason = {}, 200, None
    value = request.form.get("hours", "")
    if request.method != "POST" and c.status != "started":
        reason, status = _("请先开始服务（签到），再标记完成。") if c.status == "active" else _(
            "这条认领不在服务中，无需填写时长。"), 409
    if request.method == "POST":
        with attempt() as a:
            data = parse(DoneInput, {"hours": value})
            claims.mark_done(db.session, current_user, claim_id, data.hours)
        errors, reason, status = a.errors, a.reason, a.status
        number = _number(value)
        if "hours" in errors and number is not None:
            # Say the real limit (this community's), not the schema's outer bound.
            errors["hours"] = _("服务时长应在 0.1 到 %(max)s 小时之间（不含路上时间）。",
                                max=max_hours) if not 0 < number <= max_hours else _(
                                "最多填一位小数，如 1.5。")
        if a.ok:
            msg = _("已标记完成，等待居民确认。谢谢您！")
            return answer(msg, url_for("member.orders"),
                          lambda: form_success(wish_id, notice=msg))
    template = "wishes/_done_form.html" if wants_fragment() else "wishes/done.html"
    return render_template(template, card=card_dict(wish_id), claim_id=claim_id,
                           errors=errors, reason=reason, value=value,
                           max_hours=max_hours), status


@bp.get("/unit")
@login_required
def unit():
    """The unit admin's view of the unit: members and their current claims, no recipient data."""
    if not policy.unit_ids_admined(current_user):
        abort(403)
    u = units.admined_unit(db.session, current_user)
    q = parse_query(UnitPageQuery, request.args)
    return render_template("wishes/unit.html", unit=u,
                           members=units.overview(db.session, u, q.page),
                           waiting=units.unconfirmed_page(db.session, u, q.waiting))


@bp.post("/unit/members/<int:member_id>/confirm")
@login_required
def confirm_unit_member(member_id: int):
    """The unit admin confirms that a person who named the unit belongs to it."""
    units.confirm_member(db.session, current_user, member_id, accept=True)
    return answer(_("已确认为本单位成员，其服务时长将计入本单位。"), url_for("member.unit"))


@bp.post("/unit/members/<int:member_id>/decline")
@login_required
def decline_unit_member(member_id: int):
    """The unit admin says this person is not theirs: the unit link is cleared."""
    units.confirm_member(db.session, current_user, member_id, accept=False)
    return answer(_("已移出本单位，其服务时长不计入本单位。"), url_for("member.unit"))
