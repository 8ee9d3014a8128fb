"""member blueprint: the menu, claiming, my orders, and the unit admin's pages."""
from flask import Blueprint

bp = Blueprint("member", __name__)


@bp.record_once
def _install(state):
    from ..services.wishes.menu_cache import MenuCache
    # Whole menu pages, keyed by the communities' data versions (services/wishes/menu_cache.py).
    state.app.extensions["wishgrid_menu"] = MenuCache(state.app.config["MENU_CACHE_SIZE"])
    from . import page_cache
    page_cache.init_app(state.app)


from . import menu, orders  # noqa: E402,F401  (views register themselves on bp)
