"""Parts of a page rendered once per distinct content: the wish cards' way, for any partial.

A long table's rows cost the same to render on every view, and at district size a page of
them was most of the page's time (issue 27). A fragment template is rendered straight from
the environment, without Flask's context processors, with only the values it is given (and
the environment's globals: `_()`, `url_for`, the filters). So its HTML is a pure function of
(template, values, language, script root), and that is its key (the values as a digest of
their pickle, so a kept table costs its HTML alone): any change to a value makes a new key,
and there is nothing to invalidate. Never for anything per session or per viewer
(a CSRF token, the signed-in user): tests/web/house/test_fragments.py keeps such names out
of every fragment template.
"""
import hashlib
import pickle
import secrets
import threading
from collections.abc import Iterator, MappingView, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from cachetools import LRUCache
from flask import current_app, request
from flask_babel import get_locale
from flask_babel.speaklater import LazyString
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


# Values a key may hold as they are: pickled, each keeps its type and written form (1, 1.0,
# True and Decimal("1.50") are equal in Python but print differently; their pickles differ).
# bool is an int, datetime a date and Markup a str.
_SCALARS = (str, int, float, Decimal, date, type(None))
_AS_IS = frozenset({str, int, float, bool, Decimal, date, datetime, type(None)})


class _Named(NamedTuple):
    """A named tuple or row in a key (made only here: no value is mistaken for one)."""
    kind: str
    fields: tuple | None
    values: tuple


def plain(value):
    """`value` as plain data for a key: as it is when it already is (the usual table row), a
    lazy translation as its text, a dict's items() as a list; TypeError for anything else
    (an object whose rendering its pickle might not pin down, or an iterator, which making
    the key would use up before the rendering reads it)."""
    if isinstance(value, _SCALARS):
        return value
    # Inside a dict or list, a value of one of these exact classes is what plain() would
    # answer: it is kept without the call (a page of rows has thousands of them).
    if isinstance(value, dict):
        if value.__class__ is not dict and all(
                isinstance(k, _SCALARS) and isinstance(v, _SCALARS) for k, v in value.items()):
            return value  # a subclass of plain values keeps its class in the key
        return {k if k.__class__ in _AS_IS else plain(k): v if v.__class__ in _AS_IS else plain(v)
                for k, v in value.items()}
    if value.__class__ in (list, tuple):
        return value.__class__([v if v.__class__ in _AS_IS else plain(v) for v in value])
    # The rest keep what they are in the key, so no list or text is mistaken for them.
    if isinstance(value, tuple) or (isinstance(value, Sequence) and hasattr(value, "_fields")):
        # a named tuple or a result row: read by its field names too
        return _Named(value.__class__.__qualname__, getattr(value, "_fields", None),
                      tuple(plain(v) for v in value))
    if isinstance(value, MappingView):
        return _Named(value.__class__.__qualname__, None, tuple(plain(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return _Named(value.__class__.__qualname__, None,
                      tuple(sorted((plain(v) for v in value), key=repr)))
    if isinstance(value, LazyString):  # its text now (the language is in the key); it is
        return _Named("LazyString", None, (str(value),))  # printed unescaped, a str is not
    if isinstance(value, Iterator):
        raise TypeError("a fragment's values are data, not an iterator: pass a list")
    raise TypeError(f"a fragment's values are plain data, not {value.__class__.__name__}")


def digest(values) -> bytes:
    """A key for `values`: equal only where the rendering is (see plain), 16 bytes however long
    the table (the values themselves are not kept)."""
    return hashlib.blake2b(pickle.dumps(plain(values), protocol=5), digest_size=16).digest()


def kept(extension: str, key, render) -> Markup:
    """The HTML kept under `key` in the app's LRU `extension`, else `render()` kept there; its
    CSRF placeholder swapped for the session's token (unless within placeholder_csrf)."""
    cache, lock = current_app.extensions[extension]
    with lock:
        html = cache.get(key)
    if html is None:
        html = render()
        with lock:
            cache[key] = html
    if CSRF_PLACEHOLDER in html and not keeps_placeholder():
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
    return Markup(html)


def fragment(template: str, /, **values) -> Markup:
    """The template `template` rendered with `values` only, at most once per distinct content.
    Its forms' CSRF field is `csrf`: a per-process placeholder, swapped for the session's token
    on the way out (kept within placeholder_csrf, as the cards do)."""
    return kept(_EXTENSION, (template, str(get_locale()), request.script_root, digest(values)),
                lambda: current_app.jinja_env.get_template(template).render(
                    **values, csrf=CSRF_PLACEHOLDER))


def init_app(app) -> None:
    """Give the app its fragment cache (FRAGMENT_CACHE_SIZE entries) and the `fragment` global."""
    app.extensions[_EXTENSION] = (LRUCache(maxsize=app.config["FRAGMENT_CACHE_SIZE"]),
                                  threading.Lock())
    app.add_template_global(fragment)
