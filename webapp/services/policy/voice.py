"""Who may raise, read and answer a resident's complaint (反映问题), and settle a "没办好"."""
from ...models import Complaint, User, Wish
from .core import has_role, unit_ids_admined


def can_raise_complaint(user: User, recipient_ids: set[int]) -> bool:
    """Only whoever received the service (the resident, booker, attendee, household) raises it."""
    return user.id in recipient_ids


def can_answer_complaint(user: User, c: Complaint) -> bool:
    """The community's admins answer every problem raised in their community."""
    return has_role(user, "community_admin", {c.community_id})


def can_close_complaint(user: User, c: Complaint) -> bool:
    """Only the author says whether the answer solved the problem."""
    return user.id == c.author_id


def can_view_complaint(user: User, c: Complaint, party_ids: set[int]) -> bool:
    """The author, the community's admins, and the side it is about (its volunteers, its unit)."""
    return (user.id == c.author_id or can_answer_complaint(user, c) or user.id in party_ids
            or (c.unit_id is not None and c.unit_id in unit_ids_admined(user)))


def sees_author(user: User, c: Complaint) -> bool:
    """Anonymous hides the author from the volunteer and the unit, never from staff."""
    return not c.anonymous or user.id == c.author_id or can_answer_complaint(user, c)


def can_settle_dispute(user: User, wish: Wish) -> bool:
    """A reopened wish ("没办好") is reviewed by its community's admins."""
    return has_role(user, "community_admin", {wish.community_id})
