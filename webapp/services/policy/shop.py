"""The points shop (爱心超市): who exchanges, who runs the shelf, who offers goods."""
from ...models import User
from .core import has_role, is_volunteer_in, unit_ids_admined


def can_shop_in(user: User, community_id: int) -> bool:
    """Approved members of the community earn points there and exchange them."""
    return is_volunteer_in(user, community_id)


def can_run_shop(user: User, community_id: int) -> bool:
    """The community's admins list goods, hand them over and read the accounts."""
    return has_role(user, "community_admin", {community_id})


def can_offer_goods(user: User, unit) -> bool:
    """A unit's admins offer goods in the unit's name to the community it reported to."""
    return unit is not None and unit.status == "approved" and unit.id in unit_ids_admined(user)


def can_see_points(user: User, member: User, community_id: int) -> bool:
    """A member sees their own points; the community's admins see anyone's there."""
    return user.id == member.id or can_run_shop(user, community_id)


def shop_communities(user: User) -> set[int]:
    """Communities whose shop the user uses as a member or runs as an admin."""
    return ({g.org_id for g in user.roles if g.active and g.org_id
             and g.role in ("member", "community_admin")})
