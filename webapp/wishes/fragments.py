"""The wish card as the htmx routes answer it: the card alone, a form's success, its URL."""
from flask import render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..services.wishes import present
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


def wish_url(wish_id: int) -> str:
    """The wish's own page (main.wish_detail)."""
    return url_for("main.wish_detail", wish_id=wish_id)
