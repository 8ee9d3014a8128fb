"""shop blueprint: 爱心超市 — the shelf and a member's exchanges, the office, a unit's offers."""
from flask import Blueprint

bp = Blueprint("shop", __name__, url_prefix="/shop")

from . import office_views, views  # noqa: E402,F401
