"""The JSON API at /api/v1: bearer tokens, JSON in and out, over the same services as the web."""
from flask import Blueprint, current_app, g

from ..web.routing import IdConverter  # noqa: F401  (re-exported)

bp = Blueprint("api", __name__)


@bp.before_request
def _no_cookie_session():
    # The API authenticates by bearer token only: never fall back to a browser's login cookie.
    g._login_user = current_app.login_manager.anonymous_user()


from . import imports, openapi, people, wishes  # noqa: E402,F401  (routes register on bp)
from . import admin  # noqa: E402,F401  (administration: tree, staff, accounts, admin log)
from . import lists  # noqa: E402,F401  (resources, bookings, projects, sessions)
from . import pairing  # noqa: E402,F401  (结对联户 and 双向评议)
from . import codes  # noqa: E402,F401  (SMS codes: challenge, send, token by code)
from . import shop  # noqa: E402,F401  (爱心超市: the points shop)
from . import voice  # noqa: E402,F401  (反映问题 and 没办好, issue 29 §2)
