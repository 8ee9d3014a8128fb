"""Administration: the grid tree, staff and the accounts they look after."""
from ...models import User
from .core import has_role, org_ids_for

# --- Administration (issue 11): the grid tree, staff and accounts looked after -------------
# Every rule below is scoped by the tree: an admin of one street never reaches another's.

def can_edit_community(user: User, community) -> bool:
    """Add, rename or retire a community: the admin of its street."""
    return has_role(user, "street_admin", {community.street_id})


def can_edit_in_community(user: User, community_id: int | None, street_id: int | None) -> bool:
    """Grids and buildings of a community: its community admin, or the street admin above it."""
    return bool(community_id) and (has_role(user, "community_admin", {community_id})
                                   or has_role(user, "street_admin", {street_id}))


def can_appoint(user: User, role: str, org) -> bool:
    """Community admins: by the street admin or a fellow admin of that community; grid workers:
    by the admin of the grid's community (or the street admin above); street admins: by a
    fellow street admin of that street (issue 23 item 9: more than one, and a handover)."""
    if role == "street_admin" and org.kind == "street":
        return has_role(user, "street_admin", {org.id})
    if role == "community_admin" and org.kind == "community":
        return has_role(user, "street_admin", {org.street_id}) or has_role(
            user, "community_admin", {org.id})
    if role == "grid_worker" and org.kind == "grid":
        return can_edit_in_community(user, org.community_id, org.street_id)
    return False


# --- Authority over a person (issue 20): cover every place, outrank every role there -------
#
# | actor            | covers (every place of the person must lie inside the actor's scope) |
# |------------------|-----------------------------------------------------------------------|
# | grid worker      | plain residents (no other role) whose home building is in the grid     |
# | community admin  | residents, members and grid workers wholly inside the community;       |
# |                  | never a unit's admin (the community is the unit's counterparty)        |
# | street admin     | everyone wholly inside the street except street admins                 |
# | anyone           | never themself, never a superadmin, never a person with no place      |
#
# A person's places: the home building and the org of every active role (a member's community,
# a grid worker's grid, a unit admin's grant names the community its unit reported to). What the actor
# does not cover is done by invitation: the person accepts or declines (services/admin/invites).

OUTRANKED_BY = {
    "grid_worker": frozenset({"resident"}),
    "community_admin": frozenset({"resident", "member", "grid_worker"}),
    "street_admin": frozenset({"resident", "member", "grid_worker", "unit_admin",
                               "community_admin"}),
}


def places(person: User) -> list[tuple]:
    """(street id, community id, grid id) of every place the person belongs to; a level above
    the place is None (a street admin's street has no community)."""
    out = []
    orgs = [person.building] + [g.org for g in person.roles if g.active]
    for o in orgs:
        if o is None:
            continue
        out.append((o.id if o.kind == "street" else o.street_id,
                    o.id if o.kind == "community" else o.community_id,
                    o.id if o.kind == "grid" else o.grid_id))
    return out


def _level(role: str) -> int:
    return {"grid_worker": 2, "community_admin": 1, "street_admin": 0}[role]


def covers(actor: User, person: User) -> bool:
    """The cover rule: the actor's scopes hold every place of the person and the actor outranks
    each of the person's roles (see the table above; DESIGN §2, docs/SECURITY.md)."""
    if actor is None or person is None or actor.id == person.id:
        return False
    spots = places(person)
    if not spots:
        return False  # nobody's: reached only by invitation
    held = person.role_names()
    for role, outranked in OUTRANKED_BY.items():
        if not held <= outranked:
            continue
        if role == "grid_worker" and person.building is None:
            continue  # a grid worker looks after residents who live in the grid
        scope = org_ids_for(actor, role)
        if scope and all(spot[_level(role)] in scope for spot in spots):
            return True
    return False


def can_manage_person(actor: User, person: User) -> bool:
    """Reset the password, deactivate, move house, re-home, appoint, verify: only a covering
    actor (the rule above); everything else about an existing account is an invitation."""
    return covers(actor, person)


def may_move_to(actor: User, building) -> bool:
    """A house move leads only into a building the actor serves (its grid worker or admins)."""
    return has_role(actor, "grid_worker", {building.grid_id}) or can_edit_in_community(
        actor, building.community_id, building.street_id)


def log_scopes(person: User) -> set[tuple]:
    """(street id, community id) of every scope whose admin log must show an act on the person."""
    return {(st, c) for st, c, _g in places(person) if st is not None}


def covered_in(person: User, community_id: int) -> bool:
    """Whether the admins of `community_id` cover the person: what an import into that
    community may change directly (anything else about the account is an invitation)."""
    spots = places(person)
    return (bool(spots) and person.role_names() <= OUTRANKED_BY["community_admin"]
            and all(spot[1] == community_id for spot in spots))


def home_org(person: User):
    """Where an act on this person is logged first: their building, else their first staff scope."""
    if person.building is not None:
        return person.building
    return next((g.org for g in person.roles if g.active and g.org is not None), None)


def serves_building(actor: User, building) -> bool:
    """The grid worker of its grid or the admin of its community: registers people there."""
    return has_role(actor, "grid_worker", {building.grid_id}) or has_role(
        actor, "community_admin", {building.community_id})


def can_activate_grid(user: User, grid) -> bool:
    """Send activation invitations and print activation slips for a grid's residents: its grid
    workers, its community's admins, its street's admins."""
    if grid is None or grid.kind != "grid":
        return False
    return (has_role(user, "grid_worker", {grid.id})
            or has_role(user, "community_admin", {grid.community_id})
            or has_role(user, "street_admin", {grid.street_id}))
