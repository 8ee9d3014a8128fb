"""The JSON API at /api/v1: bearer tokens, JSON in and out, over the same services as the web."""
from flask import Blueprint, current_app, g
from werkzeug.routing import IntegerConverter

bp = Blueprint("api", __name__)

MAX_ID = 2**63 - 1  # SQLite and PostgreSQL bigint; a bigger number would crash the driver


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive id that fits a 64-bit column, else the URL simply does not match."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


@bp.record_once
def _register_converter(state):
    # Runs before the routes below are added, so their rules can use `<id:...>`.
    state.app.url_map.converters.setdefault("id", IdConverter)


@bp.before_request
def _no_cookie_session():
    # The API authenticates by bearer token only: never fall back to a browser's login cookie.
    g._login_user = current_app.login_manager.anonymous_user()


from . import openapi, people, wishes  # noqa: E402,F401  (routes register on bp)
