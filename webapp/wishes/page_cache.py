"""The menu page rendered once per distinct (shared list, personal signature), and found
again without building its cards when the same viewer asks for the same list.

The list itself is shared (services/wishes/menu_cache.py). What differs between two viewers of
one list is small and named here: each card's personal parts (the resident's own name, the
viewer's claim and buttons), the tab bar, the unread count, elder mode, the language and the
volunteer / unit-admin flags. The page is rendered from exactly these, without
`current_user` or the context processors (`me` is an anonymous "signed in"), and with a
placeholder for the CSRF token that is swapped for the session's own on the way out: two
viewers share a rendering only when it could not tell them apart. A page with flashed
messages is rendered the usual way.
"""
import threading

from cachetools import LRUCache
from flask import current_app, render_template, request, session
from flask_wtf.csrf import generate_csrf

from ..web import fragments
from ..web.ui import tabs_for


class _SignedIn:
    """`me` for base.html: someone is signed in, and nothing about who."""

    def __bool__(self) -> bool:
        return True


def _card_sig(card: dict) -> tuple:
    return (card["id"], card["resident"], card["my_claim_id"], card["my_claim_status"],
            tuple(card["actions"]))


def _chrome(template, ctx, list_key, unread, elder, lang) -> tuple:
    return (template, list_key, request.script_root, unread, bool(elder), lang,
            ctx.get("volunteer"), ctx.get("unit_admin"))


def _out(html: str) -> str:
    return html.replace(fragments.CSRF_PLACEHOLDER, generate_csrf())


def cached(template: str, ctx: dict, *, list_key, viewer, unread: int, elder: bool,
           lang: str) -> str | None:
    """The page this viewer was last served for the same list and chrome, if it is still
    cached: `viewer` (menu_cache.viewer_key) holds all their cards depend on besides their
    claims, and a claim changes `list_key`. None: build the cards and call `render`."""
    if list_key is None or session.get("_flashes"):
        return None
    cache, lock = current_app.extensions["wishgrid_pages"]
    with lock:
        html = cache.get(("viewer", viewer) + _chrome(template, ctx, list_key, unread, elder,
                                                      lang))
    return _out(html) if html is not None else None


def render(template: str, ctx: dict, *, list_key, user, viewer, unread: int, elder: bool,
           lang: str) -> str:
    """`template` with `ctx` for `user`, from the page cache when another viewer's rendering
    had the same inputs; `list_key` names the shared list (None: render as usual)."""
    if list_key is None or session.get("_flashes"):
        return render_template(template, **ctx)
    tabs = tabs_for(user)
    chrome = _chrome(template, ctx, list_key, unread, elder, lang)
    sig = chrome + (tuple(_card_sig(c) for c in ctx["cards"]),
                    tuple(tuple(sorted(t.items())) for t in tabs))
    cache, lock = current_app.extensions["wishgrid_pages"]
    with lock:
        html = cache.get(sig)
    if html is None:
        with fragments.placeholder_csrf() as placeholder:
            page = dict(ctx, me=_SignedIn(), unread_count=unread, nav_tabs=tabs,
                        elder=bool(elder), lang=lang, csrf_token=lambda: placeholder,
                        get_flashed_messages=lambda **_kw: [])
            html = current_app.jinja_env.get_template(template).render(page)
    with lock:
        cache[sig] = html
        cache[("viewer", viewer) + chrome] = html  # the same string: no second copy
    return _out(html)


def init_app(app) -> None:
    """Give the app its page cache (MENU_PAGE_CACHE_SIZE rendered pages)."""
    app.extensions["wishgrid_pages"] = (LRUCache(maxsize=app.config["MENU_PAGE_CACHE_SIZE"]),
                                        threading.Lock())
