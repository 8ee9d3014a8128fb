"""两步验证 (TOTP) for admins: the sign-in's second step, enrolment, and a reset by staff; a
gate sends an admin whose street requires it to enrol before anything else."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from ..extensions import db
from ..services import policy
from ..services.errors import Conflict, Invalid
from ..services.people import mfa
from ..services.admin import accounts_admin
from ..web import guard
from ..web.blueprints import account, auth, staff
from ..web.htmx import answer, attempt
from ..web.routing import safe_next
from ..web.safe_methods import SAFE

SESSION_KEY = "mfa_ok"  # the session id ("<user>.<generation>") that passed the second step
# What an admin may reach before the second step (besides static files).
ALLOWED = {"auth.second_factor", "account.mfa_page", "account.mfa_begin", "account.mfa_confirm",
           "auth.logout", "auth.login", "account.change_password", "static",
           "pwa.service_worker", "pwa.manifest", "pwa.offline", "pwa.csrf_token",
           "notifications.count", "notifications.vapid_public_key"}


def passed() -> bool:
    """This session passed the second step (or enrolled in it)."""
    # Flask-Login's own copy of the id: current_user.get_id() would load the ORM row each time.
    return session.get(SESSION_KEY) is not None and session.get(SESSION_KEY) == session.get(
        "_user_id")


@account.before_app_request
def _second_factor_gate():
    """An admin with TOTP answers a code first; one whose street requires it enrols first."""
    if request.blueprint == "api" or request.endpoint in ALLOWED or not request.endpoint:
        return None
    if request.endpoint.endswith(".static") or not current_user.is_authenticated:
        return None
    if not policy.may_use_mfa(current_user) or passed():
        return None
    if mfa.enabled(current_user):
        target = url_for("auth.second_factor", next=request.full_path.rstrip("?")
                         if request.method in SAFE else None)
    elif mfa.required(db.session, current_user):
        target = url_for("account.mfa_page")
    else:
        return None
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


@auth.route("/login/2fa", methods=["GET", "POST"])
@login_required
def second_factor():
    """The code from the authenticator, after the password or SMS code."""
    nxt = safe_next(request.values.get("next")) or url_for("main.index")
    if not mfa.enabled(current_user) or passed():
        return redirect(nxt)
    if request.method != "POST":
        return render_template("people/mfa_verify.html", errors={}, next=nxt)
    busy = guard.verify_over_limit(get_remote_address())
    if busy:
        return render_template("people/mfa_verify.html", errors={"code": busy}, next=nxt), 429
    if not mfa.check(db.session, current_user._get_current_object(), request.form.get("code")):
        return render_template("people/mfa_verify.html", next=nxt, errors={
            "code": _("验证码不对或已用过，请输入验证器上当前显示的 6 位数字。")}), 422
    session[SESSION_KEY] = session.get("_user_id")
    return redirect(nxt)


@account.get("/me/2fa")
@login_required
def mfa_page():
    """The second factor: on or off, and the QR code of a secret being set up."""
    user = current_user._get_current_object()
    return render_template("people/mfa.html", errors={}, **_state(user))


def _state(user) -> dict:
    on = mfa.enabled(user)
    return {"on": on, "allowed": policy.may_use_mfa(user),
            "required": mfa.required(db.session, user),
            "enrol": mfa.pending(user) if user.totp_secret and not on else None}


@account.post("/me/2fa/begin")
@login_required
def mfa_begin():
    """A new secret; the page then shows its QR code."""
    with attempt(Conflict):
        mfa.begin(db.session, current_user._get_current_object())
    return redirect(url_for("account.mfa_page"))


@account.post("/me/2fa/confirm")
@login_required
def mfa_confirm():
    """The first code turns the second factor on; this session counts as verified."""
    user = current_user._get_current_object()
    with attempt(Invalid, Conflict) as a:
        mfa.confirm(db.session, user, request.form.get("code", ""))
    if not a.ok:
        errors = a.errors or {"code": a.reason}
        return render_template("people/mfa.html", errors=errors, **_state(user)), 422
    session[SESSION_KEY] = session.get("_user_id")
    flash(_("两步验证已开启。以后登录时，需要输入验证器上的 6 位数字。"), "success")
    return redirect(url_for("main.me"))


@staff.post("/people/<id:user_id>/2fa/reset")
@login_required
def mfa_reset(user_id: int):
    """Staff turn off a covered person's second factor (a lost phone); logged."""
    person = accounts_admin.get_managed(db.session, current_user, user_id)
    with attempt(Conflict, when=False):
        mfa.reset(db.session, current_user._get_current_object(), person)
    return answer(_("已重置两步验证。对方下次登录时需要重新设置。"),
                  url_for("staff.person", user_id=user_id))
