"""The grid tree by hand: add, rename, retire and bring back nodes, move a building.

Nodes are never deleted: a retired (停用) node leaves every picker and keeps its records.
Moving a building to another grid of its community: the building's denormalised grid_id and its
OPEN wishes follow it (the new grid's staff take them over); finished wishes, service records
and ledger entries keep the grid they were recorded under, so past tallies do not change.
People store only their building, so they follow without a write.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ...db import begin_write
from ...models import Org, User, Wish
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..people import orgs
from . import adminlog, tree_people

PARENT_KIND = {"community": "street", "grid": "community", "building": "grid"}
KIND_LABELS = {"street": _l("街道"), "community": _l("社区"), "grid": _l("网格"),
               "building": _l("楼栋")}
OPEN_STATUSES = ("draft", "pending_review", "published", "claimed", "in_service", "done")


def may_edit(actor: User, org: Org) -> bool:
    """Communities: their street admin; grids and buildings: the community's admin (or street's)."""
    if org.kind == "street":
        return False  # streets come from `flask setup`
    if org.kind == "community":
        return policy.can_edit_community(actor, org)
    return policy.can_edit_in_community(actor, org.community_id, org.street_id)


def may_add_under(actor: User, parent: Org) -> bool:
    """Who may add a child under `parent`."""
    if parent.kind == "street":
        return policy.is_street_admin(actor, parent.id)
    cid = parent.id if parent.kind == "community" else parent.community_id
    return policy.can_edit_in_community(actor, cid, parent.street_id)


def _unique(session, parent_id: int, name: str, kind: str, exclude: int | None = None) -> None:
    """Names are unique among siblings, retired ones included (they may come back)."""
    q = select(Org.id).where(Org.parent_id == parent_id, func.trim(Org.name) == name)
    if exclude:
        q = q.where(Org.id != exclude)
    if session.scalar(q.limit(1)):
        raise Conflict(_l("同一上级下已有名为“%(name)s”的%(kind)s，请换一个名称。", name=name,
                          kind=KIND_LABELS[kind]), code="name_taken")


def add_node(session, actor: User, kind: str, name: str, parent_id: int, now=None) -> Org:
    """Add a community (street admin), grid or building (community admin) under `parent_id`."""
    begin_write(session)
    parent = session.get(Org, parent_id)
    if parent is None or parent.kind != PARENT_KIND.get(kind):
        raise Invalid({"parent_id": _l("请选择正确的上级（社区在街道下，网格在社区下，楼栋在网格下）。")})
    if not may_add_under(actor, parent):
        raise Forbidden(_l("只能在自己管理的范围内调整组织架构。"))
    if not parent.active:
        raise Conflict(_l("上级“%(name)s”已停用，请先恢复它。", name=parent.name),
                       code="parent_retired")
    name = name.strip()
    _unique(session, parent.id, name, kind)
    org = orgs.add_org(session, kind, name, parent)  # communities get the default categories
    adminlog.record(session, actor, "tree_add", org, now=now,
                    summary=f"{KIND_LABELS[kind]} {parent.name} / {name}",
                    details={"kind": kind, "name": name, "parent_id": parent.id})
    session.commit()
    return org


def get_editable(session, actor: User, org_id) -> Org:
    """The node, if the actor may edit it (404 if missing, 403 if out of scope)."""
    org = session.get(Org, org_id) if isinstance(org_id, int) else None
    if org is None:
        raise NotFound(code="org_not_found")
    if not may_edit(actor, org):
        raise Forbidden(_l("只能在自己管理的范围内调整组织架构。"))
    return org


def update_node(session, actor: User, org_id, name: str | None = None,
                parent_id: int | None = None, active: bool | None = None, now=None,
                confirm: bool = False, move_to: int | None = None) -> Org:
    """Rename, move (buildings only, within the community), retire or bring back a node. A
    building people live in retires only when `confirm`ed or with everyone moved to `move_to`."""
    begin_write(session)
    org = get_editable(session, actor, org_id)
    label = KIND_LABELS[org.kind]
    if name is not None and name.strip() != org.name:
        name = name.strip()
        _unique(session, org.parent_id, name, org.kind, exclude=org.id)
        adminlog.record(session, actor, "tree_rename", org, now=now,
                        summary=f"{label} {org.name} → {name}",
                        details={"from": org.name, "to": name})
        org.name = name
    if parent_id is not None and parent_id != org.parent_id:
        _move(session, actor, org, parent_id, now)
    if active is not None and active != org.active:
        _set_active(session, actor, org, active, now, confirm, move_to)
    session.commit()
    return org


def _move(session, actor: User, org: Org, parent_id: int, now) -> None:
    if org.kind != "building":
        raise Conflict(_l("只有楼栋可以调整到另一个网格。"), code="move_not_allowed")
    grid = session.get(Org, parent_id)
    if grid is None or grid.kind != "grid" or grid.community_id != org.community_id:
        raise Invalid({"parent_id": _l("请选择本社区的另一个网格。")})
    if not grid.active:
        raise Conflict(_l("网格“%(name)s”已停用，不能调入楼栋。", name=grid.name),
                       code="parent_retired")
    _unique(session, grid.id, org.name, org.kind, exclude=org.id)
    old = org.parent
    moved = session.execute(
        update(Wish).where(Wish.building_id == org.id, Wish.status.in_(OPEN_STATUSES))
        .values(grid_id=grid.id).execution_options(synchronize_session=False)).rowcount
    org.parent_id, org.grid_id = grid.id, grid.id
    adminlog.record(session, actor, "tree_move", org, now=now,
                    summary=f"{org.name}: {old.name if old else ''} → {grid.name}",
                    details={"from_grid": old.id if old else None, "to_grid": grid.id,
                             "open_wishes_moved": moved})


def _set_active(session, actor: User, org: Org, active: bool, now, confirm: bool = False,
                move_to: int | None = None) -> None:
    label = KIND_LABELS[org.kind]
    details = {}
    if not active:
        live = session.scalar(select(func.count(Org.id)).where(Org.parent_id == org.id,
                                                               Org.active.is_(True)))
        if live:
            raise Conflict(_l("“%(name)s”下还有 %(n)s 个在用的下级，请先调整或停用它们。",
                              name=org.name, n=live), code="has_active_children")
        if org.kind == "building":
            details = tree_people.guard_retire(session, actor, org, confirm, move_to, now)
    elif org.parent is not None and not org.parent.active:
        raise Conflict(_l("上级“%(name)s”已停用，请先恢复它。", name=org.parent.name),
                       code="parent_retired")
    org.active = active
    adminlog.record(session, actor, "tree_retire" if not active else "tree_reactivate", org,
                    now=now, summary=f"{label} {org.name}", details=details or None)


def managed_roots(session, actor: User) -> list[Org]:
    """The subtrees the actor manages: their streets, else their communities."""
    street_ids = policy.org_ids_for(actor, "street_admin")
    community_ids = policy.org_ids_for(actor, "community_admin")
    q = select(Org).where((Org.kind == "street") & Org.id.in_(street_ids)
                          | (Org.kind == "community") & Org.id.in_(community_ids)
                          & ~Org.street_id.in_(street_ids))
    return list(session.scalars(q.order_by(Org.id)))


def may_open(actor: User, org: Org) -> bool:
    """Who may open a node's part of the tree page: whoever may change what is under it."""
    return may_add_under(actor, org)


