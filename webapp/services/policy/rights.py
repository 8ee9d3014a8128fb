"""People's rights and 等保 basics: second factor, idle sessions, a person's data, audit logs."""
from ...models import User
from .core import STAFF_ROLES, has_role, org_ids_for
from .people import can_manage_person

MFA_ROLES = ("community_admin", "street_admin")


def mfa_streets(user: User) -> set[int]:
    """Streets in which the user is an admin (community or street): a second factor applies
    there, and is required if the street says so."""
    out = set()
    for g in user.roles:
        if g.active and g.role in MFA_ROLES and g.org is not None:
            out.add(g.org.id if g.org.kind == "street" else g.org.street_id)
    return {s for s in out if s}


def may_use_mfa(user: User) -> bool:
    """Community and street admins may turn on a second factor (others need none)."""
    return bool(mfa_streets(user))


def is_staff(user: User) -> bool:
    """Holds a staff role (grid worker and above): a shorter idle time ends the session."""
    return any(g.active and g.role in STAFF_ROLES for g in user.roles)


def can_set_street_security(user: User, street_id: int | None) -> bool:
    """The street's security settings (require a second factor) and its audit export."""
    return bool(street_id) and has_role(user, "street_admin", {street_id})


def security_streets(user: User) -> set[int]:
    """Streets whose security page and audit logs the user may open."""
    return org_ids_for(user, "street_admin")


def can_reset_mfa(actor: User, person: User) -> bool:
    """A lost authenticator is reset by whoever covers the person (their admin above)."""
    return person.totp_secret is not None and can_manage_person(actor, person)


def can_act_on_data_of(actor: User, person: User) -> bool:
    """Staff see, download and correct a person's data for them only for a resident without a
    phone (who cannot sign in), and only when they cover the person."""
    return person.phone is None and can_manage_person(actor, person)
