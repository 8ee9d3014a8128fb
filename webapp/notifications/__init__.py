"""notifications blueprint: the in-app inbox, notification settings and push subscriptions."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)

from . import views  # noqa: E402,F401