def _below(root: Org):
    """The condition for the nodes under `root` (its whole subtree but itself)."""
    col = {"street": Org.street_id, "community": Org.community_id, "grid": Org.grid_id}
    if root.kind not in col:
        return Org.id.is_(None)
    return (col[root.kind] == root.id) & (Org.id != root.id)  # a street is its own street_id


def _node(o: Org, people: int = 0) -> dict:
    return {"id": o.id, "kind": o.kind, "name": o.name, "active": o.active,
            "parent_id": o.parent_id, "community_id": o.community_id, "people": people,
            "children": [], "lazy": False, "inside": {}}


def subtree(session, root: Org, at_once: int | None = None) -> dict:
    """One subtree as nested dicts, retired nodes included (marked), for the tree page;
    buildings say how many people live there. Above `at_once` nodes (a street of a district:
    a thousand buildings, each with its forms, was a 1.9 MB page) only the root's children
    come, each `lazy` with how many nodes of each kind it holds: the page opens them one at a
    time."""
    if at_once is not None and _count(session, root) > at_once:
        return _shallow(session, root)
    rows = [root] + list(session.scalars(select(Org).where(_below(root)).order_by(Org.id)))
    living = tree_people.living_in(session, [o.id for o in rows if o.kind == "building"])
    nodes = {o.id: _node(o, living.get(o.id, 0)) for o in rows}
    for o in rows[1:]:
        if o.parent_id in nodes:
            nodes[o.parent_id]["children"].append(nodes[o.id])
    return nodes[root.id]


def _shallow(session, root: Org) -> dict:
    """The root and its children, unopened, each with the count of what is under it by kind."""
    top = _node(root)
    kids = list(session.scalars(select(Org).where(Org.parent_id == root.id).order_by(Org.id)))
    living = tree_people.living_in(session, [o.id for o in kids if o.kind == "building"])
    key = {"street": Org.community_id, "community": Org.grid_id}.get(root.kind)
    inside: dict = {}
    if key is not None:
        for kid, kind, n in session.execute(select(key, Org.kind, func.count(Org.id)).where(
                _below(root), key.is_not(None)).group_by(key, Org.kind)):
            inside.setdefault(kid, {})[kind] = n
    for o in kids:
        node = _node(o, living.get(o.id, 0))
        node["inside"] = inside.get(o.id, {})
        node["lazy"] = o.kind != "building"
        top["children"].append(node)
    return top


def active_grids(session, community_id: int) -> list[dict]:
    """The community's grids a building may move to (the tree page's move picker)."""
    return [{"id": i, "name": n} for i, n in session.execute(
        select(Org.id, Org.name).where(Org.community_id == community_id, Org.kind == "grid",
                                       Org.active.is_(True)).order_by(Org.id))]


def opened_at(session, actor: User, org: Org, at_once: int) -> int | None:
    """Where the tree page shows `org` (after a change to it, or with an error next to one of
    its forms): None when the actor's whole tree is one page; else the part of it opened on its
    own that holds `org`'s forms (the community or grid it is, or is in)."""
    for root in managed_roots(session, actor):
        if org.id == root.id or not (org.street_id == root.id or org.community_id == root.id):
            continue
        if _count(session, root) <= at_once:
            return None
        if root.kind == "street" and org.kind != "community" and _count(
                session, session.get(Org, org.community_id)) <= at_once:
            return org.community_id
        return org.id if org.kind in ("community", "grid") else org.grid_id
    return None


def _count(session, root: Org) -> int:
    return session.scalar(select(func.count(Org.id)).where(_below(root)))
