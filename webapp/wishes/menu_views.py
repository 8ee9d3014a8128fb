"""The menu (需求菜单) and claiming: for oneself, or for one's unit with assigned members."""
from flask import current_app, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse, parse_query
from ..schemas.inputs import ClaimInput
from ..schemas.queries import MenuQuery
from ..services.wishes import claims, menu as menu_svc, menu_cache
from ..services import policy
from ..services.people import units
from ..services.errors import Invalid
from ..services.lists import insurance
from ..services.wishes.lifecycle import refusal
from ..services.wishes.wishes import get_wish
from ..services.notify import notify
from ..web.blueprints import member as bp
from . import page_cache
from ..schemas import to_id
from ..web.htmx import answer, attempt, refused_on_card, wants_fragment, with_vary
from .fragments import card_dict, card_fragment, form_success, wish_url

def _menu_filters(q: MenuQuery) -> dict:
    return {"category": q.category, "grid": q.grid, "kind": q.kind,
            "q": (q.q or "").strip()[:menu_svc.SEARCH_MAX] or None}


@bp.get("/menu")
@login_required
def menu():
    """Published wishes of my communities, my grid first; htmx gets only the list."""
    q = parse_query(MenuQuery, request.args)
    filters, cursor = _menu_filters(q), q.cursor
    # The user itself, not the proxy: the services below read it a few hundred times per page.
    me = current_user._get_current_object()
    fragment = wants_fragment()
    locale = str(get_locale())
    parts, nxt, choices, list_key = menu_cache.shared_list(
        db.session, current_app.extensions["wishgrid_menu"], me, filters=filters,
        cursor=cursor, limit=current_app.config.get("MENU_PAGE_SIZE", 20),
        locale=locale, choices=not fragment)
    active = {k: v for k, v in filters.items() if v}
    ctx = {
        "next_url": url_for("member.menu", cursor=nxt, **active) if nxt else None,
        "next_cursor": nxt, "filters": filters, "list_url": url_for("member.menu"),
        "paged": bool(cursor), "first_url": url_for("member.menu", **active),
    }
    if not fragment:
        communities = policy.community_ids_for(me, "member", "unit_admin")
        ctx.update(choices=choices, volunteer=bool(communities),
                   unit_admin=bool(policy.unit_ids_admined(me)))
    template = "wishes/_card_list.html" if fragment else "wishes/menu.html"
    page = dict(template=template, ctx=ctx, list_key=list_key, lang=locale,
                elder=me.elder_mode, viewer=menu_cache.viewer_key(me),
                unread=0 if fragment else notify.unread_count(db.session, me.id, at_start=me))
    html = page_cache.cached(**page)
    if html is None:
        ctx["cards"] = menu_cache.personal_cards(db.session, me, parts)
        html = page_cache.render(user=me, **page)
    return with_vary(make_response(html))


@bp.post("/wishes/<int:wish_id>/claim")
@login_required
def claim(wish_id: int):
    """Claim a wish for myself; htmx gets the updated card (or the reason, 409)."""
    refused = refused_on_card(lambda: claims.claim(db.session, current_user, wish_id))
    if refused:
        return refused
    # A category that requires accident insurance: warn a claimer with no cover (never refuse).
    warn = insurance.lacks_cover_for_wish(db.session, current_user,
                                          get_wish(db.session, wish_id))
    extra = (" " + str(insurance.WARNING)) if warn else ""
    return answer(_("认领成功！请在“我的订单”中查看，并按约定时间上门。") + extra, wish_url(wish_id),
                  lambda: card_fragment(wish_id, notice=_("认领成功！") + extra))


def _form_ids(name: str) -> tuple[list[int], bool]:
    """Checkbox values as ints; the flag says whether any was garbled."""
    raw = [to_id(v) for v in request.form.getlist(name)]
    ids = [i for i in raw if i is not None]
    return ids, len(ids) != len(raw)


@bp.route("/wishes/<int:wish_id>/unit-claim", methods=["GET", "POST"])
@login_required
def unit_claim_form(wish_id: int):
    """A unit admin claims a wish for the unit and picks which of its members serve."""
    wish = get_wish(db.session, wish_id)
    unit = units.admined_unit(db.session, current_user, wish.community_id)
    members = units.unit_members(db.session, unit.id, wish.community_id)
    errors, chosen, status, reason = {}, set(), 200, None
    if request.method != "POST" and wish.status != "published":
        reason, status = str(refusal(wish.status)), 409
    if request.method == "POST":
        ids, garbled = _form_ids("member_ids")
        chosen = set(ids)
        with attempt() as a:
            if garbled:
                raise Invalid({"member_ids": _("请从名单中勾选党员。")})
            data = parse(ClaimInput, {"unit_id": unit.id, "member_ids": ids})
            if not data.member_ids:
                raise Invalid({"member_ids": _("请至少指派一名本单位党员。")})
            claims.claim(db.session, current_user, wish_id, unit_id=unit.id,
                         member_ids=data.member_ids)
        errors, reason, status = a.errors, a.reason, a.status
        if a.ok:
            n = len(chosen)
            return answer(_("已以单位名义认领，并指派了 %(n)s 名党员。", n=n),
                          wish_url(wish_id),
                          lambda: form_success(wish_id, notice=_("单位认领成功！")))
    template = "wishes/_unit_claim_form.html" if wants_fragment() else "wishes/unit_claim.html"
    return render_template(template, card=card_dict(wish_id), unit=unit, members=members,
                           errors=errors, chosen=chosen, reason=reason), status
