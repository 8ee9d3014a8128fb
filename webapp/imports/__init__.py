"""imports blueprint: the admin's upload, preview, confirm and progress pages (/admin/imports)."""
from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/admin/imports")

from . import views  # noqa: E402,F401  (views register themselves on bp)
