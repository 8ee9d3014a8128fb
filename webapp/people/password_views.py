"""/me/password: change one's own password; a one-time password leads every page here first."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..extensions import db
from ..schemas import parse
from ..schemas.admin import PasswordChange
from ..services.admin import accounts_admin
from ..services.errors import Invalid
from ..web.blueprints import account as bp
from ..web.htmx import attempt

# What a user who must change a one-time password may still reach (besides static files).
ALLOWED_ENDPOINTS = {"account.change_password", "auth.logout", "auth.login", "static",
                     "pwa.service_worker", "pwa.manifest", "pwa.offline", "pwa.csrf_token",
                     "notifications.count", "notifications.vapid_public_key"}


@bp.before_app_request
def _must_change_password():
    """Until a one-time password is replaced, every page redirects to the change form."""
    if request.blueprint == "api" or request.endpoint in ALLOWED_ENDPOINTS:
        return None  # the API answers 403 password_change_required itself (api/common.py)
    if request.endpoint and request.endpoint.endswith(".static"):
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    target = url_for("account.change_password")
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
def change_password():
    """The form: current password, new password twice."""
    forced = bool(current_user.must_change_password)
    if request.method != "POST":  # GET and HEAD only show the form
        return render_template("people/password.html", errors={}, forced=forced)
    form = request.form
    errors = {}
    if (form.get("new_password") or "") != (form.get("new_password2") or ""):
        errors["new_password2"] = _("两次输入的新密码不一致。")
    with attempt(Invalid) as a:
        data = parse(PasswordChange, {"current_password": form.get("current_password", ""),
                                      "new_password": form.get("new_password", "")})
        if errors:
            raise Invalid(errors)
        user = current_user._get_current_object()
        accounts_admin.change_password(db.session, user, data.current_password,
                                       data.new_password)
    if a.errors:
        return render_template("people/password.html", errors={**a.errors, **errors},
                               forced=forced), 422
    # Every other session ended with the generation bump; this one is signed in again under
    # the new generation so the person who just changed it stays in.
    login_user(user, fresh=True)
    flash(_("密码已修改。其他设备上的登录已退出。"), "success")
    return redirect(url_for("main.index") if forced else url_for("main.me"))
