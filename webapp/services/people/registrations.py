"""报到: approving or rejecting members' and units' reports to a community."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ...db import begin_write
from ...models import Registration, RoleGrant, Unit, User, utcnow
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound


def pending(session, viewer: User, status: str = "pending") -> list[Registration]:
    """Registrations of the viewer's communities with the given status, oldest first."""
    ids = policy.community_ids_for(viewer, "community_admin")
    if not ids:
        return []
    q = (select(Registration).where(Registration.community_id.in_(ids))
         .order_by(Registration.id))
    if status:
        q = q.where(Registration.status == status)
    return list(session.scalars(q))


def _load(session, viewer: User, reg_id) -> Registration:
    reg = session.get(Registration, reg_id) if isinstance(reg_id, int) else None
    if reg is None:
        raise NotFound(code="registration_not_found")
    if not policy.has_role(viewer, "community_admin", {reg.community_id}):
        raise Forbidden(_l("只有所在社区的管理员可以审批报到。"))
    return reg


def _decide(session, reg: Registration, viewer: User, status: str, reason: str | None):
    res = session.execute(
        update(Registration)
        .where(Registration.id == reg.id, Registration.status == "pending")
        .values(status=status, reason=reason, decided_by_id=viewer.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if res.rowcount != 1:
        session.rollback()
        raise Conflict(_l("这条报到已经处理过了。"), code="already_decided")
    session.refresh(reg)


def grant_member(session, user: User, community_id: int) -> None:
    """An approved 个人报到: the member role in the community and a volunteer number (in the
    caller's transaction; the import of a verified list uses it too)."""
    session.add(RoleGrant(user_id=user.id, role="member", org_id=community_id))
    if not user.volunteer_no:
        # Public identifier of a volunteer: never the ID-card number (DOMAIN).
        user.volunteer_no = f"V{community_id:04d}{user.id:06d}"


def _is_member(user: User, community_id: int) -> bool:
    return policy.has_role(user, "member", {community_id})


def change_unit(user: User, unit_id: int | None) -> None:
    """The member now works for `unit_id`: counted for it only once its admin confirms them
    (issue 10 §12); hours already in the ledger keep the unit they were credited to."""
    if unit_id is not None and unit_id != user.unit_id:
        user.unit_id, user.unit_confirmed_at, user.unit_confirmed_by_id = unit_id, None, None


def approve(session, viewer: User, reg_id) -> Registration:
    """Approve a report: a member gets the member role (a member re-reporting with a new
    employer gets the new unit instead); a unit becomes approved with its admin."""
    begin_write(session)
    reg = _load(session, viewer, reg_id)
    _decide(session, reg, viewer, "approved", None)
    if reg.kind == "personal" and _is_member(reg.user, reg.community_id):
        change_unit(reg.user, reg.unit_id)
    elif reg.kind == "personal":
        grant_member(session, reg.user, reg.community_id)
    else:
        session.execute(update(Unit).where(Unit.id == reg.unit_id).values(status="approved"))
        session.add(RoleGrant(user_id=reg.user_id, role="unit_admin", org_id=reg.community_id,
                              unit_id=reg.unit_id))
        # The unit's own admin belongs to it: the unit's approval is its consent.
        if reg.user.unit_id == reg.unit_id:
            reg.user.unit_confirmed_at, reg.user.unit_confirmed_by_id = utcnow(), viewer.id
    session.commit()
    return reg


def reject(session, viewer: User, reg_id, reason: str) -> Registration:
    """Reject a report with a reason the applicant will see."""
    begin_write(session)
    reg = _load(session, viewer, reg_id)
    _decide(session, reg, viewer, "rejected", reason)
    if reg.kind == "unit":
        session.execute(update(Unit).where(Unit.id == reg.unit_id).values(status="rejected"))
    session.commit()
    return reg


def unit_choices(session, user: User) -> list[Unit]:
    """Approved units of the communities the member reported to, but their current one."""
    ids = policy.community_ids_for(user, "member")
    if not ids:
        return []
    q = select(Unit).where(Unit.community_id.in_(ids), Unit.status == "approved")
    if user.unit_id is not None:
        q = q.where(Unit.id != user.unit_id)
    return list(session.scalars(q.order_by(Unit.community_id, Unit.name, Unit.id)))


def re_report(session, user: User, unit_id, now=None) -> Registration:
    """A member who changed employer reports again with the new unit (个人报到, pending): on
    approval the unit link moves, and the new unit's admin confirms them."""
    begin_write(session)
    unit = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if not policy.community_ids_for(user, "member"):
        raise Forbidden(_l("只有已报到的党员可以更换工作单位。"))
    if unit is None or unit.status != "approved" or not _is_member(user, unit.community_id):
        raise Invalid({"unit_id": _l("请选择本社区已报到的单位。")})
    if unit.id == user.unit_id:
        raise Conflict(_l("您已经是这个单位的成员了。"), code="same_unit")
    waiting = session.scalar(select(Registration.id).where(
        Registration.user_id == user.id, Registration.status == "pending"))
    if waiting is not None:
        raise Conflict(_l("您还有一条报到在等待社区审核，请审核后再提交。"), code="registration_pending")
    reg = Registration(kind="personal", user_id=user.id, community_id=unit.community_id,
                       unit_id=unit.id, created_at=now or utcnow())
    session.add(reg)
    session.commit()
    return reg


def latest_for(session, user: User) -> Registration | None:
    """The user's most recent registration, to show its status."""
    return session.scalar(select(Registration).where(Registration.user_id == user.id)
                          .order_by(Registration.id.desc()).limit(1))


def count_pending(session, community_ids) -> int:
    """How many registrations wait in these communities."""
    if not community_ids:
        return 0
    return session.scalar(select(func.count(Registration.id)).where(
        Registration.community_id.in_(community_ids), Registration.status == "pending")) or 0
