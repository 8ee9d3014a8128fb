"""Parts of a page rendered once per distinct content: the wish cards' way, for any partial.

A long table's rows cost the same to render on every view, and at district size a page of
them was most of the page's time (issue 27). A fragment template is rendered straight from
the environment, without Flask's context processors, with only the values it is given (and
the environment's globals: `_()`, `url_for`, the filters). So its HTML is a pure function of
(template, values, language, script root), and that is its key: any change to a value makes
a new key, and there is nothing to invalidate. Never for anything per session or per viewer
(a CSRF token, the signed-in user): tests/web/house/test_fragments.py keeps such names out
of every fragment template.
"""
import secrets
import threading
from collections.abc import Iterator, MappingView
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from cachetools import LRUCache
from flask import current_app, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

_EXTENSION = "wishgrid_fragments"
# Random per process, so no text a user types can be mistaken for it.
CSRF_PLACEHOLDER = "csrf-" + secrets.token_urlsafe(24)
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


def keeps_placeholder() -> bool:
    """Whether a rendering in progress keeps the CSRF placeholder (within placeholder_csrf)."""
    return _keep_placeholder.get()


# Scalars whose equal values print alike (str, int, bool, None and dates are).
_PLAIN = frozenset({str, int, bool, type(None), date})


def freeze(value):
    """A hashable twin of `value` that is equal only where the rendering is: 1, 1.0, True and
    Decimal("1.0") are equal in Python but print differently, so each scalar keeps its type,
    a Decimal or float its written form, a datetime its zone."""
    t = value.__class__
    if t in _PLAIN:
        return (t, value)
    if t is dict:  # a table row: its plain values inline (most of a page's keys)
        return (dict, tuple([(k, v.__class__, v) if v.__class__ in _PLAIN else (k, freeze(v))
                             for k, v in value.items()]))
    if isinstance(value, (list, tuple, MappingView)):  # a dict's items() too: read again
        return (t, tuple([freeze(v) for v in value]))
    if isinstance(value, Iterator):  # freezing would use it up before the rendering reads it
        raise TypeError("a fragment's values are data, not an iterator: pass a list")
    if isinstance(value, dict):
        return (t, tuple([(k, freeze(v)) for k, v in value.items()]))
    if isinstance(value, (set, frozenset)):
        return (t, frozenset([freeze(v) for v in value]))
    if isinstance(value, (Decimal, float)):
        return (t, repr(value))
    if isinstance(value, datetime):
        return (t, value, value.tzinfo)
    return (t, value)


def fragment(template: str, /, **values) -> Markup:
    """The template `template` rendered with `values` only, at most once per distinct content. Its
    forms' CSRF field is `csrf`: a per-process placeholder, swapped for the session's token on
    the way out (kept within placeholder_csrf, as the cards do)."""
    cache, lock = current_app.extensions[_EXTENSION]
    key = (template, str(get_locale()), request.script_root, freeze(values))
    with lock:
        html = cache.get(key)
    if html is None:
        html = current_app.jinja_env.get_template(template).render(**values, csrf=CSRF_PLACEHOLDER)
        with lock:
            cache[key] = html
    if CSRF_PLACEHOLDER in html and not keeps_placeholder():
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
    return Markup(html)


def init_app(app) -> None:
    """Give the app its fragment cache (FRAGMENT_CACHE_SIZE entries) and the `fragment` global."""
    app.extensions[_EXTENSION] = (LRUCache(maxsize=app.config["FRAGMENT_CACHE_SIZE"]),
                                  threading.Lock())
    app.add_template_global(fragment)
