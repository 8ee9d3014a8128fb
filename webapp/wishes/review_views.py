"""The community's wish work: review queue, wish list, review form and dispatch (派单)."""
from flask import (abort, current_app, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..models import Org, utcnow
from ..schemas import to_id
from ..web.htmx import answer, attempt, wants_fragment, with_vary
from .fragments import card_dict, form_success, wish_url
from ..schemas import parse, parse_query
from ..schemas.queries import SearchQuery, StaffListQuery
from ..schemas.inputs import DispatchInput, Review
from ..services.wishes import amend, claims, lifecycle, menu as menu_svc, menu_cache, present
from ..services import policy
from ..services.people import units
from ..services.wishes import wishes as wish_svc
from ..services.wishes.choices import filter_choices
from ..services.errors import Forbidden, Invalid
from ..services.people.orgs import approved_units
from ..web.blueprints import admin as bp

LIST_ROLES = ("community_admin", "grid_worker", "street_admin")
STAFF_PAGE = 20  # wishes a page of the staff's lists (menu.list_wishes's own default)


def _staff_scope(me) -> tuple[set[int], set[int]]:
    """(communities, grids) the user works in as staff; 403 for everyone else."""
    communities = policy.community_ids_for(me, "community_admin")
    streets = policy.org_ids_for(me, "street_admin")
    if streets:
        communities |= set(db.session.scalars(
            select(Org.id).where(Org.kind == "community", Org.street_id.in_(streets))))
    grids = policy.org_ids_for(me, "grid_worker")
    if not communities and not grids:
        abort(403)
    return communities, grids


def _list_page(template: str, status: str | None, title: str, q: StaffListQuery):
    """A staff list of wishes (filters by status, grid, and 待办概览's community and
    overdue/unclaimed), the list alone for htmx."""
    # The user itself, not flask-login's proxy: the cards' policy reads it a few hundred times.
    me = current_user._get_current_object()
    communities, grids = _staff_scope(me)
    grid, cursor = q.grid, q.cursor
    search = (q.q or "").strip()[:menu_svc.SEARCH_MAX] or None
    if q.only == "unclaimed":
        status = "published"  # the backlog's 待认领: in the menu, not filled yet
    filters = {"status": status, "grid": grid, "q": search, "community": q.community}
    if q.only == "overdue":  # as of now: the time moves it, not a change a version counts
        items, nxt = menu_svc.list_wishes(db.session, me, view="all", cursor=cursor,
                                          overdue_at=utcnow(), **filters)
        cards = present.cards(db.session, items, me)
    else:
        cards, nxt = menu_cache.staff_list(
            db.session, current_app.extensions["wishgrid_menu"], me, filters=filters,
            cursor=cursor, limit=STAFF_PAGE, locale=str(get_locale()))
    keep = {k: v for k, v in {"status": status if template == "wishes/wishes.html" and not q.only
                              else None, "grid": grid, "q": search, "community": q.community,
                              "only": q.only}.items() if v}
    endpoint = request.endpoint
    ctx = {"cards": cards, "paged": bool(cursor),
           "next_url": url_for(endpoint, cursor=nxt, **keep) if nxt else None,
           "next_cursor": nxt, "filters": {"status": status, "grid": grid, "q": search or "",
                                           "community": q.community, "only": q.only},
           "list_url": url_for(endpoint), "title": title}
    if wants_fragment():
        return with_vary(make_response(render_template("wishes/_card_list.html", **ctx)))
    ctx["choices"] = filter_choices(db.session, communities, grids)
    ctx["narrowed"] = _narrowed(q, communities)
    if not policy.community_ids_for(me, "community_admin"):
        ctx["read_only"] = _("您可以查看本街道各社区的心愿；审核和派单由各社区管理员进行。") if (
            policy.org_ids_for(me, "street_admin")) else _(
            "您可以查看本网格的心愿；审核和派单由社区管理员进行。")
    return with_vary(make_response(render_template(template, **ctx)))


def _narrowed(q: StaffListQuery, communities: set[int]) -> list[str]:
    """The 待办概览 filters in force, in words, for the line above the list."""
    out = []
    if q.community:
        org = db.session.get(Org, q.community)
        out.append(org.name if org is not None and org.id in communities else _("其他社区"))
    if q.only:
        out.append(_("逾期未完成") if q.only == "overdue" else _("待认领心愿"))
    return out


@bp.get("/review")
@login_required
def review_queue():
    """Wishes waiting for review (审核) in my communities; grid workers see theirs read-only."""
    return _list_page("wishes/review.html", "pending_review", _("待审核的心愿"),
                      parse_query(StaffListQuery, request.args))


@bp.get("/wishes")
@login_required
def wishes():
    """Every wish in my scope, filtered by status and grid."""
    q = parse_query(StaffListQuery, request.args)
    return _list_page("wishes/wishes.html", q.status, _("心愿列表"), q)


def _reviewable(wish_id: int):
    """The wish, if the current user is the admin of its community (else 403/404)."""
    wish = wish_svc.get_wish(db.session, wish_id)
    if not policy.can_review(current_user, wish):
        raise Forbidden(_("只有本社区管理员可以处理这个心愿。"))
    return wish


@bp.route("/wishes/<int:wish_id>/review", methods=["GET", "POST"])
@login_required
def review_form(wish_id: int):
    """Approve (publish) or reject with a reason the resident will read."""
    wish = _reviewable(wish_id)
    errors, status, reason = {}, 200, None
    form = {"decision": request.form.get("decision", ""),
            "reason": request.form.get("reason", "")}
    if request.method != "POST" and wish.status != "pending_review":
        reason, status = str(lifecycle.refusal(wish.status)), 409
    if request.method == "POST":
        with attempt() as a:
            data = parse(Review, form)
            wish_svc.review(db.session, current_user, wish_id, data.decision, data.reason or None)
        errors, reason, status = a.errors, a.reason, a.status
        if a.ok:
            msg = _("已通过，心愿已发布到菜单。") if data.decision == "approve" else _(
                "已退回，居民会看到原因。")
            return answer(msg, url_for("admin.review_queue"),
                          lambda: form_success(wish_id, notice=msg))
    detail = present.detail(db.session, wish, current_user, "web")
    template = "wishes/_review_form.html" if wants_fragment() else "wishes/review_form.html"
    return render_template(template, card=card_dict(wish_id), detail=detail, errors=errors,
                           reason=reason, form=form), status


@bp.route("/wishes/<int:wish_id>/dispatch", methods=["GET", "POST"])
@login_required
def dispatch_form(wish_id: int):
    """派单: offer the wish to one member (who accepts or declines) or to a unit."""
    wish = _reviewable(wish_id)
    errors, status, reason = {}, 200, None
    form = {"target": request.form.get("target", ""), "note": request.form.get("note", "")}
    if request.method != "POST" and wish.status != "published":
        reason, status = str(lifecycle.refusal(wish.status)), 409
    if request.method == "POST":
        kind, _sep, ident = form["target"].partition(":")
        ident = to_id(ident)
        raw = {"member_id": ident if kind == "member" else None,
               "unit_id": ident if kind == "unit" else None, "note": form["note"] or None}
        with attempt() as a:
            if kind not in ("member", "unit") or ident is None:
                raise Invalid({"target": _("请选择一名党员或一个单位。")})
            data = parse(DispatchInput, raw)
            claims.dispatch(db.session, current_user, wish_id, member_id=data.member_id,
                            unit_id=data.unit_id, note=data.note)
        # The form has one picker for both: its errors show under "target".
        errors = {("target" if k in ("member_id", "unit_id") else k): v
                  for k, v in a.errors.items()}
        reason, status = a.reason, a.status
        if a.ok:
            msg = _("已派单：对方接受后才算认领，请留意答复。") if kind == "member" else _(
                "已通知单位管理员，由单位安排党员认领。")
            return answer(msg, wish_url(wish_id), lambda: form_success(wish_id, notice=msg))
    template = "wishes/_dispatch_form.html" if wants_fragment() else "wishes/dispatch_form.html"
    chosen = form["target"].partition(":")
    search = parse_query(SearchQuery, request.args).q
    return render_template(template, card=card_dict(wish_id), errors=errors, reason=reason,
                           form=form,
                           pick=units.member_choices(
                               db.session, wish.community_id, search,
                               keep=to_id(chosen[2]) if chosen[0] == "member" else None),
                           units=approved_units(db.session, wish.community_id)), status


@bp.post("/wishes/<int:wish_id>/reconsider")
@login_required
def reconsider(wish_id: int):
    """Take back an approval or rejection made by mistake (within the window): review again."""
    _reviewable(wish_id)
    with attempt(Invalid) as a:
        amend.reconsider(db.session, current_user, wish_id, request.form.get("reason", ""))
    if a.errors:
        flash(" ".join(a.errors.values()), "error")
        return redirect(wish_url(wish_id))
    return answer(_("已撤销审核结果，心愿回到待审核。"), url_for("admin.review_form", wish_id=wish_id))
