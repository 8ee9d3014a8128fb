"""API: tokens, the grid tree, categories, sign-up and 报到 approvals."""
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db, limiter
from ..schemas.inputs import (CategoryQuery, OrgTreeQuery, Register, RegistrationQuery,
                              RejectInput, TokenLogin)
from ..services.admin import invites
from ..services.people import accounts, mfa, orgs, registrations
from ..services import policy
from ..services.errors import DomainError, Forbidden
from . import bp
from .common import token_answer, bearer, body, me, query, reply, token_required


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


class BadCredentials(DomainError):
    status = 401
    code = "bad_credentials"


@bp.post("/tokens")
@limiter.limit(_login_limit)
def create_token():
    """Exchange phone and password for a bearer token."""
    data = body(TokenLogin)
    user = accounts.authenticate(db.session, data.phone, data.password)
    if user is None:
        raise BadCredentials(_("手机号或密码不正确。"))
    if mfa.enabled(user) and not mfa.check(db.session, user, data.otp or ""):
        raise BadCredentials(_("请在 otp 中填写验证器上当前的 6 位数字（两步验证）。"),
                             code="mfa_required")
    if not mfa.enabled(user) and mfa.required(db.session, user):
        raise Forbidden(_("本街道要求管理员开启两步验证：请先在网页上设置（我的 → 两步验证）。"),
                        code="mfa_enrolment_required")
    return token_answer(user)


@bp.delete("/tokens/current")
@token_required
def revoke_token():
    """Revoke the bearer token this request carries (sign the app out)."""
    accounts.revoke_token(db.session, bearer())
    return "", 204


@bp.get("/orgs")
def org_tree():
    """The grid tree: street → community → grid → building; ?community= that community's. A
    district (more buildings than sign-up lists at once) answers streets and communities, with
    `complete: false`: its buildings come a community at a time."""
    q = query(OrgTreeQuery)
    if q.community is not None:
        return reply({"items": orgs.tree(db.session, community_id=q.community), "complete": True})
    whole = orgs.live_buildings(db.session) <= current_app.config["SIGNUP_BUILDINGS_AT_ONCE"]
    return reply({"items": orgs.tree(db.session, to_communities=not whole), "complete": whole})


@bp.get("/categories")
def categories():
    """A community's active wish categories."""
    q = query(CategoryQuery)
    community = orgs.get_org(db.session, q.community, "community")
    return reply({"items": [{"id": c.id, "name": c.name, "label": orgs.category_label(c),
                             "auto_publish": c.auto_publish}
                            for c in orgs.categories(db.session, community.id)]})


@bp.post("/users")
@limiter.limit(_login_limit)
def register():
    """Sign up: resident, member (个人报到) or unit admin (单位报到, with unit_name)."""
    data = body(Register)
    user, reg = accounts.register(db.session, data)
    return reply({"id": user.id, "registration": (
        {"id": reg.id, "kind": reg.kind, "status": reg.status} if reg else None)}, 201)


def _registration(r) -> dict:
    return {
        "id": r.id, "kind": r.kind, "status": r.status, "reason": r.reason,
        "community_id": r.community_id, "created_at": r.created_at, "decided_at": r.decided_at,
        "user": {"id": r.user.id, "name": r.user.name, "phone": r.user.phone,
                 "building_id": r.user.building_id, "skills": r.user.skills},
        "unit": {"id": r.unit.id, "name": r.unit.name, "status": r.unit.status} if r.unit else None,
    }


@bp.get("/registrations")
@token_required
def list_registrations():
    """报到 of the admin's communities (default: pending)."""
    q = query(RegistrationQuery)
    if not policy.community_ids_for(me(), "community_admin"):
        raise Forbidden(_("只有社区管理员可以查看报到申请。"))
    rows = registrations.pending(db.session, me(), "" if q.status == "all" else q.status)
    return reply({"items": [_registration(r) for r in rows]})


@bp.post("/registrations/<id:reg_id>/approve")
@token_required
def approve_registration(reg_id):
    """Approve a member's or unit's 报到."""
    body(None)
    reg = registrations.approve(db.session, me(), reg_id)
    return reply({"id": reg.id, "status": reg.status})


@bp.post("/registrations/<id:reg_id>/reject")
@token_required
def reject_registration(reg_id):
    """Reject a 报到 with a reason the applicant sees."""
    data = body(RejectInput)
    reg = registrations.reject(db.session, me(), reg_id, data.reason)
    return reply({"id": reg.id, "status": reg.status, "reason": reg.reason})


@bp.get("/me/invitations")
@token_required
def my_invitations():
    """What admins outside the user's own scope asked of this account, waiting for an answer."""
    return reply({"items": invites.pending(db.session, me())})


@bp.post("/invitations/<id:invitation_id>/accept")
@token_required
def accept_invitation(invitation_id):
    """Accept: the change is made now."""
    body(None)
    inv = invites.accept(db.session, me(), invitation_id)
    return reply({"id": inv.id, "status": inv.status})


@bp.post("/invitations/<id:invitation_id>/decline")
@token_required
def decline_invitation(invitation_id):
    """Decline: nothing changes."""
    body(None)
    inv = invites.decline(db.session, me(), invitation_id)
    return reply({"id": inv.id, "status": inv.status})


@bp.get("/me/info")
@token_required
def my_info():
    """我的信息: everything held on the signed-in person, section by section (PIPL art. 45)."""
    from ..services.rights import personal_data
    data = personal_data.view(db.session, me())
    return reply({"sections": data["sections"], "consents": data["consents"],
                  "acts_on_others": data["acts"]})
