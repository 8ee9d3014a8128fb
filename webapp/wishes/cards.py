"""Wish cards rendered once per distinct content: the menu's hot path (see bench/load.py).

A card's HTML is a pure function of its dict (privacy already applied by services.present),
the language and the script root. The one per-session part, the CSRF token, is rendered as a
per-process placeholder and substituted on the way out. So viewers whose card dicts are equal
share the HTML, and any change to the wish (status, taken, title, my claim…) changes the dict,
hence the key: there is nothing to invalidate.
"""
import secrets
import threading
from contextlib import contextmanager
from contextvars import ContextVar

from cachetools import LRUCache
from flask import current_app, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

CARD = "partials/_wish_card.html"
# Random per process, so no text a user types can be mistaken for it.
_CSRF_PLACEHOLDER = "csrf-" + secrets.token_urlsafe(24)
CSRF_PLACEHOLDER = _CSRF_PLACEHOLDER
_keep_placeholder: ContextVar[bool] = ContextVar("wishgrid_keep_csrf_placeholder", default=False)


@contextmanager
def placeholder_csrf():
    """Within: cards keep the CSRF placeholder (a whole page rendered for sharing swaps it
    once, on its way out, for the session's own token: member/page_cache.py)."""
    token = _keep_placeholder.set(True)
    try:
        yield CSRF_PLACEHOLDER
    finally:
        _keep_placeholder.reset(token)


def _freeze(value):
    """A hashable twin of a card value (dicts and lists nest in order cards)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, set):
        return frozenset(value)
    return value


def _render(card: dict) -> str:
    # Straight from the environment: Flask's context processors (the unread badge query)
    # serve the page around the card, not the card.
    return current_app.jinja_env.get_template(CARD).render(card=card, card_csrf=_CSRF_PLACEHOLDER)


def wish_card(card: dict) -> Markup:
    """The `_wish_card.html` partial for `card`, rendered at most once per distinct card."""
    cache, lock = current_app.extensions["wishgrid_cards"]
    key = (str(get_locale()), request.script_root, _freeze(card))
    with lock:
        html = cache.get(key)
    if html is None:
        html = _render(card)
        with lock:
            cache[key] = html
    if _CSRF_PLACEHOLDER in html and not _keep_placeholder.get():
        html = html.replace(_CSRF_PLACEHOLDER, generate_csrf())
    return Markup(html)


def init_app(app) -> None:
    """Give the app its card cache (CARD_CACHE_SIZE entries) and the `wish_card` global."""
    app.extensions["wishgrid_cards"] = (LRUCache(maxsize=app.config["CARD_CACHE_SIZE"]),
                                       threading.Lock())
    app.add_template_global(wish_card)
