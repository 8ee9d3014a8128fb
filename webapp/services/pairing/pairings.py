"""结对联户: the community admin pairs members with households (suggested: same building, then
same grid; households needing care first; skills against needs). Care tags stay with grid staff;
a member sees the contact of their own households only, each time logged as a Disclosure.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased, joinedload, lazyload, load_only

from ...db import begin_write
from ...models import (CARE_TAGS, CareTag, Disclosure, Org, Pairing, PairingEvent, RoleGrant,
                       User, utcnow)
from .. import paging, policy
from ..kernel import Machine
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..notify.notify import notify
from ..people.orgs import setting

PAIRINGS_PER_PAGE = 50  # 现有结对 on 结对安排, one page at a time
CARE_LABELS = {"lonely_elder": _l("独居老人"), "disabled": _l("残疾"), "hardship": _l("困难家庭")}


def community_of(session, actor: User, community_id) -> Org:
    """The community by id, for its admin only (NotFound otherwise, Forbidden for others)."""
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community":
        raise NotFound(_l("找不到这个社区。"), code="community_not_found")
    if not policy.can_pair_in(actor, org.id):
        raise Forbidden(_l("只有本社区管理员可以安排结对联户。"))
    return org


def is_household(community_id: int | None = None) -> tuple:
    """Conditions on User for a household: an active resident (with an active resident grant),
    of the community when one is given (users.community_id follows the building)."""
    conds = (User.active.is_(True),
             select(RoleGrant.id).where(RoleGrant.user_id == User.id, RoleGrant.role == "resident",
                                        RoleGrant.active.is_(True)).exists())
    return conds if community_id is None else (User.community_id == community_id, *conds)


def households(session, community_id: int, ids=None) -> list[User]:
    """Residents (households) living in the community, by grid and building; only `ids` when
    given (a form's choice: a few rows, not the community's thousands)."""
    q = (select(User).join(Org, Org.id == User.building_id).where(*is_household(community_id))
         .order_by(Org.grid_id, Org.id, User.id))
    if ids is not None:
        q = q.where(User.id.in_(list(ids)))
    return list(session.scalars(q))


def _member_of(community_id: int) -> tuple:
    return (RoleGrant.role == "member", RoleGrant.active.is_(True),
            RoleGrant.org_id == community_id, User.active.is_(True))


def members_query(community_id: int):
    """The statement of `members`: the grants are read from the (org, role) index alone."""
    return (select(User.id, User.name, User.building_id, Org.grid_id, User.skills)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .outerjoin(Org, Org.id == User.building_id)
            .where(*_member_of(community_id)).order_by(User.id))


def members(session, community_id: int) -> list:
    """Approved members (双报到) of the community: rows of id, name, building_id, grid_id (their
    building's) and skills (columns only: a User would load its roles too, hundreds here)."""
    return list(session.execute(members_query(community_id)))


def loads(session, community_id: int) -> dict[int, int]:
    """Each member's active pairings in the community, by member id (absent: none)."""
    return dict(session.execute(
        select(Pairing.member_id, func.count(Pairing.id))
        .where(Pairing.community_id == community_id, Pairing.status == "active")
        .group_by(Pairing.member_id)).all())


def has_members(session, community_id: int) -> bool:
    """Whether the community has an approved member (one row read, not its hundreds)."""
    return session.scalar(select(User.id).join(RoleGrant, RoleGrant.user_id == User.id)
                          .where(*_member_of(community_id)).limit(1)) is not None


def with_names() -> tuple:
    """Loader options: a pairing's member and household (their names) in the same statement."""
    return tuple(joinedload(rel).options(load_only(User.name), lazyload(User.roles))
                 for rel in (Pairing.member, Pairing.household))


def active_pairings(session, community_id: int | None = None, member_id: int | None = None,
                    household_id: int | None = None, people: bool = False,
                    limit: int | None = None, offset: int = 0) -> list[Pairing]:
    """Active pairings, oldest first, optionally of one community, member or household;
    `people` loads their member and household with them (a list naming both: one statement,
    not two a row); `limit` and `offset` cut one page of them."""
    q = select(Pairing).where(Pairing.status == "active")
    if people:
        q = q.options(*with_names())
    if community_id is not None:
        q = q.where(Pairing.community_id == community_id)
    if member_id is not None:
        q = q.where(Pairing.member_id == member_id)
    if household_id is not None:
        q = q.where(Pairing.household_id == household_id)
    q = q.order_by(Pairing.id)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return list(session.scalars(q))


# A pairing's two people, as aliases made once: made per call, building the statement over
# fresh aliases cost more than running it.
_NAMED = (aliased(User, name="household"), aliased(User, name="member"))


def active_page(session, actor: User, community_id, page: int = 1,
                per_page: int | None = None) -> dict:
    """One page of the community's active pairings (oldest first) as rows of id, household and
    member names, with the total and the page count (a page past the last shows the last):
    counted and paged by the database (a district's community has hundreds, each with its own
    form)."""
    org = community_of(session, actor, community_id)
    per_page = per_page or PAIRINGS_PER_PAGE
    total = session.scalar(select(func.count(Pairing.id)).where(
        Pairing.community_id == org.id, Pairing.status == "active"))
    page, pages = paging.clamp(total, page, per_page)
    household, member = _NAMED
    rows = session.execute(  # the names only: the page's rows are a fragment's values
        select(Pairing.id, household.name, member.name)
        .join(household, household.id == Pairing.household_id)
        .join(member, member.id == Pairing.member_id)
        .where(Pairing.community_id == org.id, Pairing.status == "active")
        .order_by(Pairing.id).limit(per_page).offset((page - 1) * per_page)).all()
    return {"rows": [{"id": i, "household": h, "member": m} for i, h, m in rows],
            "total": total, "page": page, "pages": pages}


def move_care_tags(session, household_id: int, community_id: int) -> None:
    """A household's care tags follow it to its new community: they are read by community
    (suggestions: the community's tagged households, not a walk of its people)."""
    session.execute(update(CareTag).where(CareTag.household_id == household_id)
                    .values(community_id=community_id))


def care_drift(session) -> list[tuple]:
    """(tag id, its community, its household's) for every care tag not in its household's
    community: for tests."""
    return [tuple(r) for r in session.execute(
        select(CareTag.id, CareTag.community_id, User.community_id)
        .join(User, User.id == CareTag.household_id)
        .where(User.community_id.is_(None) | (User.community_id != CareTag.community_id)))]


def tags_of(session, household_ids) -> dict[int, list[str]]:
    """Care tags by household id (callers check the viewer may see them)."""
    out: dict[int, list[str]] = {}
    if not household_ids:
        return out
    for hid, tag in session.execute(select(CareTag.household_id, CareTag.tag).where(
            CareTag.household_id.in_(list(household_ids))).order_by(CareTag.id)):
        out.setdefault(hid, []).append(tag)
    return out


# A pairing's state machine (services/kernel.py): active → ended, or declined by the household.
_ENDED = (_l("这个结对已经结束。"), "not_active")
PAIRING = Machine(Pairing, {"end": (frozenset({"active"}), "ended"),
                            "decline": (frozenset({"active"}), "declined")},
                  action_refusals={"end": _ENDED, "decline": _ENDED},
                  event_model=PairingEvent, fk="pairing_id")


def pair(session, actor: User, member_id, household_ids, now=None) -> list[Pairing]:
    """Pair one member with households of the community (all or nothing)."""
    begin_write(session)
    rows = _pair(session, actor, member_id, household_ids, now or utcnow())
    session.commit()
    return rows


def accept(session, actor: User, pairs, now=None) -> list[Pairing]:
    """Accept chosen suggestions [(member_id, household_id), …] in one transaction."""
    begin_write(session)
    now = now or utcnow()
    if not policy.community_ids_for(actor, "community_admin"):
        raise Forbidden(_l("只有本社区管理员可以安排结对联户。"))
    by_member: dict[int, list[int]] = {}
    for mid, hid in pairs:
        by_member.setdefault(mid, []).append(hid)
    if not by_member:
        raise Invalid({"pair": _l("请至少勾选一组。")})
    rows = []
    for mid, hids in by_member.items():
        rows += _pair(session, actor, mid, hids, now)
    session.commit()
    return rows


def _pair(session, actor: User, member_id, household_ids, now) -> list[Pairing]:
    if not policy.community_ids_for(actor, "community_admin"):
        raise Forbidden(_l("只有本社区管理员可以安排结对联户。"))
    member = session.get(User, member_id) if isinstance(member_id, int) else None
    cids = policy.community_ids_for(member, "member") if member else set()
    if not cids:
        raise Invalid({"member_id": _l("请选择本社区已报到的党员。")})
    org = next((session.get(Org, c) for c in sorted(cids) if policy.can_pair_in(actor, c)), None)
    if org is None:
        raise Forbidden(_l("只有本社区管理员可以安排结对联户。"))
    ids = list(dict.fromkeys(household_ids or []))
    if not ids:
        raise Invalid({"household_ids": _l("请至少选择一户。")})
    homes = {h.id: h for h in households(session, org.id, ids=ids)}
    if len(homes) != len(ids) or member.id in ids:
        raise Invalid({"household_ids": _l("只能选择本社区的居民家庭（不能与自己结对）。")})
    taken = {p.household_id for p in active_pairings(session, org.id) if p.household_id in ids}
    if taken:
        raise Conflict(_l("所选家庭中有已结对的，请刷新后重选。"), code="already_paired")
    cap = int(setting(org, "pairing_max_households"))
    have = len(active_pairings(session, member_id=member.id))
    if have + len(ids) > cap:
        raise Invalid({"household_ids": _l("每名党员最多结对 %(n)s 户，%(name)s 已结对 %(have)s 户。",
                                           n=cap, name=member.name, have=have)})
    rows = []
    for hid in ids:
        p = Pairing(community_id=org.id, member_id=member.id, household_id=hid, status="active",
                    live=True, created_by_id=actor.id, created_at=now)
        session.add(p)
        session.flush()
        PAIRING.log(session, p, "pair", actor.id, None, "active", None, now)
        rows.append(p)
    notify(session, [member.id], "pairing_assigned", note=str(len(ids)), now=now,
           url="/pairing/")
    return rows


def end(session, actor: User, pairing_id, reason: str | None, declined: bool = False,
        now=None) -> Pairing:
    """End a pairing, or record that the household declined it (then no more suggestions)."""
    begin_write(session)
    now = now or utcnow()
    p = session.get(Pairing, pairing_id) if isinstance(pairing_id, int) else None
    if p is None or not policy.can_pair_in(actor, p.community_id):
        raise NotFound(_l("找不到这个结对。"), code="pairing_not_found")
    action = "decline" if declined else "end"
    PAIRING.check(action, p.status)
    if not (reason or "").strip():
        raise Invalid({"reason": _l("请填写原因。")})
    reason = reason.strip()[:200]
    PAIRING.move(session, p, action, actor.id, reason, now, live=None, ended_at=now, reason=reason)
    session.commit()
    return p


def set_care(session, actor: User, household_id, tags, now=None, consent: bool = False) -> list[str]:
    """Grid staff set a household's private care tags (replacing the previous set). Care tags
    are sensitive (PIPL art. 28): the first needs the household's separate consent, recorded
    here (`consent`); withdrawing it on 我的信息 removes them all."""
    begin_write(session)
    now = now or utcnow()
    h = session.get(User, household_id) if isinstance(household_id, int) else None
    if h is None or not policy.can_see_care(actor, h):
        raise NotFound(_l("找不到这户居民。"), code="household_not_found")
    wanted = [t for t in CARE_TAGS if t in set(tags or ())]
    if set(tags or ()) - set(CARE_TAGS):
        raise Invalid({"tags": _l("请从列表中选择。")})
    if wanted and h.sensitive_consent_at is None:
        if not consent:
            raise Invalid({"consent": _l("关爱标记属于敏感个人信息：请先征得居民本人单独同意，再勾选“居民已同意”。")})
        h.sensitive_consent_at = now
    have = {c.tag: c for c in session.scalars(select(CareTag).where(
        CareTag.household_id == h.id))}
    for t, row in have.items():
        if t not in wanted:
            session.delete(row)
    for t in wanted:
        if t not in have:
            session.add(CareTag(household_id=h.id, community_id=h.building.community_id, tag=t,
                                set_by_id=actor.id, at=now))
    session.commit()
    return wanted


def contact(session, p: Pairing, viewer: User, channel: str) -> dict | None:
    """A household's name, phone and address for its paired member; each view logged."""
    if p.status != "active" or viewer.id != p.member_id:
        return None
    h = p.household
    shown = {"name": h.name, "phone": h.phone,
             "address": " ".join(x for x in (h.building.name if h.building else "", h.address) if x)}
    begin_write(session)
    session.add(Disclosure(pairing_id=p.id, resident_id=h.id, viewer_id=viewer.id,
                           reason="paired_member", channel=channel))
    session.commit()
    return shown


def my_member(session, resident: User) -> dict | None:
    """A resident's paired member and how to reach them, or None."""
    rows = active_pairings(session, household_id=resident.id)
    if not rows:
        return None
    m = rows[0].member
    return {"name": m.name, "phone": m.phone, "since": rows[0].created_at}


def end_unfit(session, actor_id: int | None, person: User, now, reason: str) -> int:
    """End the person's active pairings they no longer qualify for (a household that moved out
    of the pairing's community, a member no longer reported there, an account stopped), each
    with its event; in the caller's transaction."""
    home = policy.home_community_id(person)
    n = 0
    for p in session.scalars(select(Pairing).where(
            Pairing.status == "active",
            (Pairing.household_id == person.id) | (Pairing.member_id == person.id))).all():
        fits = person.active and (
            home == p.community_id if p.household_id == person.id
            else policy.is_volunteer_in(person, p.community_id))
        if not fits:
            PAIRING.move(session, p, "end", actor_id, reason, now, live=None, ended_at=now,
                         reason=reason[:200])
            n += 1
    return n
