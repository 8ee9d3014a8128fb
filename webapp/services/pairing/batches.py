"""结对联户 in bulk (issue 23 item 2): end several pairings at once, undo the last batch an admin
made, and the choices of a manual pairing (members with room, the buildings with unpaired
households counted, and those of one chosen building).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...db import begin_write
from ...models import Org, Pairing, User, utcnow
from .. import policy
from ..errors import Invalid, NotFound
from ..people.orgs import setting
from . import pairings


def end_many(session, actor: User, pairing_ids, reason: str | None, now=None) -> list[Pairing]:
    """End the chosen active pairings of the actor's communities with one reason (all or none)."""
    begin_write(session)
    now = now or utcnow()
    ids = list(dict.fromkeys(i for i in (pairing_ids or []) if isinstance(i, int)))
    if not ids:
        raise Invalid({"pairing": _l("请至少勾选一组结对。")})
    if not (reason or "").strip():
        raise Invalid({"reason": _l("请填写原因。")})
    reason = reason.strip()[:200]
    rows = list(session.scalars(select(Pairing).where(Pairing.id.in_(ids)).order_by(Pairing.id)))
    if len(rows) != len(ids) or not all(policy.can_pair_in(actor, p.community_id) for p in rows):
        raise NotFound(_l("找不到这个结对。"), code="pairing_not_found")
    for p in rows:
        pairings.PAIRING.check("end", p.status)
    for p in rows:
        pairings.PAIRING.move(session, p, "end", actor.id, reason, now, live=None, ended_at=now,
                              reason=reason)
    session.commit()
    return rows


def last_made(community_id: int, actor_id: int):
    """When the actor last made pairings in the community: one probe of the creator index."""
    return select(func.max(Pairing.created_at)).where(
        Pairing.community_id == community_id, Pairing.created_by_id == actor_id)


def last_batch(session, actor: User, community_id: int) -> list[Pairing]:
    """The still-active pairings the actor made last in the community (one accept or one manual
    pairing shares one timestamp), so a mistaken batch is undone in one step."""
    last = session.scalar(last_made(community_id, actor.id))
    if last is None:
        return []
    return list(session.scalars(select(Pairing).where(
        Pairing.community_id == community_id, Pairing.created_by_id == actor.id,
        Pairing.created_at == last, Pairing.status == "active").order_by(Pairing.id)
        .options(*pairings.with_names())))  # the page names them


def _members_with_room(session, community_id: int, cap: int) -> list[dict]:
    load = pairings.loads(session, community_id)
    return [{"id": m.id, "name": m.name, "paired": load.get(m.id, 0),
             "room": max(cap - load.get(m.id, 0), 0)}
            for m in pairings.members(session, community_id)]


def manual_choices(session, actor: User, community_id: int, building: int | None = None,
                   household_ids=()) -> dict:
    """For a manual pairing: its buildings that have unpaired households, each with their count
    (kept); the unpaired households of one building only: `building`, else the building of the
    submitted `household_ids` (a refused form opens where its ticks were); and, once a building
    is chosen, the community's members with their load and room (`has_members` before). A
    building that is not one of the community's is not chosen (`refused`), so another
    community's households never show."""
    org = pairings.community_of(session, actor, community_id)
    cap = int(setting(org, "pairing_max_households"))
    unpaired = (*pairings.is_household(org.id), ~select(Pairing.id).where(
        Pairing.household_id == User.id, Pairing.community_id == org.id,
        Pairing.status == "active").exists())
    buildings = [{"id": bid, "building": name, "unpaired": n} for bid, name, n in session.execute(
        select(Org.id, Org.name, Org.unpaired).where(  # kept counts (pairing/tally.py)
            Org.community_id == org.id, Org.kind == "building", Org.unpaired > 0)
        .order_by(Org.grid_id, Org.id))]
    ids = [i for i in household_ids or () if isinstance(i, int)]
    asked = building
    if building is None and ids:
        building = session.scalar(select(User.building_id).where(
            User.id.in_(ids), *pairings.is_household(org.id)).order_by(User.id).limit(1))
    chosen = session.execute(select(Org.id, Org.name).where(
        Org.id == building, Org.kind == "building", Org.community_id == org.id)).first() \
        if isinstance(building, int) else None
    homes = [{"id": hid, "name": name} for hid, name in session.execute(
        select(User.id, User.name).where(User.building_id == chosen.id, *unpaired)
        .order_by(User.id))] if chosen else []
    members = _members_with_room(session, org.id, cap) if chosen else []
    return {"cap": cap, "members": members, "buildings": buildings,
            "has_members": bool(members) if chosen else pairings.has_members(session, org.id),
            "building": {"id": chosen.id, "name": chosen.name} if chosen else None,
            "households": homes, "refused": asked is not None and chosen is None}
