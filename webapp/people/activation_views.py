"""Activation of a grid's imported residents: SMS invitations in one action, printed slips."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..extensions import db
from ..services.errors import Forbidden, NotFound
from ..services.ledger.certificates import qr_svg
from ..services.people import activation
from ..web.blueprints import staff as bp
from ..web.scope import secret_page
from ..web.htmx import attempt


def _for_grid(act, grid_id: int, done):
    """Run `act` on the actor's grid and answer `done(result)`; a grid that is not theirs (or
    does not exist) gets the refusal as a plain answer."""
    with attempt(Forbidden, NotFound) as a:
        got = act(db.session, current_user, grid_id)
    return done(got) if a.ok else (a.reason, a.status)


def _invited(got):
    flash(_("已发送 %(sent)d 条激活邀请，%(held)d 人未发送（今日短信额度已用完或未配置邀请模板）。",
            sent=got["sent"], held=got["held"]), "success")
    return redirect(request.referrer or url_for("staff.people"))


def _slips(pages):
    url = url_for("auth.activate_slip", _external=True)
    return secret_page("people/activation_slips.html", pages=pages, url=url,
                       qr=Markup(qr_svg(url)))  # noqa: S704 — segno's own SVG, no user text


@bp.post("/grids/<int:grid_id>/activation-invite")
@login_required
def activation_invite(grid_id: int):
    """Invite every not-yet-activated resident of the grid by SMS (within the budget)."""
    return _for_grid(activation.invite, grid_id, _invited)


@bp.post("/grids/<int:grid_id>/activation-slips")
@login_required
def activation_slips(grid_id: int):
    """Printable slips (one A4 page per building): new codes, so a POST, and never cached."""
    return _for_grid(activation.slips, grid_id, _slips)
