"""Idle sessions end (等保 basics): a browser that made no request for IDLE_MINUTES (staff:
STAFF_IDLE_MINUTES) is signed out on its next one; background polls do not keep it alive."""
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ..services import policy
from ..web.blueprints import account

SEEN = "seen"  # epoch seconds of the last request a person made
REFRESH_SECONDS = 60  # write the cookie at most once a minute
# Requests a page makes on its own (the bell badge, live codes): they never count as activity.
POLLS = {"notifications.count", "notifications.test_status", "lists.session_code_live",
         "main.service_code_live", "pwa.csrf_token", "pwa.service_worker", "pwa.manifest",
         "static"}


def limit_seconds(user) -> int:
    """How long this person may stay idle."""
    key = "STAFF_IDLE_MINUTES" if policy.is_staff(user) else "IDLE_MINUTES"
    return int(current_app.config[key]) * 60


@account.before_app_request
def _idle_gate():
    """Sign out a session idle too long; otherwise note this request."""
    if request.blueprint == "api" or (request.endpoint or "").endswith("static"):
        return None
    if not current_user.is_authenticated:
        return None
    now, seen = int(time.time()), session.get(SEEN)
    if isinstance(seen, int) and now - seen > limit_seconds(current_user):
        logout_user()
        session.clear()
        flash(_("您长时间没有操作，为了安全已退出登录，请重新登录。"), "info")
        target = url_for("auth.login", next=request.full_path.rstrip("?")
                         if request.method == "GET" else None)
        if request.headers.get("HX-Request"):
            return "", 401, {"HX-Redirect": target}
        return redirect(target)
    if request.endpoint not in POLLS and (not isinstance(seen, int)
                                          or now - seen >= REFRESH_SECONDS):
        session[SEEN] = now
    return None
