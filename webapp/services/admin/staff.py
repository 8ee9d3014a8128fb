"""Staff: appoint and remove community admins and grid workers; the staff list of a community."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ...db import begin_write
from ...models import Org, RoleGrant, User, utcnow
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..notify.notify import notify
from ..people.passwords import hash_password
from ..people.sessions import end_sessions
from ..where import in_any
from . import adminlog, invites
from .grants import ROLE_LABELS, ROLE_ORG_KIND, grant_role, refuse_twice, role_note, title
from .setup import one_time_password, otp_expiry



@dataclass
class Appointed:
    user: User
    grant: RoleGrant | None
    temporary_password: str | None  # only when the account was created: shown once
    invitation: object = None  # an existing account the actor does not cover: asked, not changed


def appoint(session, actor: User, data, now=None) -> Appointed:
    """Give a phone the role in `org_id`; a new phone gets an account with a one-time password.
    An existing account the actor does not cover gets an invitation instead (`invitation`)."""
    begin_write(session)
    now = now or utcnow()
    org = session.get(Org, data.org_id)
    if org is None or org.kind != ROLE_ORG_KIND[data.role]:
        raise Invalid({"org_id": _l("社区管理员请选择社区，网格员请选择网格，街道管理员请选择街道。")})
    if not policy.can_appoint(actor, data.role, org):
        raise Forbidden(_l("只能任命自己管理范围内的工作人员。"))
    if not org.active:
        raise Conflict(_l("“%(name)s”已停用，不能任命。", name=org.name), code="org_retired")
    user = session.scalar(select(User).where(User.phone == data.phone))
    temp = None
    if user is None:
        if not data.name:
            raise Invalid({"name": _l("这个手机号还没有账号，请填写姓名。")})
        temp = one_time_password()
        user = User(phone=data.phone, name=data.name, password_hash=hash_password(temp),
                    must_change_password=True, password_expires_at=otp_expiry(now))
        session.add(user)
        session.flush()
    elif not user.active:
        raise Conflict(_l("这个账号已停用，请先恢复账号再任命。"), code="account_inactive")
    refuse_twice(session, user, data.role, org)
    adminlog.limit_texting_acts(session, actor, user.phone, now)
    if temp is None and user.id != actor.id and not policy.can_manage_person(actor, user):
        inv = invites.invite(session, actor, user, "appoint", org, {"role": data.role}, now)
        session.commit()
        return Appointed(user, None, None, inv)
    grant = grant_role(session, actor, user, data.role, org, now, new_account=bool(temp))
    session.commit()
    return Appointed(user, grant, temp)


def remove(session, actor: User, grant_id, now=None) -> RoleGrant:
    """End a staff role; the person's sessions and API tokens stop on their next request."""
    begin_write(session)
    now = now or utcnow()
    grant = session.get(RoleGrant, grant_id) if isinstance(grant_id, int) else None
    if grant is None or grant.role not in ROLE_LABELS or grant.org is None:
        raise NotFound(code="grant_not_found")
    if not policy.can_appoint(actor, grant.role, grant.org):
        raise Forbidden(_l("只能撤销自己管理范围内的工作人员。"))
    if not grant.active:
        raise Conflict(_l("这个职务已经撤销了。"), code="already_removed")
    if grant.user_id == actor.id:
        raise Conflict(_l("不能撤销自己的职务，请由街道或本社区的其他管理员操作。"),
                       code="own_role")
    adminlog.limit_texting_acts(session, actor, grant.user.phone, now)
    grant.active = False
    end_sessions(session, grant.user_id, tokens=True)
    notify(session, [grant.user_id], "role_removed", note=role_note(grant.role, grant.org), now=now,
           url="/")
    adminlog.record_on_person(session, actor, "remove_role", grant.org, grant.user, now=now,
                              summary=f"{grant.user.name} × {title(grant.role, grant.org)}",
                              details={"role": grant.role, "grant_id": grant.id})
    session.commit()
    return grant


def communities_for(session, viewer: User) -> list[Org]:
    """Communities whose staff, people and admin log the viewer administers."""
    cids = policy.org_ids_for(viewer, "community_admin")
    sids = policy.org_ids_for(viewer, "street_admin")
    if not cids and not sids:
        return []
    return list(session.scalars(select(Org).where(
        Org.kind == "community", in_any((Org.id, cids), (Org.street_id, sids)))
        .order_by(Org.street_id, Org.id)))


def get_community(session, viewer: User, community_id) -> Org:
    """A community the viewer administers (as its admin or its street's), else 404/403."""
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community":
        raise NotFound(code="community_not_found")
    if not policy.can_administer_community(viewer, org):
        raise Forbidden(_l("只能查看自己管理的社区。"))
    return org


def staff_list(session, viewer: User, community_id) -> tuple[Org, list[dict]]:
    """Who holds which staff role in the community (and the street's admins above it), since
    when, granted by whom."""
    community = get_community(session, viewer, community_id)
    # The places as a list of ids, and every grant read through their index: given the grids
    # as a subquery inside the OR, PostgreSQL read every grant of the district (31 ms).
    grids = list(session.scalars(select(Org.id).where(Org.kind == "grid",
                                                      Org.community_id == community.id)))
    places = [o for o in (community.id, community.street_id, *grids) if o is not None]
    grants = session.scalars(select(RoleGrant).join(User, User.id == RoleGrant.user_id).where(
        RoleGrant.active.is_(True), RoleGrant.org_id.in_(places),
        or_((RoleGrant.role == "community_admin") & (RoleGrant.org_id == community.id),
            (RoleGrant.role == "grid_worker") & RoleGrant.org_id.in_(grids),
            (RoleGrant.role == "street_admin") & (RoleGrant.org_id == community.street_id)))
        .order_by(RoleGrant.role, RoleGrant.org_id, User.name)).all()
    by_ids = {g.granted_by_id for g in grants if g.granted_by_id}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(by_ids))).all()) \
        if by_ids else {}
    rows = [{"grant_id": g.id, "user_id": g.user_id, "name": g.user.name, "phone": g.user.phone,
             "role": g.role, "role_label": str(ROLE_LABELS[g.role]), "org_id": g.org_id,
             "org_name": g.org.name, "since": g.created_at,
             "granted_by": names.get(g.granted_by_id), "active_account": g.user.active,
             "can_remove": policy.can_appoint(viewer, g.role, g.org) and g.user_id != viewer.id}
            for g in grants]
    return community, rows


def grids_of(session, community_id: int) -> list[Org]:
    """The community's grids in use (the appoint form's picker)."""
    return list(session.scalars(select(Org).where(
        Org.kind == "grid", Org.community_id == community_id, Org.active.is_(True))
        .order_by(Org.id)))
