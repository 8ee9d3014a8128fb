"""admin blueprint: the community's review queue, wish list, registrations and dispatch."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import registrations, settings, views  # noqa: E402,F401  (views register themselves on bp)
