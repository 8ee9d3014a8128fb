"""The one authorization policy: who may see or do what, scoped by the grid tree."""
from flask_babel import lazy_gettext as _l

from ..models import User, Wish
from .errors import Forbidden

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


def is_volunteer_in(user: User, community_id: int) -> bool:
    """An approved member (双报到) of the community."""
    return has_role(user, "member", {community_id})


def is_unit_admin_in(user: User, community_id: int) -> bool:
    """A unit admin whose unit reported to this community."""
    return has_role(user, "unit_admin", {community_id})


def unit_ids_admined(user: User) -> set[int]:
    """Units the user administers."""
    return {g.unit_id for g in user.roles if g.active and g.role == "unit_admin" and g.unit_id}


def can_see_contact(user: User, wish: Wish, active_claimer_ids: set[int]) -> str | None:
    """Why the user may see the resident's phone and address, or None (DESIGN §2)."""
    if user.id in active_claimer_ids:
        return "active_claim"
    if is_grid_staff(user, wish):
        return "grid_staff"
    return None


def primary_role(user: User) -> str:
    """The role whose tab bar the user gets first."""
    names = user.role_names()
    for r in ("superadmin", "street_admin", "community_admin", "grid_worker", "unit_admin",
              "member", "resident"):
        if r in names:
            return r
    return "guest"


# --- Self-dealing (issue 10 §2): nobody earns, confirms or certifies hours on their own say-so.
# Each rule returns a refusal message or None; `refuse()` turns a message into a 403.

def refuse(refusal) -> None:
    """Raise Forbidden (403, code self_dealing) with the rule's message, if there is one."""
    if refusal:
        raise Forbidden(refusal, code="self_dealing")


def serve_refusal(volunteer_id: int, wish: Wish):
    """The resident of a wish never serves it (claim, unit assignment, dispatch)."""
    if volunteer_id == wish.resident_id:
        return _l("不能认领或承接自己的心愿，请由其他志愿者服务。")
    return None


def confirm_refusal(actor: User, volunteer_ids: set[int]):
    """Whoever confirms a service is never one of its volunteers."""
    if actor.id in volunteer_ids:
        return _l("您是这个心愿的志愿者，不能确认自己的服务；请由居民或网格员确认。")
    return None


def hours_review_refusal(actor: User, volunteer_id: int, wish: Wish | None):
    """Staff never approve, adjust or correct their own hours, nor those of a wish they posted."""
    if actor.id == volunteer_id:
        return _l("不能审核或调整自己的服务时长，请由本社区其他管理员处理。")
    if wish is not None and actor.id == wish.posted_by_id:
        return _l("这个心愿是您登记的，不能审核它的服务时长，请由本社区其他管理员处理。")
    return None


def certify_refusal(actor: User, volunteer_id: int):
    """Staff never certify their own hours."""
    if actor.id == volunteer_id:
        return _l("不能为自己出具志愿服务证明，请由本社区其他管理员出具。")
    return None


def estimate_is_independent(wish: Wish, volunteer_id: int) -> bool:
    """Auto-approval needs an estimate someone other than the volunteer typed (the poster)."""
    return wish.posted_by_id != volunteer_id and wish.resident_id != volunteer_id


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


# ---- The other two lists: resources (资源清单) and projects (项目清单) ----

def home_community_id(user: User) -> int | None:
    """The community a person lives in (their building's), or None."""
    b = getattr(user, "building", None)
    return b.community_id if b is not None else None


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


# ---- 结对联户 and 双向评议 (services/pairing) ----

def can_pair_in(user: User, community_id: int | None) -> bool:
    """Pairing members with households, and its coverage: the community admin."""
    return bool(community_id) and has_role(user, "community_admin", {community_id})


def can_see_care(user: User, household: User) -> bool:
    """Care tags (独居老人, 残疾, 困难家庭) are private to the household's grid staff."""
    b = household.building
    return b is not None and (has_role(user, "grid_worker", {b.grid_id})
                              or has_role(user, "community_admin", {b.community_id}))


def can_run_evaluation(user: User, community_id: int) -> bool:
    """Open, score, close, publish and reopen a community's 双向评议: its admin."""
    return has_role(user, "community_admin", {community_id})


def can_answer_evaluation(user: User, unit_id: int) -> bool:
    """A unit answers about the community and writes its own report: the unit's admins."""
    return unit_id in unit_ids_admined(user)
