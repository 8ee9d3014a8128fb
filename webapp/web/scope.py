"""Helpers shared by the staff pages: which community a page is about, no-store answers."""
from flask import make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..schemas import parse_query
from ..schemas.queries import ScopeQuery
from ..services.admin import staff
from ..services.errors import Forbidden


def communities() -> list:
    """Communities the signed-in admin administers (403 for anyone else)."""
    rows = staff.communities_for(db.session, current_user)
    if not rows:
        raise Forbidden(_("只有社区管理员和街道管理员可以使用这个页面。"))
    return rows


def chosen_community(rows: list):
    """The community picked by ?community= (or the form), else the first one."""
    wanted = parse_query(ScopeQuery, request.values).community
    return next((c for c in rows if c.id == wanted), rows[0])


def secret_page(template: str, **context):
    """A page showing a one-time password: never cached, never stored in the session."""
    resp = make_response(render_template(template, **context))
    resp.headers["Cache-Control"] = "no-store"
    return resp
