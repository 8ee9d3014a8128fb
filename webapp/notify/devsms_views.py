"""开发短信: what the development SMS provider "sent", for the street's admins (issue 22 §6)."""
from flask import current_app, render_template
from flask_login import current_user, login_required

from ..extensions import db
from ..services import policy
from ..services.errors import Forbidden
from ..services.notify import devsms, sms
from ..web.blueprints import staff as bp


@bp.get("/dev-sms")
@login_required
def dev_sms():
    """The development provider's messages (codes included) to people of the admin's street."""
    streets = policy.dev_sms_streets(current_user)
    if not streets:
        raise Forbidden(code="dev_sms_forbidden")
    return render_template("notify/dev_sms.html", on=sms.is_dev(current_app.config),
                           messages=devsms.messages(db.session, streets))
