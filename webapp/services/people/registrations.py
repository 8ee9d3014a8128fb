"""报到: approving or rejecting members' and units' reports to a community."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from ...db import begin_write
from datetime import datetime, timedelta

from ...models import LIVE_CLAIM_STATUSES, Claim, Registration, RoleGrant, Unit, User, utcnow
from .. import policy
from ..admin import adminlog
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..notify.notify import notify, tell_community
from . import units
from .orgs import setting
from .sessions import end_sessions


def pending(session, viewer: User, status: str = "pending",
            text: str | None = None, community: int | None = None) -> list[Registration]:
    """Registrations of the viewer's communities (or of `community`, one of them) with the
    given status, oldest first; `text` searches the applicant's name and phone and the unit's."""
    ids = policy.community_ids_for(viewer, "community_admin")
    if community is not None:
        ids = ids & {community}
    if not ids:
        return []
    q = (select(Registration).where(Registration.community_id.in_(ids))
         .order_by(Registration.id))
    if status:
        q = q.where(Registration.status == status)
    if text and text.strip():
        from .. import textsearch  # the search indexes
        # Each listed application's applicant is tested by primary key (a community has tens):
        # collecting the district's users who match (居民: all of them) read every user.
        q = q.where(or_(
            select(User.id).where(User.id == Registration.user_id, textsearch.matches(
                session, User, ("name", "phone"), text, walk=True)).scalar_subquery().is_not(None),
            Registration.unit_id.in_(select(Unit.id).where(
                textsearch.matches(session, Unit, ("name",), text)))))
    return list(session.scalars(q))


def _load(session, viewer: User, reg_id) -> Registration:
    reg = session.get(Registration, reg_id) if isinstance(reg_id, int) else None
    if reg is None:
        raise NotFound(code="registration_not_found")
    if not policy.can_decide_registrations(viewer, reg.community_id):
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


def _grant(session, user_id: int, role: str, org_id: int, unit_id: int | None = None) -> None:
    # An approval undone and given again reuses its grant (one row per role and scope).
    old = session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == user_id, RoleGrant.role == role, RoleGrant.org_id == org_id,
        RoleGrant.unit_id.is_(None) if unit_id is None else RoleGrant.unit_id == unit_id))
    if old is None:
        session.add(RoleGrant(user_id=user_id, role=role, org_id=org_id, unit_id=unit_id))
    else:
        old.active = True


def grant_member(session, user: User, community_id: int) -> None:
    """An approved 个人报到: the member role in the community and a volunteer number (in the
    caller's transaction; the import of a verified list uses it too)."""
    _grant(session, user.id, "member", community_id)
    if not user.volunteer_no:
        # Public identifier of a volunteer: never the ID-card number (DOMAIN).
        user.volunteer_no = f"V{community_id:04d}{user.id:06d}"


def _is_member(user: User, community_id: int) -> bool:
    return policy.is_volunteer_in(user, community_id)


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
        moved = reg.unit_id is not None and reg.unit_id != reg.user.unit_id
        change_unit(reg.user, reg.unit_id)
        if moved:  # the new unit's admin now has a member to confirm
            units.tell_named(session, reg.user)
    elif reg.kind == "personal":
        grant_member(session, reg.user, reg.community_id)
    else:
        session.execute(update(Unit).where(Unit.id == reg.unit_id).values(status="approved"))
        _grant(session, reg.user_id, "unit_admin", reg.community_id, reg.unit_id)
        # The unit's own admin belongs to it: the unit's approval is its consent.
        if reg.user.unit_id == reg.unit_id:
            reg.user.unit_confirmed_at, reg.user.unit_confirmed_by_id = utcnow(), viewer.id
    notify(session, [reg.user_id], "registration_approved", note=reg.community.name, url="/me")
    session.commit()
    return reg


def reject(session, viewer: User, reg_id, reason: str) -> Registration:
    """Reject a report with a reason the applicant will see."""
    begin_write(session)
    reg = _load(session, viewer, reg_id)
    _decide(session, reg, viewer, "rejected", reason)
    if reg.kind == "unit":
        session.execute(update(Unit).where(Unit.id == reg.unit_id).values(status="rejected"))
    notify(session, [reg.user_id], "registration_rejected", note=reason, url="/me")
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
    tell_community(session, reg.community_id, "registration_submitted", note=user.name,
                   url="/admin/registrations", now=now)
    session.commit()
    return reg


def undo_deadline(reg: Registration) -> datetime | None:
    """Until when an approval can be undone (the community's `amend_window_hours`)."""
    if reg.status != "approved" or reg.decided_at is None:
        return None
    return reg.decided_at + timedelta(hours=float(setting(reg.community, "amend_window_hours")))


def recently_approved(session, viewer: User, now=None) -> list[Registration]:
    """Approvals in the viewer's communities that can still be undone, newest first."""
    ids = policy.community_ids_for(viewer, "community_admin")
    if not ids:
        return []
    now = now or utcnow()
    rows = session.scalars(select(Registration).where(
        Registration.community_id.in_(ids), Registration.status == "approved",
        Registration.decided_at >= now - timedelta(hours=24 * 7))
        .order_by(Registration.decided_at.desc()))
    return [r for r in rows if undo_deadline(r) > now]


def undo_approval(session, viewer: User, reg_id, reason: str, now=None) -> Registration:
    """Undo an approval made by mistake, within the window: the member (or unit admin) role
    ends with its sessions, the report is pending again, the act is in the admin log."""
    begin_write(session)
    now = now or utcnow()
    reg = _load(session, viewer, reg_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid({"reason": _l("请写明撤销的原因，申请人会看到。")})
    if reg.status != "approved":
        raise Conflict(_l("只能撤销已通过的报到。"), code="not_approved")
    deadline = undo_deadline(reg)
    if deadline is None or now > deadline:
        raise Conflict(_l("通过已超过 %(h)s 小时，不能再撤销。如需取消其身份，请在人员页面撤销职务。",
                          h=setting(reg.community, "amend_window_hours")), code="window_over")
    role = "member" if reg.kind == "personal" else "unit_admin"
    live = select(Claim.id).where(Claim.status.in_(LIVE_CLAIM_STATUSES))
    live = (live.where(Claim.volunteer_id == reg.user_id) if reg.kind == "personal"
            else live.where(Claim.unit_id == reg.unit_id))
    if session.scalar(live.limit(1)) is not None:
        raise Conflict(_l("已经有进行中的认领，不能撤销。请先处理这些认领。"), code="has_claims")
    q = update(RoleGrant).where(RoleGrant.user_id == reg.user_id, RoleGrant.role == role,
                                RoleGrant.org_id == reg.community_id, RoleGrant.active.is_(True))
    if reg.kind == "unit":
        q = q.where(RoleGrant.unit_id == reg.unit_id)
        session.execute(update(Unit).where(Unit.id == reg.unit_id).values(status="pending"))
    session.execute(q.values(active=False).execution_options(synchronize_session=False))
    res = session.execute(update(Registration).where(
        Registration.id == reg.id, Registration.status == "approved")
        .values(status="pending", decided_by_id=None, decided_at=None, reason=None)
        .execution_options(synchronize_session=False))
    if res.rowcount != 1:
        session.rollback()
        raise Conflict(_l("这条报到已经处理过了。"), code="already_decided")
    end_sessions(session, reg.user_id)  # the role ends now, not at the next login
    session.refresh(reg.user, ["roles"])
    from ..pairing.pairings import end_unfit  # a member no longer reported here: pairings end
    ended = end_unfit(session, viewer.id, reg.user, now, reason)
    adminlog.record_on_person(session, viewer, "undo_registration", reg.community, reg.user,
                              summary=f"{reg.user.name}: {reason}"[:300], now=now,
                              details={"registration_id": reg.id, "kind": reg.kind,
                                       "reason": reason, "pairings_ended": ended})
    notify(session, [reg.user_id], "registration_undone", note=reason, now=now, url="/me")
    session.commit()
    session.refresh(reg)
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
