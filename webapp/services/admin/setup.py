"""Set-up from nothing (`flask setup`): a street and its first street admin."""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...db import begin_write
from ...models import Org, RoleGrant, User, utcnow
from ..errors import Conflict
from ..people import orgs, password_rules
from ..people.passwords import hash_password
from . import adminlog

# No look-alikes (0/O, 1/l/I): a one-time password is read out over the phone.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


def one_time_password(length: int = 12) -> str:
    """A strong one-time password (≈70 bits), easy to read aloud."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def otp_expiry(now=None):
    """Until when a one-time password works (ONE_TIME_PASSWORD_HOURS, 72 by default)."""
    hours = current_app.config.get("ONE_TIME_PASSWORD_HOURS", 72)
    return (now or utcnow()) + timedelta(hours=hours)


@dataclass
class SetupResult:
    street: Org
    admin: User
    temporary_password: str | None  # shown once, only when it was generated here
    existing_account: bool  # the phone already had an account: its password is unchanged


def find_street(session, name: str) -> Org | None:
    """The street with this name (spaces around it ignored), if any."""
    return session.scalar(select(Org).where(Org.kind == "street",
                                            func.trim(Org.name) == name.strip()))


def create_street(session, data, now=None) -> SetupResult:
    """Create the street and grant its first street admin, in one transaction.

    An existing street name is refused (nothing changes); a new name adds another street. A
    phone that already has an account gets the role and keeps its password.
    """
    begin_write(session)
    if find_street(session, data.street) is not None:
        session.rollback()
        raise Conflict(_l("街道“%(name)s”已经存在，未做任何更改。", name=data.street),
                       code="street_exists")
    street = orgs.add_org(session, "street", data.street.strip())
    user, temp, existing = _account(session, data, now)
    session.add(RoleGrant(user_id=user.id, role="street_admin", org_id=street.id))
    adminlog.record(session, None, "setup", street, target=user,
                    summary=f"{street.name} · {user.name}", now=now,
                    details={"existing_account": existing, "generated_password": temp is not None})
    session.commit()
    return SetupResult(street, user, temp, existing)


def _account(session, data, now) -> tuple[User, str | None, bool]:
    """The admin's account by phone, or a new one (the given password, else a one-time one)."""
    user = session.scalar(select(User).where(User.phone == data.admin_phone))
    if user is not None:
        return user, None, True
    password = data.password
    temp = None
    if password is None:
        password = temp = one_time_password()
    else:
        password_rules.require(password, data.admin_phone)
    user = User(phone=data.admin_phone, name=data.admin_name,
                password_hash=hash_password(password), must_change_password=temp is not None,
                password_expires_at=otp_expiry(now) if temp else None)
    session.add(user)
    session.flush()
    return user, temp, False


def add_street_admin(session, data, now=None) -> SetupResult:
    """`flask setup --add-admin`: one more street admin of an existing street, by the server's
    operator (a street admin does the same on the staff page); logged like an appointment."""
    begin_write(session)
    street = find_street(session, data.street)
    if street is None:
        session.rollback()
        raise Conflict(_l("没有名为“%(name)s”的街道，未做任何更改。", name=data.street),
                       code="street_not_found")
    user, temp, existing = _account(session, data, now)
    if not user.active:
        session.rollback()
        raise Conflict(_l("这个账号已停用，请先恢复账号再任命。"), code="account_inactive")
    grant = session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == user.id, RoleGrant.role == "street_admin",
        RoleGrant.org_id == street.id))
    if grant is not None and grant.active:
        session.rollback()
        raise Conflict(_l("%(name)s 已经是%(title)s了。", name=user.name,
                          title=f"{street.name}{_l('街道管理员')}"), code="already_appointed")
    if grant is None:
        grant = RoleGrant(user_id=user.id, role="street_admin", org_id=street.id)
        session.add(grant)
    grant.active, grant.created_at, grant.granted_by_id = True, now or utcnow(), None
    session.flush()
    session.refresh(user, ["roles"])
    adminlog.record_on_person(session, None, "appoint", street, user, now=now,
                              summary=f"{user.name} → {street.name}{_l('街道管理员')}",
                              details={"role": "street_admin", "grant_id": grant.id,
                                       "new_account": not existing, "by": "flask setup"})
    session.commit()
    return SetupResult(street, user, temp, existing)
