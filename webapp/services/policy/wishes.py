"""Who may see or act on a wish, and see a resident's contact details."""
from ...models import User, Wish
from .core import STAFF_ROLES, _chain_of_wish, has_role, is_unit_admin_in, is_volunteer_in


def is_grid_staff(user: User, wish: Wish) -> bool:
    """Grid worker of the wish's grid or admin of its community: may see contact details."""
    return has_role(user, "grid_worker", {wish.grid_id}) or has_role(
        user, "community_admin", {wish.community_id}
    )


def can_review(user: User, wish: Wish) -> bool:
    """Community admins review (审核) and dispatch (派单) in their community."""
    return has_role(user, "community_admin", {wish.community_id})


def can_post_for(user: User, resident: User) -> bool:
    """A resident posts for themself; a grid worker or community admin for a resident they serve."""
    if user.id == resident.id:
        return has_role(user, "resident")
    b = resident.building
    return b is not None and (
        has_role(user, "grid_worker", {b.grid_id}) or has_role(user, "community_admin", {b.community_id})
    )


def can_act_for_resident(user: User, wish: Wish) -> bool:
    """The resident, or the grid staff acting on their behalf (confirm, withdraw)."""
    return user.id == wish.resident_id or is_grid_staff(user, wish)


def can_manage_wish(user: User, wish: Wish) -> bool:
    """Edit or withdraw: the resident, or grid staff for a wish they keep for the resident
    (代为登记, or a resident without a phone); never another resident's own wish."""
    if user.id == wish.resident_id:
        return True
    resident = wish.resident
    return is_grid_staff(user, wish) and (wish.on_behalf or not (resident and resident.phone))


def can_view_wish(user: User, wish: Wish, claimer_ids: set[int]) -> bool:
    """Published wishes are visible to volunteers of the community; others to parties and staff."""
    if user.id in (wish.resident_id, wish.posted_by_id) or user.id in claimer_ids:
        return True
    chain = _chain_of_wish(wish)
    if any(has_role(user, r, chain) for r in STAFF_ROLES):
        return True
    if wish.status == "published":
        return is_volunteer_in(user, wish.community_id) or is_unit_admin_in(user, wish.community_id)
    return False


def can_see_contact(user: User, wish: Wish, active_claimer_ids: set[int]) -> str | None:
    """Why the user may see the resident's phone and address, or None (DESIGN §2)."""
    if user.id in active_claimer_ids:
        return "active_claim"
    if is_grid_staff(user, wish):
        return "grid_staff"
    return None


def can_post_own_wish(user: User) -> bool:
    """A resident with a home building posts wishes for themself."""
    return has_role(user, "resident") and getattr(user, "building", None) is not None
