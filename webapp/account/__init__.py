"""account blueprint: a user's own data (download) and account deletion (PIPL)."""
from flask import Blueprint

bp = Blueprint("account", __name__)

from . import invitations, password, unit, views  # noqa: E402,F401
