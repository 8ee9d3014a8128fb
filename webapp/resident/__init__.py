"""resident blueprint: post a wish (also 代为登记 by grid staff), my wishes, withdraw, confirm."""
from flask import Blueprint

bp = Blueprint("resident", __name__)

from . import views  # noqa: E402,F401
