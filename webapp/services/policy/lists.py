"""The other two lists: resources (资源清单) and projects (项目清单)."""
from ...models import User
from .core import has_role, home_community_id, is_volunteer_in, unit_ids_admined

# ---- The other two lists: resources (资源清单) and projects (项目清单) ----


def can_manage_resource(user: User, community_id: int, unit_id: int | None) -> bool:
    """A unit's admins manage its resources; the community's admins manage the community's own."""
    if unit_id is not None:
        return unit_id in unit_ids_admined(user)
    return has_role(user, "community_admin", {community_id})


def may_book_at(user: User, resource) -> bool:
    """A resident of the owning community, or of a community the resource is opened to."""
    home = home_community_id(user)
    return home is not None and (home == resource.community_id or home in (resource.open_to or []))


def can_book_for(user: User, resident: User, resource) -> bool:
    """A resident books for themself; a grid worker or community admin for a resident of theirs."""
    if not may_book_at(resident, resource):
        return False
    if user.id == resident.id:
        return has_role(user, "resident")
    b = resident.building
    return has_role(user, "grid_worker", {b.grid_id}) or has_role(
        user, "community_admin", {b.community_id})


def project_side(user: User, project) -> str | None:
    """Which side of a project the user signs for: "community", "unit", or None."""
    if has_role(user, "community_admin", {project.community_id}):
        return "community"
    if project.unit_id in unit_ids_admined(user):
        return "unit"
    return None


def can_run_session(user: User, project) -> bool:
    """The responsible person, the unit's admins and the community's admins check people in."""
    return user.id == project.responsible_id or project_side(user, project) is not None


def can_serve_project(user: User, project) -> bool:
    """Approved members of the community from the unit, or any of them when the project allows."""
    return is_volunteer_in(user, project.community_id) and (
        project.any_member or user.unit_id == project.unit_id)


def can_attend_project(user: User, project) -> bool:
    """Residents of the project's community sign up to attend."""
    return has_role(user, "resident") and home_community_id(user) == project.community_id
