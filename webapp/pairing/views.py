"""结对联户 pages: a member's households and visits, a resident's paired member, the community
admin's suggestions, pairings and coverage, grid staff's care tags. Thin views over
services/pairing (parse → one service call → render/redirect)."""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Org, Pairing, utcnow
from ..schemas import parse, parse_query, to_id
from ..schemas.pairing import CareQuery, PageQuery, VisitInput, VisitWishInput
from ..services import policy
from ..services.errors import Forbidden, Invalid, NotFound
from ..services.pairing import batches, board, care_page, coverage, pairings, suggestions, visits
from ..services.people import orgs
from ..web.htmx import attempt, form_answer
from . import bp

S = db.session


def _form() -> dict:
    return request.form.to_dict()


@bp.get("/pairing/")
@login_required
def index():
    """结对联户: my households (member), my paired member (resident), links for staff."""
    rows = visits.mine(S, current_user)
    homes = []
    for r in rows:
        p = S.get(Pairing, r["pairing_id"])
        homes.append({**r, "contact": pairings.contact(S, p, current_user, "web")})
    is_member = bool(policy.community_ids_for(current_user, "member"))
    return render_template(
        "pairing/index.html", homes=homes, is_member=is_member,
        my_member=pairings.my_member(S, current_user),
        shown=board.consent(S, current_user) if is_member else False,
        can_manage=bool(policy.community_ids_for(current_user, "community_admin")),
        can_care=bool(policy.community_ids_for(current_user, "grid_worker", "community_admin")),
        boards=[(c.id, c.name) for c in _board_communities()])


def _board_communities():
    ids = policy.community_ids_for(current_user, "member", "unit_admin", "grid_worker",
                                   "community_admin")
    home = policy.home_community_id(current_user)
    ids |= {home} if home else set()
    return [c for c in board.communities_with_board(S) if c.id in ids]


def _my_pairing(pairing_id) -> Pairing:
    p = S.get(Pairing, pairing_id)
    if p is None or p.member_id != current_user.id or p.status != "active":
        raise NotFound(_("找不到这个结对。"), code="pairing_not_found")
    return p


@bp.route("/pairing/pairings/<id:pairing_id>/visit", methods=["GET", "POST"])
@login_required
def visit_form(pairing_id):
    """The paired member records a visit to this household."""
    p = _my_pairing(pairing_id)
    values = {"date": visits.local_today(utcnow()).isoformat(), "kind": "home"}
    errors = {}
    if request.method == "POST":
        values = _form()
        with attempt(Invalid) as a:
            v = visits.log(S, current_user, parse(VisitInput, {**values,
                                                               "household_id": p.household_id}))
            flash(_("走访已记录。"), "success")
            return redirect(url_for("pairing.visit_page", visit_id=v.id))
        if not a.ok:
            errors = a.errors
    return form_answer("pairing/visit_form.html", values, errors, p=p, kinds=visits.KIND_LABELS)


@bp.get("/pairing/visits/<id:visit_id>")
@login_required
def visit_page(visit_id):
    """A visit; its member turns a need heard into a wish (with the household's consent)."""
    v = visits.get(S, current_user, visit_id)
    return _visit(v, {"description": v.needs, "kind": "service"}, {})


def _visit(v, values, errors, status=200):
    community = S.get(Org, v.community_id)
    return make_response(render_template(
        "pairing/visit.html", v=v, kinds=visits.KIND_LABELS,
        can_wish=v.member_id == current_user.id and v.pairing.status == "active",
        wishes=visits.wishes_of(S, v),
        categories=[{"id": c.id, "label": orgs.category_label(c)}
                    for c in orgs.categories(S, community.id)],
        values=values, errors=errors), status)


@bp.post("/pairing/visits/<id:visit_id>/wish")
@login_required
def visit_wish(visit_id):
    """One step: the need becomes a wish on the household's behalf, then goes to review."""
    form = _form()
    if visits.get(S, current_user, visit_id).member_id != current_user.id:
        raise NotFound(_("找不到这次走访记录。"), code="visit_not_found")
    data = {**form, "consent": form.get("consent") == "1"}
    with attempt(Invalid) as a:
        w = visits.to_wish(S, current_user, visit_id, parse(VisitWishInput, data))
    if not a.ok:
        return _visit(visits.get(S, current_user, visit_id), form, a.errors, 422)
    flash(_("已代居民登记心愿，等待社区审核。"), "success")
    return redirect(url_for("main.wish_detail", wish_id=w.id))


@bp.post("/pairing/board-consent")
@login_required
def board_consent():
    """A member agrees (or not) to appear, name masked, among the board's star volunteers."""
    board.set_consent(S, current_user, request.form.get("shown") == "1")
    flash(_("已保存。"), "success")
    return redirect(url_for("pairing.index"))


def _admin_community():
    ids = sorted(policy.community_ids_for(current_user, "community_admin"))
    if not ids:
        raise Forbidden(_("只有社区管理员可以安排结对联户。"))
    wanted = parse_query(PageQuery, request.args).community
    return pairings.community_of(S, current_user, wanted if wanted in ids else ids[0])


