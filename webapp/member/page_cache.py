"""The menu page rendered once per distinct (shared list, personal signature).

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

from ..main import cards as card_cache
from ..main.ui import tabs_for


class _SignedIn:
    """`me` for base.html: someone is signed in, and nothing about who."""

    def __bool__(self) -> bool:
        return True


def _card_sig(card: dict) -> tuple:
    return (card["id"], card["resident"], card["my_claim_id"], card["my_claim_status"],
            tuple(card["actions"]))


def render(template: str, ctx: dict, *, list_key, user, unread: int, elder: bool,
           lang: str) -> str:
    """`template` with `ctx` for `user`, from the page cache when another viewer's rendering
    had the same inputs; `list_key` names the shared list (None: render as usual)."""
    if list_key is None or session.get("_flashes"):
        return render_template(template, **ctx)
    tabs = tabs_for(user)
    sig = (template, list_key, request.script_root, tuple(_card_sig(c) for c in ctx["cards"]),
           tuple(tuple(sorted(t.items())) for t in tabs), unread, bool(elder), lang,
           ctx.get("volunteer"), ctx.get("unit_admin"))
    cache, lock = current_app.extensions["wishgrid_pages"]
    with lock:
        html = cache.get(sig)
    if html is None:
        with card_cache.placeholder_csrf() as placeholder:
            page = dict(ctx, me=_SignedIn(), unread_count=unread, nav_tabs=tabs,
                        elder=bool(elder), lang=lang, csrf_token=lambda: placeholder,
                        get_flashed_messages=lambda **_kw: [])
            html = current_app.jinja_env.get_template(template).render(page)
        with lock:
            cache[sig] = html
    return html.replace(card_cache.CSRF_PLACEHOLDER, generate_csrf())


def init_app(app) -> None:
    """Give the app its page cache (MENU_PAGE_CACHE_SIZE rendered pages)."""
    app.extensions["wishgrid_pages"] = (LRUCache(maxsize=app.config["MENU_PAGE_CACHE_SIZE"]),
                                        threading.Lock())
