"""member blueprint: the menu, claiming, my orders, and the unit admin's pages."""
from flask import Blueprint

from ..api import IdConverter

bp = Blueprint("member", __name__)

# `<id:…>` ids: a number too big for a 64-bit column is a 404, not a driver crash.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("id", IdConverter))

from . import menu, orders  # noqa: E402,F401  (views register themselves on bp)
