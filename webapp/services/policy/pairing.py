"""结对联户 and 双向评议 (services/pairing)."""
from ...models import User
from .core import has_role, org_ids_for, unit_ids_admined

# ---- 结对联户 and 双向评议 (services/pairing) ----

def can_pair_in(user: User, community_id: int | None) -> bool:
    """Pairing members with households, and its coverage: the community admin."""
    return bool(community_id) and has_role(user, "community_admin", {community_id})


def can_see_care(user: User, household: User) -> bool:
    """Care tags (独居老人, 残疾, 困难家庭) are private to the household's grid staff."""
    b = household.building
    return b is not None and (has_role(user, "grid_worker", {b.grid_id})
                              or has_role(user, "community_admin", {b.community_id}))


def care_scope(user: User) -> tuple[set[int], set[int]]:
    """can_see_care as sets for a query: the grids and the communities whose households'
    care tags the user sees."""
    return org_ids_for(user, "grid_worker"), org_ids_for(user, "community_admin")


def can_run_evaluation(user: User, community_id: int) -> bool:
    """Open, score, close, publish and reopen a community's 双向评议: its admin."""
    return has_role(user, "community_admin", {community_id})


def can_answer_evaluation(user: User, unit_id: int) -> bool:
    """A unit answers about the community and writes its own report: the unit's admins."""
    return unit_id in unit_ids_admined(user)
