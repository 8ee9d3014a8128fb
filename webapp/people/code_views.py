"""Sign-in by SMS code (验证码登录), 忘记密码 and activation slips; the rules live in
services/people/signin_codes.py, the challenge and send limits in web/guard.py."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from flask_limiter.util import get_remote_address

from ..extensions import db
from ..web import ticket
from ..web.routing import safe_next
from ..schemas import parse
from ..schemas.inputs import CodeRecover, CodeSend, CodeSignIn, SlipCode
from ..services.errors import Invalid
from ..services.people import signin_codes
from ..web.blueprints import auth as bp
from ..web import guard
from ..web.htmx import attempt

RESEND_SECONDS = 60


def masked(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) == 11 else ""


def _page(mode: str, step: str, values: dict, errors: dict, status: int = 200, message=None):
    return render_template(
        "people/code.html", mode=mode, step=step, values=values, errors=errors,
        message=message, challenge=guard.new_challenge() if step == "phone" else None,
        masked=masked(values.get("phone", "")), resend=RESEND_SECONDS,
        next=safe_next(request.values.get("next"))), status


def send_step(mode: str, purpose: str = "signin"):
    """获取验证码: challenge, limits, then the same answer whether or not the number has an
    account (only who receives an SMS differs, and nobody sees that in the reply)."""
    values = {"phone": (request.form.get("phone") or "").strip()}
    try:
        data = parse(CodeSend, request.form.to_dict())
    except Invalid as exc:
        return _page(mode, "phone", values, exc.fields, 422)
    values["phone"] = data.phone
    if not guard.challenge_ok(data.altcha):
        return _page(mode, "phone", values, {}, 422,
                     _("请等待页面完成安全验证后再获取验证码。"))
    wait = guard.over_limit(data.phone, get_remote_address(),
                            signin_codes.community_for_phone(db.session, data.phone))
    if wait:
        return _page(mode, "phone", values, {"phone": wait}, 429, wait)
    signin_codes.send_code(db.session, data.phone, purpose)
    return _page(mode, "code", values, {})


def _wrong(mode, values):
    msg = _("验证码不对或已过期，请重新输入或重新获取。")
    return _page(mode, "code", values, {"code": msg}, 422, msg)


def _code_step(mode: str, schema, check, done: str):
    """The shared steps of a code form: show it, send a code, or check the code given with
    `check(data)` (a user, or None when the code is wrong) and sign the person in."""
    if request.method != "POST":
        return _page(mode, "phone", {}, {})
    if request.form.get("action") == "send":
        return send_step(mode)
    values = {"phone": (request.form.get("phone") or "").strip()}
    try:
        data = parse(schema, request.form.to_dict())
    except Invalid as exc:
        return _page(mode, "code", values, exc.fields, 422)
    busy = guard.verify_over_limit(get_remote_address())
    if busy:
        return _page(mode, "code", values, {"code": busy}, 429, busy)
    with attempt(Invalid) as a:  # a refused new password (too common, the phone) stays on the form
        user = check(data)
    if a.errors:
        return _page(mode, "code", values, a.errors, 422)
    if user is None:
        return _wrong(mode, values)
    ticket.fresh_session()  # a fresh session on login (no fixation), a scan's ticket kept
    login_user(user)
    return redirect(done)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """验证码登录 (and activation of an account made by staff, which has no password yet)."""
    return _code_step("signin", CodeSignIn,
                      lambda d: signin_codes.sign_in(db.session, d.phone, d.code),
                      safe_next(request.values.get("next")) or url_for("main.index"))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """忘记密码: a code, then a new password; every other sign-in of the account ends."""
    return _code_step("recover", CodeRecover,
                      lambda d: signin_codes.recover(db.session, d.phone, d.code, d.new_password),
                      url_for("main.index"))


@bp.route("/activate", methods=["GET", "POST"])
def activate_slip():
    """The code of a printed activation slip (door-to-door visits) signs its owner in once."""
    if request.method != "POST":
        return render_template("people/slip.html", values={}, errors={})
    values = {"code": (request.form.get("code") or "").strip()}
    try:
        data = parse(SlipCode, request.form.to_dict())
    except Invalid as exc:
        return render_template("people/slip.html", values=values, errors=exc.fields), 422
    busy = guard.verify_over_limit(get_remote_address())
    if busy:
        return render_template("people/slip.html", values=values, errors={"code": busy}), 429
    user = signin_codes.redeem_slip(db.session, data.code)
    if user is None:
        return render_template("people/slip.html", values=values, errors={
            "code": _("这个激活码不对、已用过或已过期，请找网格员。")}), 422
    ticket.fresh_session()  # a fresh session on login (no fixation), a scan's ticket kept
    login_user(user)
    return redirect(url_for("main.index"))


@bp.route("/me/phone", methods=["GET", "POST"])
@login_required
def change_phone():
    """更换手机号: the new number takes effect only with the code sent to it."""
    if request.method != "POST":
        return _page("phone", "phone", {}, {})
    values = {"phone": (request.form.get("phone") or "").strip()}
    if signin_codes.phone_taken(db.session, values["phone"], current_user.id):
        return _page("phone", "phone", values, {"phone": _("这个手机号已被其他账号使用。")}, 422)
    if request.form.get("action") == "send":
        return send_step("phone", "phone")
    try:
        data = parse(CodeSignIn, request.form.to_dict())
    except Invalid as exc:
        return _page("phone", "code", values, exc.fields, 422)
    busy = guard.verify_over_limit(get_remote_address())
    if busy:
        return _page("phone", "code", values, {"code": busy}, 429, busy)
    if not signin_codes.prove_phone(db.session, current_user._get_current_object(), data.phone,
                                    data.code):
        return _wrong("phone", values)
    flash(_("手机号已更换。"), "success")
    return redirect(url_for("main.me"))
