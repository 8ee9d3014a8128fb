"""The policy's primitives: roles held, and in which orgs."""
from ...models import User, Wish

STAFF_ROLES = ("grid_worker", "community_admin", "street_admin", "superadmin")


def _chain_of_wish(wish: Wish) -> set[int]:
    b = wish.building
    return {wish.building_id, wish.grid_id, wish.community_id, b.street_id if b else None} - {None}


def has_role(user: User, role: str, org_ids: set[int] | None = None) -> bool:
    """True if the user holds `role`, optionally scoped to one of `org_ids`.

    Superadmin gets no implicit scope here on purpose: contact details and reviews stay with
    the grid's own staff (DESIGN §2).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        g.active and g.role == role and (org_ids is None or g.org_id in org_ids)
        for g in user.roles
    )


def org_ids_for(user: User, role: str) -> set[int]:
    """The org ids in which the user holds `role`."""
    return {g.org_id for g in user.roles if g.active and g.role == role and g.org_id}


def community_ids_for(user: User, *roles: str) -> set[int]:
    """Communities the user works in under any of `roles` (grids map to their community)."""
    out: set[int] = set()
    for g in user.roles:
        if g.active and g.role in roles and g.org is not None:
            o = g.org
            out.add(o.id if o.kind == "community" else o.community_id)
    return {i for i in out if i}


def is_volunteer_in(user: User, community_id: int) -> bool:
    """An approved member (双报到) of the community."""
    return has_role(user, "member", {community_id})


def is_unit_admin_in(user: User, community_id: int) -> bool:
    """A unit admin whose unit reported to this community."""
    return has_role(user, "unit_admin", {community_id})


def unit_ids_admined(user: User) -> set[int]:
    """Units the user administers."""
    return {g.unit_id for g in user.roles if g.active and g.role == "unit_admin" and g.unit_id}


def primary_role(user: User) -> str:
    """The role whose tab bar the user gets first."""
    names = user.role_names()
    for r in ("superadmin", "street_admin", "community_admin", "grid_worker", "unit_admin",
              "member", "resident"):
        if r in names:
            return r
    return "guest"


def home_community_id(user: User) -> int | None:
    """The community a person lives in (their building's), or None."""
    b = getattr(user, "building", None)
    return b.community_id if b is not None else None


def is_resident(user: User) -> bool:
    """Holds the resident role (posts and books for themself)."""
    return has_role(user, "resident")


def role_signature(user: User) -> tuple:
    """Everything about the user's grants that what they may see depends on (cache keys)."""
    return tuple(sorted((g.role, g.org_id or 0, g.unit_id or 0, bool(g.active))
                        for g in user.roles))
