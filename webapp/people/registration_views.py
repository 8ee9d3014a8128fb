"""报到审批: the community admin approves or rejects members' and units' reports."""
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Registration, utcnow
from ..schemas import parse, parse_query
from ..schemas.queries import SearchQuery, ScopeQuery
from ..schemas.inputs import RejectInput
from ..services import policy
from ..services.people import registrations as reg_svc
from ..services.wishes import churn
from ..services.errors import Conflict, Invalid, NotFound
from ..web.htmx import answer, attempt, wants_fragment
from ..web.blueprints import admin as bp


def _admin_only() -> None:
    if not policy.community_ids_for(current_user, "community_admin"):
        abort(403)


def _row(reg: Registration) -> dict:
    """What the admin needs to decide: who, where, which unit, which skills."""
    u = reg.user
    b = u.building
    return {"id": reg.id, "kind": reg.kind, "status": reg.status, "name": u.name,
            "phone": u.phone, "building": b.name if b else None,
            "unit": reg.unit.name if reg.unit else None, "skills": u.skills,
            "unit_confirmed": u.unit_id == reg.unit_id and u.unit_confirmed_at is not None,
            # A member re-reporting with a new employer: the unit they leave.
            "old_unit": u.unit.name if u.unit and u.unit_id != reg.unit_id
            and reg.kind == "personal" and reg.status == "pending" and policy.is_volunteer_in(u, reg.community_id)
            else None,
            "community": reg.community.name, "created_at": reg.created_at,
            "reason": reg.reason, "undo_until": _undo_until(reg)}


def _undo_until(reg: Registration):
    until = reg_svc.undo_deadline(reg)
    return until if until is not None and until > utcnow() else None


def _fragment(reg_id: int, errors=None, reason=None, notice=None, status=200):
    reg = db.session.get(Registration, reg_id)
    return render_template("people/_registration.html", r=_row(reg), errors=errors or {},
                           reason=reason, notice=notice), status


@bp.get("/registrations")
@login_required
def registrations():
    """Pending 报到 of my communities, oldest first."""
    _admin_only()
    return _page()


def _page(form_errors=None, failed=None, status=200):
    text = parse_query(SearchQuery, request.args).q
    one = parse_query(ScopeQuery, request.args).community  # 待办概览's link: one community
    rows = [_row(r) for r in reg_svc.pending(db.session, current_user, text=text,
                                             community=one)]
    recent = [_row(r) for r in reg_svc.recently_approved(db.session, current_user)]
    return render_template("people/registrations.html", rows=rows, recent=recent, q=text,
                           form_errors=form_errors or {}, failed=failed,
                           churning=_churning()), status


def _churning() -> list[dict]:
    """Volunteers over the claim/release limit in my communities (flagged to the admin)."""
    return churn.churning(db.session, policy.community_ids_for(current_user, "community_admin"),
                          utcnow())


def _load(reg_id: int) -> Registration:
    """The registration, 404 if unknown, 403 if of another community (never its data)."""
    reg = db.session.get(Registration, reg_id)
    if reg is None:
        raise NotFound(_("找不到这条报到。"), code="registration_not_found")
    if not policy.can_decide_registrations(current_user, reg.community_id):
        abort(403)
    return reg


def _decide(reg_id: int, run, done, catch=(Invalid, Conflict)):
    """Run one decision on a registration. Refused: field errors on the card (htmx) or the page;
    a state conflict on the card for htmx, else on the error page. Done: the card or the list."""
    _load(reg_id)
    with attempt(*catch, reraise=() if wants_fragment() else (Conflict,)) as a:
        run()
    if a.reason:
        return _fragment(reg_id, reason=a.reason, status=409)
    if not a.ok:
        return (_fragment(reg_id, errors=a.errors, status=422) if wants_fragment()
                else _page(a.errors, reg_id, 422))
    return answer(done, url_for("admin.registrations"), lambda: _fragment(reg_id, notice=done))


@bp.post("/registrations/<int:reg_id>/approve")
@login_required
def approve_registration(reg_id: int):
    """Approve: the member may claim, the unit admin may claim for the unit."""
    return _decide(reg_id, lambda: reg_svc.approve(db.session, current_user, reg_id),
                   _("已通过报到。"), catch=(Conflict,))


@bp.post("/registrations/<int:reg_id>/reject")
@login_required
def reject_registration(reg_id: int):
    """Reject with a reason the applicant will see; a missing reason writes nothing."""
    def run():
        data = parse(RejectInput, {"reason": request.form.get("reason", "")})
        reg_svc.reject(db.session, current_user, reg_id, data.reason)
    return _decide(reg_id, run, _("已退回报到，申请人会看到原因。"))


@bp.post("/registrations/<int:reg_id>/undo")
@login_required
def undo_registration(reg_id: int):
    """Undo an approval made by mistake (within the community's window), with a reason."""
    return _decide(reg_id, lambda: reg_svc.undo_approval(
        db.session, current_user, reg_id, request.form.get("reason", "")),
        _("已撤销通过，这条报到回到待审批。"))
