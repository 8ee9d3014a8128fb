"""Importing the grid tree (社区, 网格, 楼栋): nodes matched by name among their siblings."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ....models import Org
from ...people import orgs
from . import similar
from .reader import Table
from .rows import Plan, RowCheck


def _live(org: Org) -> bool:
    # Retired nodes (Org.active, from the tree-management work) keep their records but take no
    # new children; until that column exists every node is live.
    return getattr(org, "active", True) is not False


def _existing(session, scope: Org):
    """The scope's nodes, and its communities, grids and buildings by (parent, name)."""
    if scope.kind == "street":
        nodes = session.scalars(select(Org).where(Org.street_id == scope.id)).all()
        communities = {o.name: o for o in nodes if o.kind == "community"}
    else:
        nodes = session.scalars(select(Org).where(Org.community_id == scope.id)).all()
        communities = {scope.name: scope}
    grids = {(o.community_id, o.name): o for o in nodes if o.kind == "grid"}
    buildings = {(o.grid_id, o.name): o for o in nodes if o.kind == "building"}
    return nodes, communities, grids, buildings


def plan(session, scope: Org, table: Table, progress=None, **_) -> Plan:
    """The tree rows as actions; a street admin's scope is the street, a community admin's the
    community (rows naming another community are refused)."""
    p = Plan("tree")
    nodes, communities, grids, buildings = _existing(session, scope)
    planned: set[tuple] = set()
    last_c = last_g = ""
    for i, (row, values) in enumerate(table.rows):
        if progress and i % 500 == 0:
            progress(i, len(table.rows))
        # A blank community or grid cell repeats the one above: lists often merge those cells.
        c_eff = values.get("community") or (last_c if scope.kind == "street" else scope.name)
        g_eff = values.get("grid") or (last_g if values.get("building") and c_eff == last_c
                                       else "")
        chk = RowCheck(p, row, {**values, "community": c_eff, "grid": g_eff})
        c_name = chk.text("community")
        g_name = chk.text("grid", required=bool(values.get("building")))
        b_name = chk.text("building", required=False)
        if scope.kind == "community" and c_name and c_name != scope.name:
            chk.fail("community", _l("只能导入本社区（%(name)s）的网格和楼栋。", name=scope.name))
        if not chk.ok:
            continue
        last_c, last_g = c_name, g_name
        community = communities.get(c_name)
        grid = grids.get((community.id, g_name)) if community and g_name else None
        building = buildings.get((grid.id, b_name)) if grid and b_name else None
        for node, key in ((community, "community"), (grid, "grid"), (building, "building")):
            if node is not None and not _live(node):
                chk.fail(key, _l("“%(name)s”已停用。请先在组织管理中恢复它，或换一个名称。",
                                 name=node.name))
        if not chk.ok:
            continue
        path = [("c", c_name)] + ([("g", c_name, g_name)] if g_name else []) + (
            [("b", c_name, g_name, b_name)] if b_name else [])
        exists = {("c", c_name): community, ("g", c_name, g_name): grid,
                  ("b", c_name, g_name, b_name): building}
        new = [k for k in path if exists.get(k) is None and k not in planned]
        for k in new:
            p.new_nodes.append(_new_node(k, community, grid, communities, grids, buildings,
                                         planned))
        planned.update(new)
        p.actions.append(("create" if new else "unchanged", row, c_name, g_name, b_name))
    return p


def _new_node(k: tuple, community, grid, communities, grids, buildings, planned) -> dict:
    """A node the import creates, with the existing (or already planned) sibling it resembles:
    a typo'd grid is seen in the preview before it becomes a new grid."""
    kind = {"c": "community", "g": "grid", "b": "building"}[k[0]]
    if kind == "community":
        siblings = list(communities)
    elif kind == "grid":
        siblings = [n for (cid, n) in grids if community is not None and cid == community.id]
    else:
        siblings = [n for (gid, n) in buildings if grid is not None and gid == grid.id]
    siblings += [q[-1] for q in planned if q[0] == k[0] and q[1:-1] == k[1:-1]]
    return {"kind": kind, "path": " / ".join(k[1:]), "like": similar.like(k[-1], siblings)}


def apply(session, actor, scope: Org, p: Plan, **_) -> None:
    """Create the missing nodes through orgs.add_org (same denormalised ids, default categories)."""
    street = scope if scope.kind == "street" else session.get(Org, scope.street_id)
    nodes, communities, grids, buildings = _existing(session, scope)
    for verb, _row, c_name, g_name, b_name in p.actions:
        if verb != "create":
            continue
        community = communities.get(c_name)
        if community is None:
            community = communities[c_name] = orgs.add_org(session, "community", c_name, street)
        if not g_name:
            continue
        grid = grids.get((community.id, g_name))
        if grid is None:
            grid = grids[(community.id, g_name)] = orgs.add_org(session, "grid", g_name, community)
        if b_name and (grid.id, b_name) not in buildings:
            buildings[(grid.id, b_name)] = orgs.add_org(session, "building", b_name, grid)
