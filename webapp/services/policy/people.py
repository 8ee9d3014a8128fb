"""Administration: the grid tree, staff and the accounts they look after."""
from ...models import User
from .core import has_role

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
    by the admin of the grid's community (or the street admin above)."""
    if role == "community_admin" and org.kind == "community":
        return has_role(user, "street_admin", {org.street_id}) or has_role(
            user, "community_admin", {org.id})
    if role == "grid_worker" and org.kind == "grid":
        return can_edit_in_community(user, org.community_id, org.street_id)
    return False


def _places(person: User) -> tuple[set, set, set]:
    """(street ids, community ids, grid ids) a person belongs to: home building and role scopes."""
    streets, communities, grids = set(), set(), set()
    orgs = [person.building] + [g.org for g in person.roles if g.active]
    for o in orgs:
        if o is None:
            continue
        streets.add(o.id if o.kind == "street" else o.street_id)
        communities.add(o.id if o.kind == "community" else o.community_id)
        grids.add(o.id if o.kind == "grid" else o.grid_id)
    return streets - {None}, communities - {None}, grids - {None}


def can_manage_person(actor: User, person: User) -> bool:
    """Reset the password, deactivate, move house: staff whose scope holds the person, and only
    above the person's own rank (a grid worker never takes over an admin's account)."""
    if actor is None or person is None or actor.id == person.id:
        return False
    ranks = person.role_names()
    if ranks & {"superadmin", "street_admin"}:
        return False  # set up from the command line (flask setup), not by another admin
    streets, communities, grids = _places(person)
    if has_role(actor, "street_admin", streets):
        return True
    if "community_admin" in ranks:
        return False
    if has_role(actor, "community_admin", communities):
        return True
    if "grid_worker" in ranks:
        return False
    return bool(person.building) and has_role(actor, "grid_worker", {person.building.grid_id})


def can_activate_grid(user: User, grid) -> bool:
    """Send activation invitations and print activation slips for a grid's residents: its grid
    workers, its community's admins, its street's admins."""
    if grid is None or grid.kind != "grid":
        return False
    return (has_role(user, "grid_worker", {grid.id})
            or has_role(user, "community_admin", {grid.community_id})
            or has_role(user, "street_admin", {grid.street_id}))
