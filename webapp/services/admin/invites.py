"""Invitations: what an admin asks of an existing account they do not cover (DESIGN §2).

Appointing, importing, re-homing or verifying someone whose places are not all inside the
actor's scope changes nothing and issues no credential: it writes an Invitation, tells the
person, and logs it in every scope the person belongs to. The person, signed in, accepts (the
change is applied then, through the same code as a direct act) or declines.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...db import begin_write
from ...models import Invitation, Org, Registration, User, utcnow
from .. import policy
from ..kernel import Machine
from ..errors import Conflict, NotFound
from ..notify.notify import notify
from ..people import registrations
from . import adminlog, grants

KIND_LABELS = {"appoint": _l("任命"), "resident": _l("登记为本社区居民"),
               "member": _l("在职党员报到"), "move": _l("变更住址")}
ROLE_LABELS = {"community_admin": _l("社区管理员"), "grid_worker": _l("网格员"),
               "street_admin": _l("街道管理员")}


# An invitation's states (services/kernel.py); the admin log is its timeline.
_DECIDED = (_l("这条邀请已经处理过了。"), "invitation_decided")
INVITATION = Machine(Invitation, {"accept": (frozenset({"pending"}), "accepted"),
                                  "decline": (frozenset({"pending"}), "declined"),
                                  "withdraw": (frozenset({"pending"}), "withdrawn")},
                     action_refusals={a: _DECIDED for a in ("accept", "decline", "withdraw")})


def invite(session, actor: User, person: User, kind: str, org: Org, params: dict | None = None,
           now=None, again_ok: bool = False) -> Invitation:
    """Ask `person` (not covered by `actor`) to accept a change; in the caller's transaction.
    The same invitation twice is refused, or (`again_ok`, a re-import) the first one stands."""
    now = now or utcnow()
    dup = session.scalar(select(Invitation).where(
        Invitation.user_id == person.id, Invitation.kind == kind, Invitation.org_id == org.id,
        Invitation.status == "pending"))
    if dup is not None and again_ok:
        return dup
    if dup is not None:
        raise Conflict(_l("已经向 %(name)s 发出过同样的邀请，正在等待对方确认。", name=person.name),
                       code="already_invited")
    inv = Invitation(user_id=person.id, kind=kind, org_id=org.id, params=dict(params or {}),
                     invited_by_id=actor.id if actor else None, created_at=now)
    session.add(inv)
    session.flush()
    notify(session, [person.id], "invitation", note=f"{org.name}{_what(inv)}", now=now,
           url="/invitations")
    adminlog.record_on_person(session, actor, "invite", org, person, now=now,
                              summary=f"{person.name} ← {org.name}{_what(inv)}",
                              details={"invitation_id": inv.id, "kind": kind, **inv.params})
    return inv


def _what(inv: Invitation) -> str:
    if inv.kind == "appoint":
        return str(ROLE_LABELS.get(inv.params.get("role"), ""))
    return str(KIND_LABELS[inv.kind])


def pending(session, user: User) -> list[dict]:
    """The user's open invitations, oldest first, in plain words for the page and the API."""
    rows = session.scalars(select(Invitation).where(
        Invitation.user_id == user.id, Invitation.status == "pending").order_by(Invitation.id))
    names = {}
    out = []
    for inv in rows:
        if inv.invited_by_id not in names:
            by = session.get(User, inv.invited_by_id) if inv.invited_by_id else None
            names[inv.invited_by_id] = by.name if by else ""
        out.append({"id": inv.id, "kind": inv.kind, "kind_label": str(KIND_LABELS[inv.kind]),
                    "what": _what(inv), "org": _place(session, inv.org), "org_id": inv.org_id,
                    "by": names[inv.invited_by_id], "at": inv.created_at})
    return out


def _place(session, org: Org) -> str:
    """Where, as a person reads it: "城东社区 · 东一网格" (the community named for a grid or a
    building, so nobody accepts a role without knowing whose it is)."""
    if org.kind in ("grid", "building") and org.community_id:
        community = session.get(Org, org.community_id)
        return f"{community.name} · {org.name}" if community else org.name
    return org.name


