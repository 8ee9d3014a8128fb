"""The wish pages: home, menu, claims and orders, posting and confirming, review and dispatch."""


def init_app(app):
    """Install the wish pages' caches: rendered cards and whole menu pages."""
    from ..services.wishes.menu_cache import MenuCache
    from . import cards, page_cache
    cards.init_app(app)
    # Whole menu pages, keyed by the communities' data versions (services/wishes/menu_cache.py).
    app.extensions["wishgrid_menu"] = MenuCache(app.config["MENU_CACHE_SIZE"])
    page_cache.init_app(app)
