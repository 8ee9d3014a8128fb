"""pairing blueprint: 结对联户 (pairings, visits, care tags), 双向评议 (evaluation rounds) and the
public board (公示) of each community at /board/<community_id>."""
from flask import Blueprint

bp = Blueprint("pairing", __name__)

from . import batch_views, board_views, evaluation_views, setup_views, views  # noqa: E402,F401
