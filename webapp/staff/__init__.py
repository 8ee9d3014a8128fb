"""staff blueprint: the grid tree, staff, accounts looked after and the admin log (/staff/*)."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import (activation_views, log_views, people_list_views, people_views,  # noqa: E402,F401
               retire_views, tree_views)
