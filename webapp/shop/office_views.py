"""爱心超市 for the community's office: goods (list a unit's offer, restock, withdraw), the
reservations waiting, a member's page to hand goods over, and the accounts with their .xlsx."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..extensions import db
from ..models import utcnow
from ..schemas import parse, parse_query
from ..schemas.queries import PeriodPageQuery, PeriodQuery
from ..schemas.shop import GoodsInput
from ..services.errors import Invalid
from ..services.ledger import exports, periods
from ..services.shop import accounts, exchange, goods, pages
from ..web import scope
from ..web.downloads import download
from ..web.uploads import uploaded_photo
from ..web.htmx import answer, attempt, form_answer, local_next, page_or_fragment
from . import bp

S = db.session
# The ledger's period links (same words, so the same translations).
PERIOD_KINDS = (("month", _l("按月")), ("half", _l("按半年")), ("year", _l("按年")))


def _community():
    return scope.chosen_community(scope.communities())


@bp.route("/office", methods=["GET", "POST"])
@login_required
def office():
    """The office: put goods on the shelf, receive units' offers, see reservations waiting."""
    cid = _community().id
    values, errors = {}, {}
    if request.method == "POST":
        values = {k: v for k, v in request.form.to_dict().items() if k not in ("csrf_token",
                                                                             "community")}
        with attempt(Invalid) as a:
            goods.add(S, current_user, cid, parse(GoodsInput, values), photo=uploaded_photo())
            return answer(_("已上架。"), url_for("shop.office", community=cid))
        errors = a.errors
    return form_answer("shop/office.html", values, errors, **pages.office_page(S, current_user, cid))


@bp.post("/goods/<int:goods_id>/<any(receive, restock, withdraw):op>")
@login_required
def goods_action(goods_id, op):
    """接收 a unit's offer onto the shelf, 补货, or 下架."""
    if op == "receive":
        g, msg = goods.receive(S, current_user, goods_id), _("已接收并上架，谢谢捐赠单位。")
    elif op == "withdraw":
        g, msg = goods.withdraw(S, current_user, goods_id), _("已下架。")
    else:
        g, msg = goods.restock(S, current_user, goods_id, request.form.to_dict()), _("已补货。")
    return answer(msg, local_next(url_for("shop.office", community=g.community_id)))


def _member_ctx(member_id):
    cid = _community().id
    return pages.member_ctx(exchange.member_page(S, current_user, member_id, cid, utcnow()))


@bp.get("/members/<int:member_id>")
@login_required
def member(member_id):
    """One member at the office (opened by scanning their code): points, reservations to hand over."""
    return page_or_fragment("shop/member.html", "shop/_member.html", **_member_ctx(member_id))


@bp.post("/exchanges/<int:exchange_id>/hand-over")
@login_required
def hand_over(exchange_id):
    """The piece is given: the reservation is done, the points stay spent."""
    x = exchange.hand_over(S, current_user, exchange_id)
    return answer(_("已发放。"), local_next(url_for("shop.member", member_id=x.member_id)),
                  fragment=lambda: page_or_fragment("shop/member.html", "shop/_member.html",
                                                    **_member_ctx(x.member_id)))


def _period(q=None):
    q = q or parse_query(PeriodQuery, request.args)
    return periods.parse(q.period, utcnow(), q.kind or "month")


@bp.get("/accounts")
@login_required
def accounts_page():
    """积分台账: earned, spent and expired per member for a period, a page of members at a time."""
    c = _community()
    q = parse_query(PeriodPageQuery, request.args)
    data = accounts.tally(S, current_user, c.id, _period(q), page=q.page)

    def at(page):
        return url_for("shop.accounts_page", community=c.id, period=data["period"].key,
                       page=page)
    pager = {"prev": at(data["page"] - 1) if data["page"] > 1 else None,
             "next": at(data["page"] + 1) if data["page"] < data["pages"] else None}
    return render_template("shop/accounts.html", kinds=PERIOD_KINDS, pager=pager, **data)


@bp.get("/accounts.xlsx")
@login_required
def accounts_xlsx():
    """The accounts as .xlsx for the bookkeeper."""
    c = _community()
    data = accounts.tally(S, current_user, c.id, _period())
    return download(exports.to_bytes("xlsx", [accounts.sheet(data)]), "xlsx",
                    f"{c.name}-爱心超市积分台账-{data['period'].key}", "shop-accounts")

