"""Accounts looked after: own password change, staff resets, deactivation, moving house."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...db import begin_write
from ...models import Claim, Org, RoleGrant, User, utcnow
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..notify.notify import notify
from ..people import password_rules, signin_codes
from ..people.passwords import hash_password, verify_password
from ..people.sessions import end_sessions
from ..wishes import claims
from ..lists import bookings
from ..pairing import pairings
from . import adminlog
from .setup import one_time_password, otp_expiry


home_org = policy.home_org  # kept for callers: where an act on a person is logged first


def change_password(session, user: User, current: str, new: str, now=None) -> int:
    """Set one's own password (the current one required); every other session and API token
    ends. Returns the new session generation (the web re-signs the current session in)."""
    begin_write(session)
    if not verify_password(user.password_hash, current):
        raise Invalid({"current_password": _l("当前密码不对，请重新输入。")})
    if current == new:
        raise Invalid({"new_password": _l("新密码不能和当前密码相同。")})
    password_rules.require(new, user.phone, "new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    gen = end_sessions(session, user.id, tokens=True)
    adminlog.record(session, user, "password_change", home_org(user), target=user, now=now,
                    summary=user.name)
    session.commit()
    return gen


def get_managed(session, actor: User, user_id) -> User:
    """A person the actor may look after (404 if missing, 403 if outside their scope)."""
    person = session.get(User, user_id) if isinstance(user_id, int) else None
    if person is None:
        raise NotFound(code="user_not_found")
    if not policy.can_manage_person(actor, person):
        raise Forbidden(_l("只能管理自己网格（社区）内的居民和工作人员。"))
    return person


def reset_password(session, actor: User, user_id, now=None) -> str | None:
    """A one-time password for a person in scope, shown once to the staff member; the person
    must choose a new one at the next sign-in and is told by a notification."""
    begin_write(session)
    person = get_managed(session, actor, user_id)
    if not person.active:
        raise Conflict(_l("这个账号已停用，请先恢复账号。"), code="account_inactive")
    if not person.phone:
        raise Conflict(_l("这位居民没有登记手机号，无法登录，不需要密码。"), code="no_phone")
    adminlog.limit_texting_acts(session, actor, person.phone, now)
    if person.phone_verified_at is not None:
        # A proven phone: the person gets a sign-in code, staff get no credential (None).
        adminlog.record_on_person(session, actor, "password_reset", home_org(person), person,
                                  now=now, summary=person.name)
        signin_codes.staff_reset(session, person, now)  # commits with the log row
        return None
    temp = one_time_password()
    person.password_hash = hash_password(temp)
    person.must_change_password = True
    person.password_expires_at = otp_expiry(now)
    end_sessions(session, person.id, tokens=True)
    notify(session, [person.id], "password_reset", now=now, url="/")
    adminlog.record_on_person(session, actor, "password_reset", home_org(person), person,
                              now=now, summary=person.name)
    session.commit()
    return temp


def deactivate(session, actor: User, user_id, reason: str = "", now=None) -> User:
    """Stop an account from signing in (left the area, deceased, abuse); its open claims are
    released with a notice to each resident; its records stay."""
    begin_write(session)
    now = now or utcnow()
    person = get_managed(session, actor, user_id)
    if not person.active:
        raise Conflict(_l("这个账号已经停用了。"), code="already_inactive")
    open_claims = session.scalars(select(Claim).where(
        Claim.volunteer_id == person.id, Claim.status.in_(("active", "offered")))).all()
    for c in open_claims:
        claims.release_in_transaction(session, actor, c, now)
    person.active = False
    ended = end_unfit(session, actor, person, now, str(_l("账号已停用")))
    end_sessions(session, person.id, tokens=True)
    adminlog.record_on_person(session, actor, "deactivate", home_org(person), person, now=now,
                              summary=f"{person.name} {reason}".strip()[:300],
                              details={"reason": reason[:200], "claims_released": len(open_claims),
                                       **ended})
    session.commit()
    return person


def reactivate(session, actor: User, user_id, now=None) -> User:
    """Let a deactivated account sign in again (with its old password)."""
    begin_write(session)
    person = get_managed(session, actor, user_id)
    if person.active:
        raise Conflict(_l("这个账号没有停用。"), code="already_active")
    person.active = True
    adminlog.record_on_person(session, actor, "reactivate", home_org(person), person, now=now,
                              summary=person.name)
    session.commit()
    return person


def move_house(session, actor: User, user_id, building_id: int, address: str | None = None,
               now=None) -> User:
    """搬家: move a resident the actor covers to another building the actor also serves; the
    resident role moves with them, their past wishes keep the building they were posted from,
    pairings and bookings of the old community end."""
    begin_write(session)
    now = now or utcnow()
    person = get_managed(session, actor, user_id)
    building = session.get(Org, building_id) if isinstance(building_id, int) else None
    if building is None or building.kind != "building" or not building.active:
        raise Invalid({"building_id": _l("请选择新的楼栋。")})
    if not policy.may_move_to(actor, building):
        raise Invalid({"building_id": _l("只能迁入您负责的网格（社区）内的楼栋。")})
    old = person.building
    if old is not None and old.id == building.id and (address or None) == person.address:
        raise Conflict(_l("住址没有变化。"), code="no_change")
    rehome(session, person, building, address, now, actor=actor)
    session.commit()
    return person


def rehome(session, person: User, building: Org, address: str | None, now,
           actor: User | None = None) -> dict:
    """Give the person a new home (a move by staff who cover them, an import, or an accepted
    invitation): the resident role follows; pairings and bookings that no longer fit end, with
    their events; the move is logged in the old and the new scopes. The caller commits."""
    old = person.building
    logged_before = adminlog.record_on_person(
        session, actor or person, "move_house", building, person, now=now,
        summary=f"{person.name}: {old.name if old else '-'} → {building.name}",
        details={"from": old.id if old else None, "to": building.id})
    grant = session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == person.id, RoleGrant.role == "resident",
        RoleGrant.org_id == old.id if old is not None else RoleGrant.role == "resident"))
    if grant is None:
        session.add(RoleGrant(user_id=person.id, role="resident", org_id=building.id))
    else:
        grant.org_id, grant.active = building.id, True
    person.building_id = building.id
    person.address = address or None
    pairings.move_care_tags(session, person.id, building.community_id)
    session.flush()
    session.refresh(person, ["building", "roles"])
    ended = end_unfit(session, actor or person, person, now, str(_l("已搬离原社区")))
    for row in logged_before:
        row.details = {**row.details, **ended}
    notify(session, [person.id], "moved_house", note=building.name, now=now, url="/me")
    return ended


def end_unfit(session, actor: User | None, person: User, now, reason: str) -> dict:
    """End what the person no longer qualifies for after a move, a deactivation or a role
    removal: pairings and bookings, each with its event (claims are released by the caller)."""
    actor_id = actor.id if actor else None
    return {"pairings_ended": pairings.end_unfit(session, actor_id, person, now, reason),
            "bookings_cancelled": bookings.cancel_unfit(session, actor_id, person, now, reason)}


def person(session, viewer: User, user_id) -> dict:
    """The person page: who they are and what the viewer may do for them."""
    p = get_managed(session, viewer, user_id)
    b = p.building
    return {"id": p.id, "name": p.name, "phone": p.phone, "active": p.active,
            "building": b.name if b else "", "building_id": b.id if b else None,
            "address": p.address or "", "roles": sorted(p.role_names()),
            "must_change_password": p.must_change_password,
            "phone_unproven": bool(p.phone) and p.phone_verified_at is None,
            "activated": p.activated_at is not None,
            # 两步验证 on or being set up (a reset turns it off), and staff's view of the data
            # of a person without a phone (issue 26 §5-6).
            "mfa": p.totp_secret is not None and policy.can_reset_mfa(viewer, p),
            "data_for": policy.can_act_on_data_of(viewer, p)}
