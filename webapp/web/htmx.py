"""The htmx kit every view uses: a page or its fragment, the end of a POST, a refused service
call turned into a message with nothing half written.

A URL that answers htmx with a fragment and a browser with a page sends `Vary: HX-Request`
(here, and for every HTML answer in pwa's after-request hook), so no cache mixes the two.
"""
from flask import flash, make_response, redirect, render_template, request

from ..extensions import db
from ..services.errors import Conflict, DomainError, Invalid
from . import routing
from .ui import is_htmx

__all__ = ["answer", "attempt", "form_answer", "is_htmx", "local_next", "page_or_fragment",
           "refusal_fragment", "refused_on_card", "rollback", "wants_fragment", "with_vary"]


def wants_fragment() -> bool:
    """An htmx request for a piece of the page; a boosted navigation still gets the page."""
    return is_htmx() and not request.headers.get("HX-Boosted")


def with_vary(resp):
    """Pages that answer htmx with a fragment must not share a cache entry with the page."""
    resp.vary.add("HX-Request")
    return resp


def page_or_fragment(page: str, fragment: str, status: int = 200, **ctx):
    """The full page, or just the fragment for htmx."""
    html = render_template(fragment if is_htmx() else page, **ctx)
    return with_vary(make_response(html, status))


def form_answer(template: str, values: dict, errors: dict, **ctx):
    """A form on its own page: 422 with each error next to its field, else 200."""
    return make_response(render_template(template, values=values, errors=errors, **ctx),
                         422 if errors else 200)


def answer(message, target: str, fragment=None, navigate: bool = False):
    """Finish a POST: htmx gets the fragment, a plain form a flash and a redirect (PRG).
    `navigate`: a whole-page form sent by htmx without a fragment makes htmx go to `target`
    (HX-Redirect) instead of following the redirect inside the swap."""
    if wants_fragment() and fragment is not None:
        out = fragment() if callable(fragment) else fragment
        return with_vary(make_response(out)) if navigate else out
    flash(str(message), "success")
    if navigate and is_htmx():
        resp = make_response("", 200)
        resp.headers["HX-Redirect"] = target
        return with_vary(resp)
    return with_vary(redirect(target)) if navigate else redirect(target)


def refusal_fragment(message, status: int = 409, code: str = "conflict"):
    """A refused action for htmx: only the reason; static/js/app.js puts a 4xx answer into the
    card's (or form's) message slot, so the card stays and shows why (e.g. 名额不够了)."""
    html = render_template("partials/_error.html", status=status, code=code,
                           message=str(message), fields={})
    return html, status, {"Vary": "HX-Request"}


def refused_on_card(run, when: bool | None = None):
    """Run a card's action. If the state refuses it (Conflict) and htmx asked (or `when`), the
    refusal fragment to return; None when it went through. Otherwise the refusal reaches the
    error page as usual, with nothing written."""
    with attempt(Conflict, when=wants_fragment() if when is None else when) as a:
        run()
    return refusal_fragment(a.reason, a.status, a.code) if a.reason else None


def local_next(default: str) -> str:
    """A `next` field pointing inside this site, else the default (no open redirects)."""
    return routing.local_next(request.values.get("next"), default)


def rollback() -> None:
    """Drop whatever a refused service call began, so nothing is half written."""
    db.session.rollback()


class attempt:
    """`with attempt() as a: <parse + one service call>`, then look at `a`.

    A refusal of the kinds caught (by default `Invalid` and `Conflict`) does not escape: the
    session is rolled back and `a.errors` (field messages, 422) or `a.reason` and `a.code` (why
    the state forbids it, 409, or whatever the error's status is) are set, with the error
    itself in `a.error`; `a.ok` says it went through. `when=False` (e.g. not an
    htmx request) still rolls back, then lets the refusal reach the error page as before;
    `reraise=(Conflict,)` does so for some of the kinds only.
    """

    def __init__(self, *catch: type[DomainError], when: bool = True, reraise: tuple = ()):
        self.catch = catch or (Invalid, Conflict)
        self.when = when
        self.reraise = reraise  # of the kinds caught, these only roll back and go on
        self.errors, self.reason, self.code, self.status, self.error = {}, None, None, 200, None

    @property
    def ok(self) -> bool:
        return self.status == 200

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, _tb) -> bool:
        if exc_type is None or not issubclass(exc_type, self.catch):
            return False
        rollback()
        if not self.when or issubclass(exc_type, self.reraise):
            return False
        self.error = exc
        if issubclass(exc_type, Invalid):
            self.errors, self.status = {k: str(v) for k, v in exc.fields.items()}, 422
        else:
            self.reason, self.code, self.status = str(exc.message), exc.code, exc.status
        return True
