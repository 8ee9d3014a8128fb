"""voice blueprint: 反映问题 — problems residents raise, the community's answers (issue 29 §2)."""
from flask import Blueprint

bp = Blueprint("voice", __name__, url_prefix="/voice")

from . import views  # noqa: E402,F401
