"""People living in a building that is being retired (issue 23 item 4): how many, where they may
go, and moving them all in one step. Retiring a lived-in building needs a confirmation or a
target building; each person is moved through `accounts_admin.rehome` when the actor covers
them, otherwise invited to move (DESIGN §2: an act on an account one does not cover is an
invitation)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...models import Org, User, utcnow
from .. import policy
from ..errors import Conflict, Invalid
from . import invites


def living_in(session, building_ids) -> dict[int, int]:
    """Active people whose home is each building, by building id (absent: nobody)."""
    ids = set(building_ids)
    if len(ids) == 1:
        return dict(session.execute(
            select(User.building_id, func.count(User.id))
            .where(User.building_id.in_(ids), User.active.is_(True))
            .group_by(User.building_id)).all())
    if not ids:
        return {}
    # Many buildings (a tree's, read only): their kept counts (pairing/tally.py), not a
    # district community's 5,000 people. One building, on the retire path, is counted in its
    # own transaction (a move made earlier in it is recounted only at commit).
    return dict(session.execute(select(Org.id, Org.people).where(
        Org.id.in_(ids), Org.kind == "building", Org.people > 0)).all())


def targets(session, actor: User, building: Org) -> list[Org]:
    """Active buildings of the same community the actor may move people into."""
    rows = session.scalars(select(Org).where(
        Org.kind == "building", Org.active.is_(True), Org.community_id == building.community_id,
        Org.id != building.id).order_by(Org.grid_id, Org.id))
    return [b for b in rows if policy.may_move_to(actor, b)]


def guard_retire(session, actor: User, building: Org, confirm: bool, move_to, now) -> dict:
    """Before a building is retired: nobody lives there, or the actor confirmed, or everyone is
    moved to `move_to` (an id). Returns what was done, for the admin log; in the caller's
    transaction."""
    n = living_in(session, [building.id]).get(building.id, 0)
    if move_to is not None:
        return move_everyone(session, actor, building, move_to, now) | {"living": n}
    if n and not confirm:
        raise Conflict(_l("“%(name)s”还住着 %(n)s 人。请先把他们迁到另一栋楼，或确认仍要停用。",
                          name=building.name, n=n), code="building_has_people")
    return {"living": n} if n else {}


def move_everyone(session, actor: User, building: Org, move_to, now) -> dict:
    """Move every active person living in `building` to the building `move_to`: a direct move
    for those the actor covers, an invitation for the others."""
    from .accounts_admin import rehome  # accounts_admin imports the tree's neighbours
    now = now or utcnow()
    target = session.get(Org, move_to) if isinstance(move_to, int) else None
    if (target is None or target.kind != "building" or not target.active
            or target.id == building.id or target.community_id != building.community_id
            or not policy.may_move_to(actor, target)):
        raise Invalid({"move_to": _l("请选择本社区另一栋在用的楼栋。")})
    moved = invited = 0
    people = session.scalars(select(User).where(User.building_id == building.id,
                                                User.active.is_(True)).order_by(User.id)).all()
    for person in people:
        if policy.can_manage_person(actor, person):
            rehome(session, person, target, person.address, now, actor=actor)
            moved += 1
        else:
            invites.invite(session, actor, person, "move", target,
                           {"address": person.address}, now=now, again_ok=True)
            invited += 1
    return {"moved": moved, "invited": invited, "to": target.id}
