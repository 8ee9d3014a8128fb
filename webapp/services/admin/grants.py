"""Granting a staff role: the one write that a direct appointment and an accepted invitation
share (services/admin/staff.py and invites.py both call it; it calls neither)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...models import Org, RoleGrant, User
from ..errors import Conflict
from ..notify.notify import notify
from . import adminlog

ROLE_LABELS = {"community_admin": _l("社区管理员"), "grid_worker": _l("网格员"),
               "street_admin": _l("街道管理员")}
ROLE_ORG_KIND = {"community_admin": "community", "grid_worker": "grid", "street_admin": "street"}


def title(grant_or_role: str, org: Org) -> str:
    """The org's name and the role (e.g. 第一网格网格员), for logs and messages."""
    return f"{org.name}{ROLE_LABELS[grant_or_role]}"


def role_note(role: str, org: Org):
    """The role as a notification's note: lazy, so each reader sees it in their language."""
    return _l("%(org)s%(role)s", org=org.name, role=ROLE_LABELS[role])


def refuse_twice(session, user: User, role: str, org: Org) -> None:
    """Refuse to appoint someone to a role they already hold."""
    grant = session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == user.id, RoleGrant.role == role, RoleGrant.org_id == org.id))
    if grant is not None and grant.active:
        raise Conflict(_l("%(name)s 已经是%(title)s了。", name=user.name,
                          title=title(role, org)), code="already_appointed")


def grant_role(session, actor: User, user: User, role: str, org: Org, now,
               new_account: bool = False) -> RoleGrant:
    """Write the staff role (appointed directly, or an accepted invitation), its notice and
    its admin-log lines in every scope of the person; the caller commits."""
    refuse_twice(session, user, role, org)
    grant = session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == user.id, RoleGrant.role == role, RoleGrant.org_id == org.id))
    if grant is None:
        grant = RoleGrant(user_id=user.id, role=role, org_id=org.id)
        session.add(grant)
    grant.active, grant.created_at, grant.granted_by_id = True, now, actor.id
    session.flush()
    session.refresh(user, ["roles"])
    notify(session, [user.id], "role_granted", note=role_note(role, org), now=now, url="/")
    adminlog.record_on_person(session, actor, "appoint", org, user, now=now,
                              summary=f"{user.name} → {title(role, org)}",
                              details={"role": role, "grant_id": grant.id,
                                       "new_account": new_account})
    return grant
