"""A wish's service code (issue 24 item 2): the resident (or their grid worker) shows a rotating
QR code at the door; the volunteer's camera opens its URL and, after one tap, the service starts
— and, scanned again at the end, finishes with the hours measured between the two. The same
ticket-in-the-session as the check-in code (web/ticket.py): a GET never writes."""
from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..extensions import db
from ..web import ticket
from ..models import utcnow
from ..web.public import external_url
from ..services.errors import Forbidden
from ..services.ledger.certificates import qr_svg
from ..services.wishes import service_code, wishes
from ..web.blueprints import main as bp

S = db.session


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _context(wish) -> dict:
    url = external_url("main.scan_service_code", token=service_code.code_for(wish.id))
    return {"wish": {"id": wish.id, "title": wish.title, "status": wish.status}, "url": url,
            "qr": Markup(qr_svg(url, scale=7, title=_("服务码"))),  # noqa: S704 — segno's SVG
            "progress": service_code.progress(S, wish)}


@bp.get("/wishes/<int:wish_id>/service-code")
@login_required
def service_code_page(wish_id: int):
    """服务码: the rotating code on the resident's (or grid worker's) phone."""
    wish = service_code.showable(S, current_user, wish_id)
    return _no_store(make_response(render_template("wishes/service_code.html", **_context(wish))))


@bp.get("/wishes/<int:wish_id>/service-code/live")
@login_required
def service_code_live(wish_id: int):
    """The code and the progress, redrawn (htmx polls this every few seconds)."""
    wish = service_code.showable(S, current_user, wish_id)
    return _no_store(make_response(render_template("wishes/_service_code.html",
                                                   **_context(wish))))


@bp.get("/w/<token>")
def scan_service_code(token):
    """What the volunteer's camera opens: a live code leaves a ticket, then the scan page."""
    return ticket.admit("wish", service_code.read_code, token, utcnow(),
                        lambda wid: url_for("main.service_scan_page", wish_id=wid))


def _claimer_wish(wish_id):
    wish = wishes.get_wish(S, wish_id)
    if service_code.my_claim(S, current_user, wish.id) is None:
        raise Forbidden(_("您没有认领这个心愿，不能用它的服务码。"))
    return wish


@bp.get("/wishes/<int:wish_id>/service-scan")
@login_required
def service_scan_page(wish_id: int):
    """After a scan: the volunteer's claim and the one button (开始服务 or 完成服务)."""
    wish = _claimer_wish(wish_id)
    c = service_code.my_claim(S, current_user, wish.id)
    return _no_store(make_response(render_template(
        "wishes/service_scan.html", wish={"id": wish.id, "title": wish.title}, claim=c,
        ticket=ticket.valid("wish", wish.id, utcnow()))))


@bp.post("/wishes/<int:wish_id>/service-scan")
@login_required
def service_scan_action(wish_id: int):
    """Start or finish with the ticket of a scan (used once)."""
    now = utcnow()
    wish = _claimer_wish(wish_id)
    if not ticket.valid("wish", wish.id, now):
        flash(_("请扫描居民出示的服务码后再开始或完成服务。"), "error")
        return redirect(url_for("main.service_scan_page", wish_id=wish.id))
    ticket.drop()
    _c, outcome = service_code.scan(S, current_user, wish.id, now)
    flash(str(service_code.OUTCOMES[outcome]), "success")
    return redirect(url_for("main.service_scan_page", wish_id=wish.id))
