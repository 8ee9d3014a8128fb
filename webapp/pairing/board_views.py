"""The public board (公示) of a community and its printable A4 poster: no sign-in, cacheable,
nothing personal (services/pairing/board.py decides what is shown)."""
from flask import make_response, render_template
from flask_babel import get_locale

from ..extensions import db, limiter
from ..web.public import external_url
from ..services.ledger.certificates import qr_png_uri, qr_svg
from ..services.pairing import board
from ..web.pdf import pdf_response
from . import bp

S = db.session
CACHE = "public, max-age=300"  # five minutes: a notice board, not a live feed


def _public(html: str):
    resp = make_response(html)
    resp.headers["Cache-Control"] = CACHE
    return resp


@bp.get("/board/<id:community_id>")
def board_page(community_id):
    """The community's public board: fulfilled wishes by month, star volunteers, grades."""
    return _public(render_template("pairing/board.html", b=board.view(S, community_id)))


@bp.get("/board/<id:community_id>/poster")
def poster(community_id):
    """The A4 poster for the 公示栏, with a QR code to the live board."""
    b = board.view(S, community_id)
    url = external_url("pairing.board_page", community_id=community_id)
    return _public(render_template("pairing/poster.html", b=b, url=url, qr=qr_svg(url)))


@bp.get("/board/<id:community_id>/poster.pdf")
@limiter.limit("20 per minute")  # printing takes a CPU second: cached, and limited per address
def poster_pdf(community_id):
    """The poster as an A4 PDF (WeasyPrint), the same body as the board, a QR code to it."""
    b = board.view(S, community_id)
    url = external_url("pairing.board_page", community_id=community_id)
    html = render_template("pairing/poster_pdf.html", b=b, url=url, qr_png=qr_png_uri(url),
                           lang=str(get_locale() or "zh"))
    resp = pdf_response(html, "pdf-poster.css", f"{b['community']}公示栏", f"board-{community_id}")
    resp.headers["Cache-Control"] = CACHE  # public, like the board: nothing personal in it
    return resp
