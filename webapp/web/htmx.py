"""View helpers shared by the member and admin blueprints: card fragments, answers, redirects."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from .ui import is_htmx
from . import routing
from ..schemas import to_id  # noqa: F401  (views import it from here)
from ..services.wishes import present
from ..services.errors import Conflict, Invalid
from ..services.wishes.wishes import get_wish

CARD = "partials/_wish_card.html"


def card_dict(wish_id: int) -> dict:
    """The viewer's card of one wish (privacy applied by present.cards)."""
    wish = get_wish(db.session, wish_id)
    (card,) = present.cards(db.session, [wish], current_user)
    return card


def card_fragment(wish_id: int, notice=None):
    """The card partial alone (what htmx swaps in), optionally with a success notice."""
    html = render_template(CARD, card=card_dict(wish_id), card_message=notice and str(notice),
                           card_message_kind="success")
    return html, 200, {"Vary": "HX-Request"}


def form_success(wish_id: int, notice):
    """A form page's htmx success: the card replaces the form, the stale summary goes."""
    html = render_template("wishes/_form_success.html", card=card_dict(wish_id),
                           card_message=str(notice), card_message_kind="success")
    return html, 200, {"Vary": "HX-Request"}


def refusal_fragment(message, status: int = 409, code: str = "conflict"):
    """A refused card action for htmx: only the reason; static/js/app.js puts a 4xx answer
    into the card's message slot, so the card stays and shows why (e.g. 名额不够了)."""
    html = render_template("partials/_error.html", status=status, code=code,
                           message=str(message), fields={})
    return html, status, {"Vary": "HX-Request"}


def wish_url(wish_id: int) -> str:
    """The wish's own page (main.wish_detail)."""
    return url_for("main.wish_detail", wish_id=wish_id)


def local_next(default: str) -> str:
    """A `next` field pointing inside this site, else the default (no open redirects)."""
    return routing.local_next(request.values.get("next"), default)


def wants_fragment() -> bool:
    """An htmx request for a piece of the page; a boosted navigation still gets the page."""
    return is_htmx() and not request.headers.get("HX-Boosted")


def answer(message, target: str, fragment=None):
    """Finish a POST: htmx gets the fragment, a plain form a flash and a redirect (PRG)."""
    if wants_fragment() and fragment is not None:
        return fragment() if callable(fragment) else fragment
    flash(str(message), "success")
    return redirect(target)


def rollback() -> None:
    """Drop whatever a refused service call began, so nothing is half written."""
    db.session.rollback()


class attempt:
    """`with attempt() as a: <parse + one service call>` for a form POST.

    A refusal does not escape: the session is rolled back and `a.errors` (field messages,
    422) or `a.reason` (why the state forbids it, 409) is set; `a.ok` says it went through.
    """

    def __init__(self):
        self.errors, self.reason, self.status = {}, None, 200

    @property
    def ok(self) -> bool:
        return self.status == 200

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, _tb) -> bool:
        if exc_type is not None and issubclass(exc_type, Invalid):
            rollback()
            self.errors, self.status = {k: str(v) for k, v in exc.fields.items()}, 422
            return True
        if exc_type is not None and issubclass(exc_type, Conflict):
            rollback()
            self.reason, self.status = str(exc.message), 409
            return True
        return False


def with_vary(resp):
    """Pages that answer htmx with a fragment must not share a cache entry with the page."""
    resp.vary.add("HX-Request")
    return resp
