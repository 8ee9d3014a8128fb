"""On-site check-in pages (issue 24): the session's rotating code, the scan, walk-ins, 补录.

- The runner's phone shows `/lists/sessions/<id>/code`: the QR code of a plain URL
  (`/lists/c/<token>`), redrawn with the live count every few seconds by htmx.
- A camera (any scanner, WeChat's) opens that URL. It reads the code — refused when more than
  60 s old — and leaves a ticket in the browser's session (lists/ticket.py); then the scan page
  (sign in first if needed, then back) checks the person in, or out, with one tap: a GET never
  writes (link previews fetch it too).
"""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..extensions import db
from ..models import utcnow
from ..web.public import external_url
from ..schemas import parse
from ..schemas.lists import GeoInput, HonourInput, WalkInInput
from ..services import policy
from ..services.errors import Forbidden, Invalid
from ..services.ledger.certificates import qr_svg
from ..services.lists import checkin, project_sessions, projects
from ..web import ticket
from ..web.htmx import attempt
from . import bp

S = db.session


def _runner_session(session_id):
    s = project_sessions.get(S, session_id)
    if not policy.can_run_session(current_user, s.project):
        raise Forbidden(_("只有项目责任人或双方管理员可以显示签到码。"))
    return s


def _code_context(s) -> dict:
    now = utcnow()
    url = external_url("lists.scan_code", token=checkin.code_for(s.id, now))
    return {"s": project_sessions.card(s), "url": url,
            # noqa: S704 — segno's own SVG of our own URL; about 300 px wide on a phone
            "qr": Markup(qr_svg(url, scale=7, title=_("签到二维码"))),  # noqa: S704
            "count": checkin.live(S, current_user, s.id),
            "fence_m": checkin.fence_of(s, s.project.community)}


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/sessions/<id:session_id>/code")
@login_required
def session_code(session_id):
    """签到码: the rotating QR code on the runner's phone, the live count, walk-ins."""
    s = _runner_session(session_id)
    return _no_store(make_response(render_template(
        "lists/checkin_code.html", values={}, errors={}, **_code_context(s))))


@bp.get("/sessions/<id:session_id>/code/live")
@login_required
def session_code_live(session_id):
    """The code and the count, redrawn (htmx polls this every few seconds)."""
    s = _runner_session(session_id)
    return _no_store(make_response(render_template("lists/_checkin_code.html",
                                                   **_code_context(s))))


@bp.get("/c/<token>")
def scan_code(token):
    """What a camera opens: a live code leaves a ticket and goes on to the scan page."""
    return ticket.admit("session", checkin.read_code, token, utcnow(),
                        lambda sid: url_for("lists.scan_page", session_id=sid))


def _scan_context(s) -> dict:
    row = project_sessions.my_signup(S, current_user, s)
    return {"s": project_sessions.card(s), "row": row, "state": checkin.state(row),
            "ticket": ticket.valid("session", s.id, utcnow()),
            # Where the session has a venue point: the phone's location, with consent asked once.
            "use_geo": s.lat is not None,
            "ask_consent": s.lat is not None and current_user.geo_consent_at is None,
            "consented": current_user.geo_consent_at is not None}


@bp.get("/sessions/<id:session_id>/scan")
@login_required
def scan_page(session_id):
    """After a scan: where the person stands, and the one button (签到 or 签退)."""
    s = project_sessions.get(S, session_id)
    if not projects.can_view(current_user, s.project):
        raise Forbidden(_("您不能查看这一场活动。"))
    return _no_store(make_response(render_template("lists/checkin_scan.html",
                                                   **_scan_context(s))))


@bp.post("/sessions/<id:session_id>/scan")
@login_required
def scan_action(session_id):
    """Check in or out with the ticket of a scan (used once)."""
    now = utcnow()
    s = project_sessions.get(S, session_id)
    if not projects.can_view(current_user, s.project):
        raise Forbidden(_("您不能查看这一场活动。"))
    if not ticket.valid("session", session_id, now):
        flash(_("请扫描现场屏幕上的二维码后再签到或签退。"), "error")
        return redirect(url_for("lists.scan_page", session_id=session_id))
    ticket.drop()
    geo = parse(GeoInput, _form())
    _row, outcome = checkin.scan(S, current_user, session_id, now, where=geo.where,
                                 consent=geo.consent)
    flash(str(checkin.OUTCOMES[outcome]), "success")
    return redirect(url_for("lists.scan_page", session_id=session_id))


@bp.post("/sessions/<id:session_id>/walk-in")
@login_required
def walk_in(session_id):
    """A runner adds, and checks in, someone who came without signing up (by phone)."""
    s = _runner_session(session_id)
    values = {k: v for k, v in _form().items() if k != "csrf_token"}
    with attempt(Invalid) as a:
        row = checkin.walk_in(S, current_user, session_id, **_walk_in_args(values))
    if not a.ok:
        resp = make_response(render_template("lists/checkin_code.html", values=values,
                                             errors=a.errors, **_code_context(s)), 422)
        return _no_store(resp)
    flash(_("已为 %(n)s 登记并签到。", n=row.user.name), "success")
    return redirect(url_for("lists.session_code", session_id=session_id))


@bp.post("/sessions/<id:session_id>/place")
@login_required
def session_place(session_id):
    """A runner at the venue makes their current point the check-in fence's centre (or clears
    it with `clear`)."""
    _runner_session(session_id)
    form = _form()
    geo = parse(GeoInput, {} if form.get("clear") else form)
    if geo.where is None and not form.get("clear"):
        raise Invalid({"lat": _("没有取得位置，请允许浏览器使用位置后重试。")})
    lat, lng = geo.where or (None, None)
    checkin.set_place(S, current_user, session_id, lat, lng)
    flash(_("已设为签到地点：范围外的签到会交社区审核。") if lat is not None
          else _("已取消签到地点。"), "success")
    return redirect(url_for("lists.session_code", session_id=session_id))


@bp.post("/geo-consent/withdraw")
@login_required
def withdraw_geo_consent():
    """Withdraw the consent to location at check-in (asked again at the next scan)."""
    checkin.withdraw_consent(S, current_user)
    flash(_("已撤回位置授权，以后签到不会再使用您的位置，除非您再次同意。"), "success")
    return redirect(url_for("main.me"))


def _walk_in_args(values: dict) -> dict:
    data = parse(WalkInInput, values)
    return {"phone": data.phone, "name": data.name, "as_": data.as_}


@bp.post("/sessions/<id:session_id>/honour")
@login_required
def honour(session_id):
    """补录: the community's admin enters hours, with a reason, for someone with no presence."""
    data = parse(HonourInput, _form())
    checkin.honour(S, current_user, session_id, data.user_id, data.hours, data.reason)
    flash(_("已补录。补录时长单独记录，不计积分。"), "success")
    return redirect(url_for("lists.session_page", session_id=session_id))


def _form() -> dict:
    return request.form.to_dict()