def count_pending(session, user_id: int) -> int:
    """How many invitations wait for the user (the banner after sign-in)."""
    return len(session.scalars(select(Invitation.id).where(
        Invitation.user_id == user_id, Invitation.status == "pending")).all())


def _own(session, user: User, invitation_id) -> Invitation:
    inv = session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    if inv is None or inv.user_id != user.id:
        raise NotFound(_l("找不到这条邀请。"), code="invitation_not_found")
    INVITATION.check("accept", inv.status)
    return inv


def accept(session, user: User, invitation_id, now=None) -> Invitation:
    """The person agrees: the change is made now, as the inviter would have made it."""
    begin_write(session)
    now = now or utcnow()
    inv = _own(session, user, invitation_id)
    inviter = session.get(User, inv.invited_by_id) if inv.invited_by_id else None
    org = inv.org
    if not org.active or inviter is None or not inviter.active or not _still_allowed(inviter, inv):
        INVITATION.move(session, inv, "withdraw", None, None, now, decided_at=now)
        session.commit()
        raise Conflict(_l("邀请已失效（邀请人已不再负责这里，或该组织已停用）。"),
                       code="invitation_stale")
    APPLY[inv.kind](session, inviter, user, org, inv.params, now)
    INVITATION.move(session, inv, "accept", user.id, None, now, decided_at=now)
    adminlog.record_on_person(session, user, "invite_accept", org, user, now=now,
                              summary=f"{user.name} ✓ {org.name}{_what(inv)}",
                              details={"invitation_id": inv.id, "kind": inv.kind})
    notify(session, [inviter.id], "invitation_accepted", note=f"{user.name}：{org.name}{_what(inv)}",
           now=now, url="/")
    session.commit()
    return inv


def decline(session, user: User, invitation_id, now=None) -> Invitation:
    """The person says no: nothing changes; the inviter is told and the scopes log it."""
    begin_write(session)
    now = now or utcnow()
    inv = _own(session, user, invitation_id)
    INVITATION.move(session, inv, "decline", user.id, None, now, decided_at=now)
    adminlog.record_on_person(session, user, "invite_decline", inv.org, user, now=now,
                              summary=f"{user.name} × {inv.org.name}{_what(inv)}",
                              details={"invitation_id": inv.id, "kind": inv.kind})
    if inv.invited_by_id:
        notify(session, [inv.invited_by_id], "invitation_declined",
               note=f"{user.name}：{inv.org.name}{_what(inv)}", now=now, url="/")
    session.commit()
    return inv


def _still_allowed(inviter: User, inv: Invitation) -> bool:
    org = inv.org
    if inv.kind == "appoint":
        return policy.can_appoint(inviter, inv.params.get("role", ""), org)
    if inv.kind in ("resident", "move"):
        return policy.may_move_to(inviter, org)
    return policy.can_edit_in_community(inviter, org.id, org.street_id)


def _appoint(session, inviter, user, org, params, now) -> None:
    grants.grant_role(session, inviter, user, params["role"], org, now)


def _rehome(session, inviter, user, org, params, now) -> None:
    from .accounts_admin import rehome
    rehome(session, user, org, params.get("address"), now)


def _member(session, inviter, user, org, params, now) -> None:
    unit_id, skills, verified = params.get("unit_id"), params.get("skills"), params.get("verified")
    if user.unit_id is None and unit_id:
        user.unit_id = unit_id
    if skills and not user.skills:
        user.skills = skills
    decided = {"decided_by_id": inviter.id, "decided_at": now} if verified else {}
    session.add(Registration(kind="personal", user_id=user.id, community_id=org.id,
                             unit_id=unit_id, status="approved" if verified else "pending",
                             **decided))
    if verified:
        registrations.grant_member(session, user, org.id)
    session.flush()


APPLY = {"appoint": _appoint, "resident": _rehome, "move": _rehome, "member": _member}
