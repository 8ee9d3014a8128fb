"""API of the administration area: the grid tree, staff, accounts looked after, the admin log."""
from flask_babel import gettext as _

from ..extensions import db
from ..schemas.admin import (AdminLogQuery, MoveHouse, OrgCreate, OrgUpdate, PasswordChange,
                             StaffAppoint, StaffQuery)
from ..services import policy
from ..services.admin import accounts_admin, adminlog, backlog, staff, tree
from ..services.errors import Forbidden, Invalid
from . import bp
from .common import body, me, query, reply, token_required


def _org(o) -> dict:
    return {"id": o.id, "kind": o.kind, "name": o.name, "parent_id": o.parent_id,
            "active": o.active}


@bp.post("/orgs")
@token_required
def create_org():
    """Add a community (street admin), a grid or a building (community admin)."""
    data = body(OrgCreate)
    org = tree.add_node(db.session, me(), data.kind, data.name, data.parent_id)
    return reply({"id": org.id}, 201)


@bp.patch("/orgs/<id:org_id>")
@token_required
def update_org(org_id):
    """Rename, move a building to another grid, retire (active=false) or bring back a node."""
    data = body(OrgUpdate)
    if data.name is None and data.parent_id is None and data.active is None:
        raise Invalid({"name": _("请至少修改一项：name、parent_id 或 active。")})
    org = tree.update_node(db.session, me(), org_id, data.name, data.parent_id, data.active,
                           confirm=data.confirm, move_to=data.move_to)
    return reply(_org(org))


@bp.get("/staff")
@token_required
def list_staff():
    """Who holds which staff role in a community, since when."""
    q = query(StaffQuery)
    cid = q.community
    if cid is None:
        mine = staff.communities_for(db.session, me())
        if not mine:
            raise Forbidden(_("只有社区管理员和街道管理员可以查看工作人员。"))
        cid = mine[0].id
    community, rows = staff.staff_list(db.session, me(), cid)
    return reply({"community_id": community.id, "items": [
        {k: r[k] for k in ("grant_id", "user_id", "name", "phone", "role", "org_id", "org_name",
                           "since", "granted_by")} for r in rows]})


@bp.post("/staff")
@token_required
def appoint_staff():
    """Appoint a community admin or grid worker by phone (a new phone gets an account)."""
    data = body(StaffAppoint)
    result = staff.appoint(db.session, me(), data)
    if result.invitation is not None:  # not the appointer's to change: the person is asked
        return reply({"user_id": result.user.id, "grant_id": None,
                      "invitation_id": result.invitation.id}, 201)
    out = {"user_id": result.user.id, "grant_id": result.grant.id}
    if result.temporary_password:
        out["temporary_password"] = result.temporary_password
    return reply(out, 201)


@bp.delete("/staff/<id:grant_id>")
@token_required
def remove_staff(grant_id):
    """End a staff role; the person's sessions and tokens stop at their next request."""
    staff.remove(db.session, me(), grant_id)
    return "", 204


@bp.post("/users/<id:user_id>/password-reset")
@token_required
def reset_password(user_id):
    """A one-time password for a person in the staff member's scope (shown once)."""
    body(None)
    temp = accounts_admin.reset_password(db.session, me(), user_id)
    if temp is None:  # a proven phone: a code went to the person, no credential to staff
        return reply({"temporary_password": None, "code_sent": True})
    return reply({"temporary_password": temp, "code_sent": False})


@bp.post("/users/<id:user_id>/deactivate")
@token_required
def deactivate_user(user_id):
    """Stop an account from signing in; its open claims are released."""
    reason = str(body(None).get("reason") or "")[:200]
    person = accounts_admin.deactivate(db.session, me(), user_id, reason)
    return reply({"id": person.id, "active": person.active})


@bp.post("/users/<id:user_id>/reactivate")
@token_required
def reactivate_user(user_id):
    """Let a deactivated account sign in again."""
    body(None)
    person = accounts_admin.reactivate(db.session, me(), user_id)
    return reply({"id": person.id, "active": person.active})


@bp.post("/users/<id:user_id>/move")
@token_required
def move_house(user_id):
    """搬家: move a resident to another building in the staff member's grids (community)."""
    data = body(MoveHouse)
    person = accounts_admin.move_house(db.session, me(), user_id, data.building_id, data.address)
    return reply({"id": person.id, "building_id": person.building_id,
                  "address": person.address})


@bp.post("/me/password")
@token_required
def change_my_password():
    """Change one's own password; every other session and token (this one too) ends."""
    data = body(PasswordChange)
    accounts_admin.change_password(db.session, me(), data.current_password, data.new_password)
    return reply({"password_changed": True})


@bp.get("/admin-log")
@token_required
def admin_log():
    """The admin log of a community (its admin, the street admin) or a street (street admin)."""
    q = query(AdminLogQuery)
    community, street = q.community, q.street
    if community is None and street is None:
        # Default: the viewer's street (street admin), else their first community.
        streets = sorted(policy.org_ids_for(me(), "street_admin"))
        communities = sorted(policy.community_ids_for(me(), "community_admin"))
        street = streets[0] if streets else None
        community = communities[0] if communities and street is None else None
    rows = adminlog.entries(db.session, me(), street_id=street, community_id=community,
                            kind=q.kind, person_id=q.person)
    return reply({"items": adminlog.as_dicts(db.session, rows)})


@bp.get("/backlog")
@token_required
def backlog_figures():
    """待办概览: what waits in each community the viewer administers (issue 23 §8)."""
    return reply({"items": backlog.rows(db.session, me())})
