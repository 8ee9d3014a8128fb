"""One-time codes by SMS (sign-in, recovery, activation, proof of a phone) and printed
activation slips: random, hashed at rest, single use, at most 5 wrong tries."""
import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ...db import begin_write
from ...models import Outbox, SignInCode, User, utcnow
from ..notify import sms
from . import password_rules
from .passwords import hash_password
from .sessions import end_sessions

log = logging.getLogger(__name__)
CODE_TTL = timedelta(minutes=5)
SLIP_TTL = timedelta(days=30)
MAX_TRIES = 5
# Read aloud at the door: no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes.
SLIP_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
SLIP_LEN = 8
# Ahead of every bulk message in the outbox's (next_attempt_at, id) order, and never held
# by quiet hours: the person is waiting for it with the page open.
AHEAD = timedelta(days=1)


def _digest(code: str) -> str:
    """HMAC with the app's secret: a leaked table alone does not give 10⁶ guesses offline."""
    key = str(current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, code.strip().upper().encode(), hashlib.sha256).hexdigest()


def template() -> dict | None:
    """The approved code template (SMS_TEMPLATES["code"]: {"code": …, "params": {"code": …}});
    with the development provider, its built-in one when none is configured."""
    from ..notify import devsms
    cfg = current_app.config
    return (cfg.get("SMS_TEMPLATES") or {}).get("code") or (
        devsms.CODE_TEMPLATE if sms.is_dev(cfg) else None)


def _community(session, user: User | None) -> int | None:
    from ..notify.channels import _community_of
    return _community_of(session, {user.id: user}, None).get(user.id) if user else None


def community_for_phone(session, phone: str) -> int | None:
    """The community an account of `phone` belongs to (its per-community code limit)."""
    return _community(session, session.scalar(select(User).where(User.phone == phone)))


def send_code(session, phone: str, purpose: str = "signin", now=None) -> str:
    """Make a fresh code for `phone` and queue its SMS; returns the code (tests, the dev page).
    The same work is done whether or not the number has an account (no enumeration); the SMS
    goes out to an active account's number, or to any number when proving it (purpose phone)."""
    now = now or utcnow()
    begin_write(session)
    user = session.scalar(select(User).where(User.phone == phone))
    session.execute(update(SignInCode).where(
        SignInCode.phone == phone, SignInCode.purpose == purpose, SignInCode.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    code = f"{secrets.randbelow(10**6):06d}"
    session.add(SignInCode(phone=phone, user_id=user.id if user else None, purpose=purpose,
                           code_hash=_digest(code), created_at=now, expires_at=now + CODE_TTL))
    tpl = template()
    if tpl and user is not None and user.is_demo and sms.reaches_outside(current_app.config):
        tpl = None  # a demo account's number is a stranger's (issue 30 §1): never texted
        log.info("sms code not sent: demo account %s", user.id)
    if tpl and (purpose == "phone" or (user is not None and user.active)):
        params = {var: code for var in (tpl.get("params") or {"code": "code"})}
        session.add(Outbox(notification_id=None, channel="sms", phone=phone,
                           community_id=_community(session, user), template=str(tpl["code"]),
                           params=params, status="pending", next_attempt_at=now - AHEAD,
                           created_at=now))
    session.commit()
    return code


def check_code(session, phone: str, code: str, purpose: str = "signin", now=None) -> bool:
    """Spend the live code of `phone` if `code` matches; a miss counts, the 5th kills it.
    Commits either way (a miss must be counted even when the caller fails afterwards)."""
    now = now or utcnow()
    begin_write(session)
    row = session.scalar(select(SignInCode).where(
        SignInCode.phone == phone, SignInCode.purpose == purpose, SignInCode.used_at.is_(None),
        SignInCode.expires_at > now).order_by(SignInCode.id.desc()).limit(1).with_for_update())
    if row is None:
        session.commit()
        return False
    if hmac.compare_digest(row.code_hash, _digest(code or "")):
        row.used_at = now
        session.commit()
        return True
    row.tries = (row.tries or 0) + 1
    if row.tries >= MAX_TRIES:
        row.used_at = now
    session.commit()
    return False


def mark_activated(session, user: User, now=None) -> None:
    """The first successful sign-in of any kind activates the account (caller commits)."""
    if user.activated_at is None:
        user.activated_at = now or utcnow()


def _signed_in(session, user: User, now, *, proven: bool = True) -> User:
    if proven:
        user.phone_verified_at = now
    mark_activated(session, user, now)
    session.commit()
    return user


def sign_in(session, phone: str, code: str, now=None) -> User | None:
    """The active account of `phone` if `code` is its live sign-in code; else None."""
    now = now or utcnow()
    if not check_code(session, phone, code, "signin", now):
        return None
    user = session.scalar(select(User).where(User.phone == phone))
    if user is None or not user.active:
        return None
    begin_write(session)
    return _signed_in(session, user, now)


def recover(session, phone: str, code: str, new_password: str, now=None) -> User | None:
    """忘记密码: the code proves the phone, the new password replaces the old, every other
    sign-in and API token of the account ends. None when the code is wrong."""
    password_rules.require(new_password, phone, "new_password")
    user = sign_in(session, phone, code, now)
    if user is None:
        return None
    begin_write(session)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    end_sessions(session, user.id)
    session.commit()
    return user


def prove_phone(session, user: User, phone: str, code: str, now=None) -> bool:
    """A phone change (or a sign-up's number) takes effect only with its code."""
    now = now or utcnow()
    if not check_code(session, phone, code, "phone", now):
        return False
    begin_write(session)
    user.phone = phone
    user.phone_verified_at = now
    session.commit()
    return True


def phone_taken(session, phone: str, user_id: int) -> bool:
    """Whether another account already has this number (a phone change cannot take it)."""
    return session.scalar(select(User.id).where(User.phone == phone, User.id != user_id)) \
        is not None


def staff_reset(session, person: User, now=None) -> bool:
    """A staff reset of a proven phone: the person gets a code, staff get nothing to read out.
    False when the phone is unproven (the caller falls back to a one-time password)."""
    if not person.phone or person.phone_verified_at is None or not person.active:
        return False
    send_code(session, person.phone, "signin", now)
    return True


def make_slip(session, user: User, now=None) -> str:
    """A printed activation code for `user` (caller commits): 8 characters read aloud, 30 days."""
    now = now or utcnow()
    session.execute(update(SignInCode).where(
        SignInCode.user_id == user.id, SignInCode.purpose == "slip",
        SignInCode.used_at.is_(None)).values(used_at=now)
        .execution_options(synchronize_session=False))
    code = "".join(secrets.choice(SLIP_ALPHABET) for _ in range(SLIP_LEN))
    session.add(SignInCode(phone=None, user_id=user.id, purpose="slip", code_hash=_digest(code),
                           created_at=now, expires_at=now + SLIP_TTL))
    return code


def redeem_slip(session, code: str, now=None) -> User | None:
    """The account a live slip code opens (once); None otherwise. Slip codes have 40 bits
    and are rate-limited per IP by the caller, so a miss is not pinned to any one slip."""
    now = now or utcnow()
    cleaned = "".join(c for c in (code or "").upper() if c.isalnum())
    begin_write(session)
    row = session.scalar(select(SignInCode).where(
        SignInCode.purpose == "slip", SignInCode.code_hash == _digest(cleaned),
        SignInCode.used_at.is_(None), SignInCode.expires_at > now).with_for_update())
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.active:
        session.commit()
        return None
    row.used_at = now
    return _signed_in(session, user, now, proven=False)
