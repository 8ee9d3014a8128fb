"""爱心超市 for members and units: the shelf, reserving, cancelling, the member's code, a unit's
offers. Thin views over services/shop."""
from flask import Response, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..extensions import db
from ..models import utcnow
from ..schemas import parse
from ..schemas.shop import GoodsInput
from ..services import policy
from ..services.errors import Forbidden, Invalid
from ..services.ledger.certificates import qr_svg
from ..services.shop import exchange, goods, pages
from ..web.htmx import answer, attempt, form_answer, local_next, page_or_fragment, refused_on_card
from ..web import ticket
from ..web.public import external_url
from ..web.uploads import uploaded_photo
from . import bp

S = db.session


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/")
@login_required
def index():
    """爱心超市: the community's goods; a member's points, their exchanges and what they can take."""
    return page_or_fragment("shop/index.html", "shop/_shelf.html",
                            **pages.shop_page(S, current_user))


@bp.post("/goods/<int:goods_id>/reserve")
@login_required
def reserve(goods_id):
    """Take one piece: stock and points move together; refusals say why (sold out, limit, points)."""
    refused = refused_on_card(lambda: exchange.reserve(S, current_user, goods_id))
    if refused:
        return refused
    return answer(_("已预留，请到社区办公室出示“我的兑换码”领取。"), url_for("shop.index"),
                  fragment=lambda: render_template("shop/_shelf.html",
                                                   **pages.shop_page(S, current_user)))


@bp.post("/exchanges/<int:exchange_id>/cancel")
@login_required
def cancel(exchange_id):
    """Cancel a reservation (the member, or the office): the piece and the points come back."""
    exchange.cancel(S, current_user, exchange_id)
    return answer(_("已取消，积分已退回。"), local_next(url_for("shop.index")))


def _code_context() -> dict:
    url = external_url("shop.scan", token=exchange.code_for(current_user.id))
    return {"url": url, "name": current_user.name,
            "qr": Markup(qr_svg(url, scale=7, title=_("兑换码")))}  # noqa: S704 — segno's SVG


@bp.get("/code")
@login_required
def my_code():
    """我的兑换码: the member's rotating code, shown at the office to take reserved goods."""
    if not policy.shop_communities(current_user):
        raise Forbidden(_("只有向社区报到的党员有兑换码。"))
    return _no_store(make_response(render_template("shop/code.html", **_code_context())))


@bp.get("/code/live")
@login_required
def my_code_live():
    """The code redrawn (htmx polls this: the code changes every 30 s)."""
    if not policy.shop_communities(current_user):
        raise Forbidden(_("只有向社区报到的党员有兑换码。"))
    return _no_store(make_response(render_template("shop/_code.html", **_code_context())))


@bp.route("/offer", methods=["GET", "POST"])
@login_required
def offer():
    """A unit's admin offers goods to the community's shop (the office lists them on arrival)."""
    ctx = pages.unit_page(S, current_user)
    values, errors = {}, {}
    if request.method == "POST":
        values = {k: v for k, v in request.form.to_dict().items() if k != "csrf_token"}
        with attempt(Invalid) as a:
            data = parse(GoodsInput, values)
            goods.offer(S, current_user, ctx["unit"]["id"], data, photo=uploaded_photo())
            return answer(_("谢谢捐赠！社区收到物品后会上架。"), url_for("shop.offer"))
        errors = a.errors
        ctx = pages.unit_page(S, current_user)
    return form_answer("shop/offer.html", values, errors, **ctx)


@bp.get("/m/<token>")
def scan(token):
    """What the office's camera opens: a live member code leads to that member's page."""
    return ticket.admit("shop", exchange.read_code, token, utcnow(),
                        lambda mid: url_for("shop.member", member_id=mid))


@bp.get("/goods/<int:goods_id>/photo")
@login_required
def goods_photo(goods_id):
    """An uploaded photo of goods (served with its checked type, never sniffed)."""
    data, mime = goods.photo_of(S, goods_id)
    return Response(data, mimetype=mime, headers={"Cache-Control": "private, max-age=86400",
                                                  "X-Content-Type-Options": "nosniff"})
