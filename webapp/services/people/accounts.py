"""Accounts: sign-up (with 报到 registrations), login, API tokens."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ...db import begin_write
from ...models import ApiToken, Org, Registration, RoleGrant, Unit, User, utcnow
from ..errors import Forbidden, Invalid, NotFound
from ..notify.notify import tell_community
from . import identity, password_rules, units
from .passwords import hash_password, verify_password
from .sessions import end_sessions


def register(session, data) -> tuple[User, Registration | None]:
    """Create a user from a validated `Register`; members and unit admins get a pending 报到."""
    begin_write(session)
    building = session.get(Org, data.building_id)
    if building is None or building.kind != "building" or not building.active:
        raise Invalid({"building_id": _l("请选择所在楼栋。")})
    if not data.consent:
        raise Invalid({"consent": _l("请阅读并同意个人信息使用说明。")})
    password_rules.require(data.password, data.phone)
    existing = session.scalar(select(User).where(User.phone == data.phone))
    if existing is not None and existing.password_hash is None:
        # Imported or registered by staff, never signed in: claim it with a code instead.
        raise Invalid({"phone": _l("社区已为这个手机号建好账号，请在登录页用验证码激活。")})
    if existing is not None:
        raise Invalid({"phone": _l("这个手机号已注册，请直接登录。")})
    proven = None
    from .signin_codes import check_code, template
    # Without a code template no code can reach anyone: the phone then stays unproven.
    if current_app.config.get("SIGNUP_PHONE_PROOF") and template() is not None:
        # The code is spent (or its miss counted) here, before the rest of the sign-up.
        if not check_code(session, data.phone, getattr(data, "code", None) or "", "phone"):
            raise Invalid({"code": _l("验证码不对或已过期，请重新获取。")})
        proven = utcnow()
        begin_write(session)
    unit = None
    if data.role == "member" and data.unit_id is not None:
        unit = session.get(Unit, data.unit_id)
        if unit is None or unit.status != "approved":
            raise Invalid({"unit_id": _l("请选择已报到的单位。")})
    if data.role == "unit_admin" and not data.unit_name:
        raise Invalid({"unit_name": _l("请填写单位名称。")})
    user = User(phone=data.phone, name=data.name, password_hash=hash_password(data.password),
                building_id=building.id, address=data.address, skills=data.skills,
                unit_id=unit.id if unit else None, phone_verified_at=proven,
                activated_at=utcnow())  # signed in at once: the first sign-in
    session.add(user)
    session.flush()
    # Everyone lives somewhere: the resident role is granted at once, in the home building.
    session.add(RoleGrant(user_id=user.id, role="resident", org_id=building.id))
    reg = None
    if data.role == "member":
        reg = Registration(kind="personal", user_id=user.id, community_id=building.community_id,
                           unit_id=user.unit_id)
    elif data.role == "unit_admin":
        new_unit = Unit(name=data.unit_name, community_id=building.community_id,
                        status="pending", contact_name=data.name)
        session.add(new_unit)
        session.flush()
        user.unit_id = new_unit.id
        reg = Registration(kind="unit", user_id=user.id, community_id=building.community_id,
                           unit_id=new_unit.id)
    if reg is not None:
        session.add(reg)
        tell_community(session, reg.community_id, "registration_submitted", note=user.name,
                       url="/admin/registrations")
    if unit is not None:  # a member named a unit: its admin is asked to confirm them
        session.flush()
        units.tell_named(session, user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Invalid({"phone": _l("这个手机号已注册，请直接登录。")}) from None
    return user, reg


def authenticate(session, phone: str, password: str, now=None) -> User | None:
    """The active user with this phone and password, or None.

    A one-time password set by staff works until it expires and only once: its first sign-in
    spends it (the person then chooses their own password in that session). A spent or expired
    one is refused with a message, shown only to whoever knows it.
    """
    user = session.scalar(select(User).where(User.phone == phone))
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.active:
        return None
    now = now or utcnow()
    if user.must_change_password and user.password_expires_at is not None:
        if now >= user.password_expires_at:
            raise Forbidden(_l("这个一次性密码已经用过或已过期。请联系社区工作人员重新设置。"),
                            code="one_time_password_expired")
        begin_write(session)
        user.password_expires_at = now  # spent: the next sign-in with it is refused
        if user.activated_at is None:
            user.activated_at = now
        session.commit()
    if user.activated_at is None:  # the first sign-in of any kind activates the account
        begin_write(session)
        user.activated_at = now
        session.commit()
    return user


def issue_token(session, user: User, days: int = 30) -> str:
    """Create an API bearer token; only its hash is stored."""
    begin_write(session)
    raw = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hashlib.sha256(raw.encode()).hexdigest(),
                         expires_at=utcnow() + timedelta(days=days)))
    session.commit()
    return raw


def user_for_token(session, raw: str, lean: bool = False) -> User | None:
    """The user a bearer token belongs to, if it is valid and unexpired; with `lean`, a
    read-only twin from one Core statement (services/people/identity.py)."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    if lean:
        return identity.load_for_token(session, digest)
    # Token, user and grants in one statement: every API request pays for this lookup.
    tok = session.execute(select(ApiToken).where(ApiToken.token_hash == digest).options(
        joinedload(ApiToken.user).joinedload(User.roles))).unique().scalar_one_or_none()
    if tok is None or tok.expires_at < utcnow() or not tok.user.active:
        return None
    return tok.user


def revoke_token(session, raw: str) -> bool:
    """Forget a bearer token (a lost phone, a signed-out app); True if it existed."""
    begin_write(session)
    digest = hashlib.sha256(raw.encode()).hexdigest()
    gone = session.execute(delete(ApiToken).where(ApiToken.token_hash == digest)).rowcount
    session.commit()
    return bool(gone)


def log_out(session, user: User) -> None:
    """Sign the user out of every web session (a copied cookie stops working too); API tokens
    stay, they are revoked on their own (`revoke_token`) or by a password change."""
    begin_write(session)
    end_sessions(session, user.id, tokens=False)
    session.commit()


def get_user(session, user_id) -> User:
    """A user by id or NotFound."""
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound(code="user_not_found")
    return user


def set_preferences(session, user: User, locale: str | None = None,
                    elder_mode: bool | None = None) -> None:
    """Remember the user's language and elder mode."""
    begin_write(session)
    if locale is not None:
        user.locale = locale
    if elder_mode is not None:
        user.elder_mode = elder_mode
    session.commit()
