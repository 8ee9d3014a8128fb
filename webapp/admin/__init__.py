"""admin blueprint: the community's review queue, wish list, registrations and dispatch."""
from flask import Blueprint

from ..api import IdConverter

bp = Blueprint("admin", __name__, url_prefix="/admin")

# `<id:…>` ids: a number too big for a 64-bit column is a 404, not a driver crash.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("id", IdConverter))

from . import registrations, settings, views  # noqa: E402,F401  (views register themselves on bp)
