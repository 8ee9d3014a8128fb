"""结对联户 in bulk (issue 23 item 2): end several pairings at once, undo the last batch an admin
made, and the choices of a manual pairing (members with room, unpaired households by building).
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


def last_batch(session, actor: User, community_id: int) -> list[Pairing]:
    """The still-active pairings the actor made last in the community (one accept or one manual
    pairing shares one timestamp), so a mistaken batch is undone in one step."""
    last = session.scalar(select(func.max(Pairing.created_at)).where(
        Pairing.community_id == community_id, Pairing.created_by_id == actor.id))
    if last is None:
        return []
    return list(session.scalars(select(Pairing).where(
        Pairing.community_id == community_id, Pairing.created_by_id == actor.id,
        Pairing.created_at == last, Pairing.status == "active").order_by(Pairing.id)))


def manual_choices(session, actor: User, community_id: int) -> dict:
    """For a manual pairing: the community's members with their load and room, and the
    households not paired yet, grouped by building."""
    org = pairings.community_of(session, actor, community_id)
    cap = int(setting(org, "pairing_max_households"))
    active = pairings.active_pairings(session, org.id)
    load: dict[int, int] = {}
    for p in active:
        load[p.member_id] = load.get(p.member_id, 0) + 1
    members = [{"id": m.id, "name": m.name, "paired": load.get(m.id, 0),
                "room": max(cap - load.get(m.id, 0), 0)}
               for m in pairings.members(session, org.id)]
    paired = {p.household_id for p in active}
    buildings: dict[int, dict] = {}
    for hid, name, bid, building in session.execute(  # names only: thousands of households
            select(User.id, User.name, Org.id, Org.name).join(Org, Org.id == User.building_id)
            .where(*pairings.is_household(org.id)).order_by(Org.grid_id, Org.id, User.id)):
        if hid in paired:
            continue
        b = buildings.setdefault(bid, {"building": building, "households": []})
        b["households"].append({"id": hid, "name": name})
    return {"cap": cap, "members": members, "buildings": list(buildings.values())}

