"""荣誉公示: the admin publishes the year's star levels and certificates for public notice and
reads the objections; anyone who reads the board may object through a short form."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..models import utcnow
from ..schemas import parse, parse_query, to_id
from ..schemas.ledger import HonoursInput, ObjectionInput, Reject
from ..schemas.queries import ListPageQuery, ObjectionQuery
from ..services.errors import Conflict, Invalid
from ..services.ledger import honours, periods
from ..web.htmx import attempt
from . import access, bp


def _page(c, errors=None, values=None, status=200, page: int = 1):
    year = periods.local(utcnow()).year
    values = values or {"year": str(year - 1 if periods.local(utcnow()).month < 7 else year),
                        "days": "7"}
    try:
        wanted = int(values.get("year") or year)
    except ValueError:
        wanted = year
    return render_template("ledger/honours.html", community=c, values=values,
                           errors=errors or {},
                           preview=honours.preview(db.session, current_user, c.id, wanted, page),
                           notices=honours.admin_view(db.session, current_user, c.id),
                           min_days=honours.MIN_DAYS, max_days=honours.MAX_DAYS,
                           per_page=honours.NOTICE_PAGE), status


@bp.get("/ledger/honours")
@login_required
def honours_page():
    """The notices of the community, the candidates of a year and the publish form."""
    c = access.community()
    page = parse_query(ListPageQuery, request.args).page  # of the year's candidates
    return _page(c, values=({"year": request.args["year"], "days": "7"}
                            if (request.args.get("year") or "").isdigit() else None), page=page)


@bp.post("/ledger/honours")
@login_required
def publish_honours():
    """Publish the year's star levels and certificates on the board for 7–30 days."""
    c = access.community()
    with attempt(Invalid, Conflict) as a:
        data = parse(HonoursInput, request.form.to_dict())
        honours.publish(db.session, current_user, c.id, data.year, data.days)
    if not a.ok:
        return _page(c, a.errors or {"year": a.reason}, request.form.to_dict(), a.status)
    flash(_("已发布荣誉公示，公示期满后星级生效。"), "success")
    return redirect(url_for("ledger.honours_page", community=c.id))


@bp.post("/ledger/honours/<int:notice_id>/withdraw")
@login_required
def withdraw_honours(notice_id):
    """Withdraw a running notice with a reason (e.g. an objection was upheld)."""
    n = honours.of_admin(db.session, current_user, notice_id)  # who, before what
    with attempt(Invalid) as a:
        data = parse(Reject, request.form.to_dict())
        n = honours.withdraw(db.session, current_user, notice_id, data.reason)
    if not a.ok:
        return _page(n.community, {"reason": a.errors.get("reason")}, status=422)
    flash(_("公示已撤回。"), "success")
    return redirect(url_for("ledger.honours_page", community=n.community_id))


def _objection_page(notice_id, errors=None, values=None, status=200):
    keep = to_id(values.get("item_id")) if values else None  # the line chosen, kept on refusal
    return render_template("ledger/objection.html",
                           n=honours.notice_for_objection(db.session, notice_id, keep),
                           errors=errors or {}, values=values or {}), status


@bp.get("/notices/<int:notice_id>")
def notice_page(notice_id):
    """Public: a running notice's whole list, a page at a time, each line with its objection."""
    page = parse_query(ListPageQuery, request.args).page
    return render_template("ledger/notice.html", n=honours.notice_page(db.session, notice_id, page))


@bp.get("/notices/<int:notice_id>/objection")
def objection_form(notice_id):
    """Public: the form to object to a notice of honours (no sign-in needed); ?item= names the
    line chosen on the whole list."""
    item = parse_query(ObjectionQuery, request.args).item
    return _objection_page(notice_id, values={"item_id": str(item)} if item else None)


@bp.post("/notices/<int:notice_id>/objection")
@limiter.limit("10 per hour")
def object_honours(notice_id):
    """Public: send an objection; it reaches the community's admins."""
    form = request.form.to_dict()
    with attempt(Invalid) as a:
        data = parse(ObjectionInput, ObjectionInput.from_form(form))
        honours.object_to(db.session, notice_id, data.text, data.contact, data.item_id)
    if not a.ok:
        return _objection_page(notice_id, a.errors, form, 422)
    return render_template("ledger/objection_sent.html",
                           n=honours.notice_for_objection(db.session, notice_id))
