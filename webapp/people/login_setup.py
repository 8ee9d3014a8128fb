"""Flask-Login wiring for the web session."""
from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db, login_manager
from ..models import User
from ..web.safe_methods import SAFE
from ..services.people import identity
from ..services.people.sessions import parse_session_id


def init_app(app):
    """Load users for sessions; unauthenticated pages go to the login form."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(session_id: str):
        parsed = parse_session_id(session_id)
        if parsed is None:
            return None
        uid, gen = parsed
        if request.method in SAFE:
            # A read-only request: user, grants, orgs and generation from one Core statement,
            # as plain values (services/people/identity.py); no ORM instances to build.
            return identity.load(db.session, uid, gen)
        # A write: the ORM user, which the services change and commit; one statement for the
        # user and its grants, the generation compared in the same row.
        user = db.session.execute(select(User).where(User.id == uid)
                                  .options(joinedload(User.roles))).unique().scalar_one_or_none()
        if user is None or not user.active or (user.session_gen or 0) != gen:
            return None
        return user

    @login_manager.unauthorized_handler
    def _unauthorized():
        if request.headers.get("HX-Request"):
            # htmx cannot follow a redirect into a full page: ask it to navigate.
            return "", 401, {"HX-Redirect": url_for("auth.login", next=request.path)}
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
