"""我的服务 for members, and the unit admin's view of the unit's members by period."""
from flask import render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..models import Certificate, Org, utcnow
from ..schemas import parse_query
from ..schemas.queries import PeriodQuery
from ..services.ledger import duty, holds, ledger, periods, stars, tallies
from ..services import policy
from . import access, bp
from .reports import PERIOD_KINDS


def _home_community(user):
    ids = sorted(policy.org_ids_for(user, "member"))
    return db.session.get(Org, ids[0]) if ids else None


@bp.get("/ledger/me")
@login_required
def me():
    """Own hours, points, star level, services and half-year status."""
    now = utcnow()
    hours, points = ledger.totals(db.session, current_user.id)
    home = _home_community(current_user)
    st = stars.standing(db.session, current_user.id, hours, home, now)
    certs = db.session.scalars(select(Certificate).where(
        Certificate.volunteer_id == current_user.id).order_by(Certificate.id.desc())).all()
    return render_template("ledger/me.html", hours=hours, points=points, stars=st["held"],
                           earned=st["earned"],
                           by_basis=ledger.hours_by_basis(db.session, current_user.id),
                           held=holds.held(db.session, current_user.id)[0],  # 没办好 under review
                           next_stars=st["next"], to_next=st["to_next"],
                           thresholds=st["thresholds"],
                           services=tallies.services_of(db.session, current_user.id),
                           duty=duty.member_status(db.session, current_user, now), certs=certs)


@bp.get("/ledger/unit")
@login_required
def unit():
    """The unit's members: services, hours, points by period; who owes the half-year service."""
    u = access.unit()
    now = utcnow()
    q = parse_query(PeriodQuery, request.args)
    period = periods.parse(q.period, now, q.kind or "half")
    rows = tallies.member_rows(db.session, period, unit_id=u.id, community_id=u.community_id)
    return render_template("ledger/unit.html", unit=u, period=period, rows=rows,
                           total_hours=sum((r["hours"] for r in rows), 0),
                           duty=duty.status(db.session, now, unit_id=u.id),
                           kinds=PERIOD_KINDS)
