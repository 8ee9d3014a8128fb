"""member blueprint: the menu, claiming, my orders, and the unit admin's pages."""
from flask import Blueprint

bp = Blueprint("member", __name__)

from . import menu, orders  # noqa: E402,F401  (views register themselves on bp)
