"""安全与审计: a street admin requires 两步验证 of the street's admins and exports the admin log
and the disclosure log for an audit (.xlsx)."""
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Org, utcnow
from ..schemas import parse_query
from ..schemas.queries import AuditQuery
from ..services import policy
from ..services.admin import audit
from ..services.errors import Forbidden
from ..services.ledger.periods import local
from ..services.people import mfa
from ..web.blueprints import staff as bp
from ..web.downloads import download


def _street() -> Org:
    ids = sorted(policy.security_streets(current_user))
    if not ids:
        raise Forbidden(_("只有街道管理员可以使用安全与审计页面。"))
    wanted = parse_query(AuditQuery, request.values).street
    return db.session.get(Org, wanted if wanted in ids else ids[0])


@bp.get("/security")
@login_required
def security_page():
    """The street's requirement and the audit export form."""
    street = _street()
    today = local(utcnow()).date()
    return render_template("admin/security.html", street={"id": street.id, "name": street.name},
                           required=mfa.street_requires(street),
                           retention_days=audit.retention_days(),
                           since=today - timedelta(days=180), until=today)


@bp.post("/security")
@login_required
def save_security():
    """Turn the street's 两步验证 requirement on or off (logged)."""
    street = _street()
    on = request.form.get("require_totp") == "1"
    mfa.set_required(db.session, current_user, street.id, on)
    flash(_("已要求本街道的管理员开启两步验证。") if on else _("已取消两步验证的要求。"), "success")
    return redirect(url_for("staff.security_page", street=street.id))


@bp.get("/security/audit.xlsx")
@login_required
def audit_export():
    """Both logs of the street for the chosen dates (default: the last 180 days)."""
    street = _street()
    q = parse_query(AuditQuery, request.args)
    until = q.until or local(utcnow()).date()
    since = q.since or until - timedelta(days=180)
    data = audit.export(db.session, current_user, street.id, since, until)
    return download(data, "xlsx", f"审计日志-{street.name}-{since}-{until}", "audit-log")
