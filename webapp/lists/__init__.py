"""lists blueprint: 服务清单 — resources and bookings (资源清单), projects and sessions (项目清单)."""
from flask import Blueprint

bp = Blueprint("lists", __name__, url_prefix="/lists")

from . import checkin_views, insurance_views, manage_views, views  # noqa: E402,F401
