"""Administration scopes: who runs a community or a street (logs, imports, registrations)."""
from ...models import User
from .core import has_role, org_ids_for


def is_street_admin(user: User, street_id: int | None) -> bool:
    """The admin of this street."""
    return bool(street_id) and has_role(user, "street_admin", {street_id})


def is_community_admin(user: User, community_id: int | None = None) -> bool:
    """The admin of this community (of any, when `community_id` is None)."""
    if community_id is None:
        return has_role(user, "community_admin")
    return has_role(user, "community_admin", {community_id})


def can_administer_community(user: User, community) -> bool:
    """Its community admin or the admin of its street: staff lists, admin log, rounds to read."""
    return is_community_admin(user, community.id) or is_street_admin(user, community.street_id)


def dev_sms_streets(user: User) -> set[int]:
    """Streets whose development-SMS page (codes included) the user may read: their own as
    street admin. Nobody else, community admins included (issue 22 §6)."""
    return org_ids_for(user, "street_admin")


def can_decide_registrations(user: User, community_id: int) -> bool:
    """报到 of a community are approved, rejected or undone by its admin."""
    return is_community_admin(user, community_id)


def may_import_into(user: User, kind: str, scope) -> bool:
    """Trees into one's street (street admin); people into a community one administers."""
    if scope.kind == "street":
        return kind == "tree" and is_street_admin(user, scope.id)
    return can_administer_community(user, scope)
