"""Units (驻区单位) as their admins see them: members to assign, and the members' current work.

A unit sees its own members' service, never the recipients' data (DOMAIN: who sees what).
Anyone may name a unit when signing up; the member counts for it (assignment, credited hours,
unit report) only once its admin confirmed them (issue 10 §12).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import lazyload, selectinload

from ...db import begin_write
from ...models import LIVE_CLAIM_STATUSES, Claim, RoleGrant, Unit, User, Wish, utcnow
from ..wishes import lifecycle
from .. import paging, policy, textrank, textsearch
from ..errors import Forbidden, NotFound
from ..notify.notify import notify
from .orgs import category_label

CLAIM_LABELS = lifecycle.CLAIM_LABELS  # noqa: F401  (kept for importers)


def _approved_member_ids(community_id: int):
    """Users holding an active member role in the community (报到 approved)."""
    return select(RoleGrant.user_id).where(RoleGrant.role == "member",
                                           RoleGrant.org_id == community_id,
                                           RoleGrant.active.is_(True))


def _unit_members(unit_id: int, community_id: int):
    return (select(User).where(User.unit_id == unit_id, User.active.is_(True),
                               User.unit_confirmed_at.is_not(None),
                               User.id.in_(_approved_member_ids(community_id)))
            .order_by(User.name, User.id))


def unit_members(session, unit_id: int, community_id: int) -> list[User]:
    """The unit's members approved in the community: the ones a unit admin may assign."""
    return list(session.scalars(_unit_members(unit_id, community_id)))


def _unconfirmed(unit_id: int):
    """People who named the unit and wait for its admin, the longest waiting first."""
    return (select(User).where(User.unit_id == unit_id, User.active.is_(True),
                               User.unit_confirmed_at.is_(None))
            .order_by(User.id))


def unconfirmed_members(session, unit: Unit) -> list[User]:
    """People who named the unit at sign-up and wait for its admin to confirm them."""
    return list(session.scalars(_unconfirmed(unit.id)))


WAITING_PAGE = 20  # people waiting for confirmation shown at once (each row has two forms)


def unconfirmed_page(session, unit: Unit, page: int = 1, per_page: int = WAITING_PAGE) -> dict:
    """One page of the people waiting for the unit's confirmation, the longest waiting first,
    with the total and the page count (a page past the last shows the last)."""
    q = _unconfirmed(unit.id)
    total = session.scalar(select(func.count()).select_from(q.order_by(None).subquery()))
    page, pages = paging.clamp(total, page, per_page)
    rows = list(session.scalars(q.limit(per_page).offset((page - 1) * per_page)))
    return {"rows": rows, "total": total, "page": page, "pages": pages}


def admin_ids(session, unit_id: int) -> list[int]:
    """The unit's active admins (单位党组织书记)."""
    return list(session.scalars(select(RoleGrant.user_id).where(
        RoleGrant.unit_id == unit_id, RoleGrant.role == "unit_admin",
        RoleGrant.active.is_(True))))


def tell_named(session, user: User, now=None) -> None:
    """Tell the admins of the unit `user` named that a member waits for their confirmation
    (issue 23 §7), in the caller's transaction; nothing when the link is already confirmed."""
    if user.unit_id is None or user.unit_confirmed_at is not None:
        return
    notify(session, admin_ids(session, user.unit_id), "unit_member_named", note=user.name,
           now=now, url="/unit")


def confirm_member(session, actor: User, user_id, accept: bool, now=None) -> User:
    """The unit admin confirms (the member counts for the unit) or declines (unit link cleared)."""
    begin_write(session)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.unit_id is None:
        raise NotFound(_l("找不到这位成员。"), code="user_not_found")
    if user.unit_id not in policy.unit_ids_admined(actor):
        raise Forbidden(_l("只有本单位的管理员可以确认单位成员。"))
    if accept:
        user.unit_confirmed_at, user.unit_confirmed_by_id = now or utcnow(), actor.id
    else:
        user.unit_id, user.unit_confirmed_at, user.unit_confirmed_by_id = None, None, None
    session.commit()
    return user


PICK = 20  # members a staff picker shows at once; the search finds the others


def member_choices(session, community_id: int, text: str | None = None, keep=None,
                   active_only: bool = True) -> dict:
    """The community's approved members a staff picker offers (派单, 证明): those whose name,
    volunteer number or skills contain `text`, the closest names first, at most PICK of them,
    `keep` (the one already chosen) always among them; and how many match in all."""
    text = textsearch.clean(text)
    q = select(User).where(User.id.in_(_approved_member_ids(community_id)))
    if active_only:
        q = q.where(User.active.is_(True))
    if text:
        q = q.where(or_(*(textsearch.contains(session, c, text)
                          for c in (User.name, User.volunteer_no, User.skills))))
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    order = (textrank.rank(User.name, text),) if text else ()
    # the picker shows each member's unit: loaded with them, not one query per row in the template;
    # not their roles (a User loads them with it), which it does not show
    members = list(session.scalars(q.order_by(*order, User.name, User.id).limit(PICK)
                                   .options(selectinload(User.unit), lazyload(User.roles))))
    if isinstance(keep, int) and all(m.id != keep for m in members):
        kept = session.scalar(select(User).where(
            User.id == keep, User.id.in_(_approved_member_ids(community_id))))
        members = [kept] + members if kept is not None else members
    return {"members": members, "total": total, "q": text}


def admined_unit(session, user: User, community_id: int | None = None) -> Unit:
    """The approved unit the user administers (in that community, if given), or Forbidden."""
    ids = policy.unit_ids_admined(user)
    q = select(Unit).where(Unit.id.in_(ids), Unit.status == "approved")
    if community_id is not None:
        q = q.where(Unit.community_id == community_id)
    unit = session.scalar(q.order_by(Unit.id).limit(1)) if ids else None
    if unit is None:
        raise Forbidden(_l("只有已报到单位的管理员可以进行单位认领。"))
    return unit


UNIT_PAGE = 30  # members of the unit page at once (a unit has a hundred at district size)


def overview(session, unit: Unit, page: int = 1, per_page: int = UNIT_PAGE) -> dict:
    """One page of the unit's members (by name) with their current claims: wish title, category
    and states only; the total and the page count (a page past the last shows the last)."""
    q = _unit_members(unit.id, unit.community_id)
    total = session.scalar(select(func.count()).select_from(q.order_by(None).subquery()))
    page, pages = paging.clamp(total, page, per_page)
    members = list(session.scalars(q.limit(per_page).offset((page - 1) * per_page)))
    ids = [m.id for m in members]
    rows = session.execute(
        select(Claim, Wish).join(Wish, Wish.id == Claim.wish_id)
        .where(Claim.volunteer_id.in_(ids), Claim.status.in_(LIVE_CLAIM_STATUSES))
        .order_by(Claim.created_at.desc(), Claim.id.desc())).all() if ids else []
    by_member: dict[int, list[dict]] = {i: [] for i in ids}
    for c, w in rows:
        by_member[c.volunteer_id].append({
            "claim_id": c.id, "wish_id": w.id, "title": w.title, "category": category_label(w.category),
            "claim_status": c.status, "claim_label": str(CLAIM_LABELS[c.status]),
            "wish_label": str(lifecycle.STATUS_LABELS[w.status]),
            "via_unit": c.unit_id == unit.id and c.via == "unit",
        })
    rows = [{"id": m.id, "name": m.name, "volunteer_no": m.volunteer_no,
             "skills": m.skills, "claims": by_member[m.id]} for m in members]
    return {"rows": rows, "total": total, "page": page, "pages": pages}
