"""/invitations: what admins outside one's own scope asked of this account (issue 20).

Nothing about the account changes until its owner accepts here; declining changes nothing.
"""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import to_id
from ..services.admin import invites
from ..services.errors import Conflict
from ..web.blueprints import account as bp
from ..web.htmx import attempt


@bp.route("/invitations", methods=["GET"])
@login_required
def invitations():
    """The open invitations, each with 接受 and 谢绝."""
    return render_template("people/invitations.html",
                           items=invites.pending(db.session, current_user))


@bp.route("/invitations/<invitation_id>/accept", methods=["POST"])
@login_required
def accept_invitation(invitation_id):
    """Accept: the role, home or 报到 takes effect now."""
    return _answer(invites.accept, invitation_id, _("已接受，新的职务或住址已生效。"))


@bp.route("/invitations/<invitation_id>/decline", methods=["POST"])
@login_required
def decline_invitation(invitation_id):
    """Decline: nothing about the account changes; the inviter is told."""
    return _answer(invites.decline, invitation_id, _("已谢绝，您的账号没有任何变化。"))


def _answer(act, invitation_id, done):
    with attempt(Conflict) as a:
        act(db.session, current_user._get_current_object(), to_id(invitation_id))
    if a.reason:  # already answered, or stale: say so on the list
        flash(a.reason, "error")
        return redirect(url_for("account.invitations"), 303)
    flash(done, "success")
    return redirect(url_for("account.invitations"), 303)
