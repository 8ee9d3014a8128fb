"""Wish cards rendered once per distinct content: the menu's hot path (see bench/load.py).

A card's HTML is a pure function of its dict (privacy already applied by services.present),
the language and the script root. The one per-session part, the CSRF token, is rendered as a
per-process placeholder and substituted on the way out. So viewers whose card dicts are equal
share the HTML, and any change to the wish (status, taken, title, my claim…) changes the dict,
hence the key: there is nothing to invalidate.
"""
import threading

from cachetools import LRUCache
from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

from ..web.fragments import CSRF_PLACEHOLDER, digest, kept

CARD = "partials/_wish_card.html"


def _render(card: dict) -> str:
    # Straight from the environment: Flask's context processors (the unread badge query)
    # serve the page around the card, not the card.
    return current_app.jinja_env.get_template(CARD).render(card=card, card_csrf=CSRF_PLACEHOLDER)


def wish_card(card: dict) -> Markup:
    """The `_wish_card.html` partial for `card`, rendered at most once per distinct card."""
    return kept("wishgrid_cards", (str(get_locale()), request.script_root, digest(card)),
                lambda: _render(card))


def init_app(app) -> None:
    """Give the app its card cache (CARD_CACHE_SIZE entries) and the `wish_card` global."""
    app.extensions["wishgrid_cards"] = (LRUCache(maxsize=app.config["CARD_CACHE_SIZE"]),
                                       threading.Lock())
    app.add_template_global(wish_card)