@bp.get("/pairing/manage")
@login_required
def manage():
    """The community admin: suggestions to accept, current pairings, the paired share (走访覆盖
    has its own page)."""
    return manage_page(_admin_community())


def manage_page(org, errors=None, values=None, status=200, building=None, page=None):
    """The 结对安排 page of one community; `errors` and `values` of a refused form, whose
    `building` (else that of its ticked households) stays open and `page` of pairings shown."""
    q = parse_query(PageQuery, request.args)
    year = q.year or visits.local_today(utcnow()).year
    values = values or {}
    ticked = [to_id(v) for v in values.get("household_ids", [])]
    manual = batches.manual_choices(S, current_user, org.id,
                                    building if building is not None else q.building, ticked)
    listed = pairings.active_page(S, current_user, org.id, page or q.page)
    here = {"community": org.id, "year": q.year}  # what every link of the page keeps
    opened = manual["building"]["id"] if manual["building"] else None

    def at(n):
        return url_for("pairing.manage", **here, building=opened, page=n) + "#pairings"
    pager = {"prev": at(listed["page"] - 1) if listed["page"] > 1 else None,
             "next": at(listed["page"] + 1) if listed["page"] < listed["pages"] else None}
    return make_response(render_template(
        "pairing/manage.html", community=org, year=year,
        suggestions=suggestions.suggest(S, current_user, org.id),
        pairings=listed["rows"], listed=listed, pager=pager,
        here={**here, "page": listed["page"] if listed["page"] > 1 else None},
        last_batch=batches.last_batch(S, current_user, org.id),
        manual=manual, errors=errors or {}, values=values,
        headline=coverage.headline(S, org)), status)


@bp.get("/pairing/coverage")
@login_required
def coverage_page():
    """走访覆盖 of one community and year: by grid, and its members a page at a time."""
    org = _admin_community()
    q = parse_query(PageQuery, request.args)
    this_year = visits.local_today(utcnow()).year
    year = q.year or this_year
    got = coverage.coverage_page(S, current_user, org.id, year, q.page)

    def at(**kw):
        return url_for("pairing.coverage_page", community=org.id, **kw)
    years = {"prev": at(year=year - 1) if year > 2000 else None,
             "next": at(year=year + 1) if year < this_year else None}
    pager = {"prev": at(year=q.year, page=got["page"] - 1) if got["page"] > 1 else None,
             "next": at(year=q.year, page=got["page"] + 1) if got["page"] < got["pages"] else None,
             "label": _("党员翻页")}
    return render_template("pairing/coverage.html", community=org, coverage=got, years=years,
                           pager=pager)


@bp.post("/pairing/manage/accept")
@login_required
def accept():
    """Accept the ticked suggestions (member:household pairs) in one go."""
    pairs = []
    for raw in request.form.getlist("pair"):
        mid, _sep, hid = raw.partition(":")
        if to_id(mid) is None or to_id(hid) is None:
            raise Invalid({"pair": _("请从列表中选择。")})
        pairs.append((to_id(mid), to_id(hid)))
    with attempt(Invalid) as a:
        rows = pairings.accept(S, current_user, pairs)
    if not a.ok:  # nothing ticked: say so beside the list, not on an error page
        return manage_page(_admin_community(), a.errors, None, 422)
    flash(_("已结对 %(n)s 户。", n=len(rows)), "success")
    return redirect(url_for("pairing.manage", community=rows[0].community_id) + "#last-batch")


@bp.post("/pairing/pairings/<id:pairing_id>/end")
@login_required
def end_pairing(pairing_id):
    """End a pairing, or record that the household declined."""
    form = _form()  # the service checks who may first, then the reason
    p = pairings.end(S, current_user, pairing_id, form.get("reason"), form.get("declined") == "1")
    flash(_("已更新。"), "success")
    return redirect(url_for("pairing.manage", community=p.community_id,
                            page=to_id(form.get("page"))) + "#pairings")


@bp.get("/pairing/care")
@login_required
def care():
    """Grid staff: the households they look after, with private care tags."""
    q = parse_query(CareQuery, request.args)
    got = care_page.care_page(S, current_user, q.building, q.tagged, q.page)
    kept = {k: v for k, v in request.args.items() if k in ("building", "tagged") and v}
    return render_template(
        "pairing/care.html", rows=got["rows"], total=got["total"], page=got["page"],
        pages=got["pages"], buildings=got["buildings"], kept=kept,
        # translated once here: each row repeats the labels, and a lazy string translates
        # itself again every time it is shown
        labels={k: str(v) for k, v in pairings.CARE_LABELS.items()})


@bp.post("/pairing/care/<id:user_id>")
@login_required
def set_care(user_id):
    """Save one household's care tags."""
    tags = request.form.getlist("tags")
    pairings.set_care(S, current_user, user_id, tags, consent=request.form.get("consent") == "1")
    flash(_("已保存。"), "success")
    q = parse_query(CareQuery, request.args)  # back to the same filter and page
    return redirect(url_for("pairing.care", building=q.building, tagged=int(q.tagged) or None,
                            page=q.page if q.page > 1 else None))
