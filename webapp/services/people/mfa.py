"""A second factor for admins (等保 basics): TOTP (RFC 6238) with pyotp, the enrolment QR code
with segno, and a street's requirement.

Recovery: no printed backup codes (they end up in a drawer next to the password). A lost
phone is reset by whoever covers the admin (a street admin for a community admin); a street
admin, whom no fellow covers, by the server's operator (`flask mfa-reset`). Every reset is in
the admin log and ends the person's sessions, and the person enrols again at the next sign-in.
"""
import pyotp
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...db import begin_write
from ...models import Org, User, utcnow
from .. import policy
from ..errors import Conflict, Forbidden, Invalid
from ..ledger.certificates import qr_svg
from .sessions import end_sessions

ISSUER = "网格微心愿"
SETTING = "require_admin_totp"


def enabled(user: User) -> bool:
    """The user signs in with a second factor."""
    return user.totp_enabled_at is not None


def required(session, user: User) -> bool:
    """A street the user administers in requires a second factor of its admins."""
    streets = policy.mfa_streets(user)
    if not streets:
        return False
    rows = session.scalars(select(Org.settings).where(Org.id.in_(streets))).all()
    return any((s or {}).get(SETTING) for s in rows)


def street_requires(street: Org) -> bool:
    """The street's own setting."""
    return bool((street.settings or {}).get(SETTING))


def begin(session, user: User) -> dict:
    """A new secret, not live until confirmed; {"secret", "uri", "svg"} for the enrolment page."""
    if not policy.may_use_mfa(user):
        raise Forbidden(_l("只有社区和街道管理员需要设置两步验证。"))
    if enabled(user):
        raise Conflict(_l("两步验证已经开启。"), code="mfa_enabled")
    begin_write(session)
    user.totp_secret = pyotp.random_base32()
    session.commit()
    return pending(user)


def pending(user: User) -> dict:
    """The enrolment data of a secret not yet confirmed."""
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.phone or str(user.id), issuer_name=ISSUER)
    svg = qr_svg(uri, scale=5, title=_l("两步验证二维码"))
    return {"secret": user.totp_secret, "uri": uri, "svg": svg}


def _take(user: User, code: str, now) -> bool:
    """A code of this step or its neighbours (a phone's clock drifts), each step once only."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not user.totp_secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    step = totp.timecode(now)
    for s in (step, step - 1, step + 1):
        if (user.totp_last_step is None or s > user.totp_last_step) and pyotp.utils.strings_equal(
                totp.generate_otp(s), code):
            user.totp_last_step = s
            return True
    return False


def confirm(session, user: User, code: str, now=None) -> None:
    """The first code from the authenticator turns the second factor on (logged)."""
    from ..admin import adminlog
    now = now or utcnow()
    begin_write(session)
    if not user.totp_secret or enabled(user):
        raise Conflict(_l("请先开始设置两步验证。"), code="mfa_not_pending")
    if not _take(user, code, now):
        raise Invalid({"code": _l("验证码不对，请输入验证器上当前显示的 6 位数字。")})
    user.totp_enabled_at = now
    adminlog.record(session, user, "mfa_enable", policy.home_org(user), target=user, now=now,
                    summary=user.name)
    session.commit()


def check(session, user: User, code: str, now=None) -> bool:
    """The sign-in's second step: True when the code is right (and not used before)."""
    begin_write(session)
    ok = enabled(user) and _take(user, code, now or utcnow())
    session.commit()
    return ok


def reset(session, actor: User | None, person: User, now=None) -> None:
    """Turn the person's second factor off (lost phone); `actor` None: the server's operator.
    Logged in every scope of the person; their sessions end."""
    from ..admin import adminlog
    begin_write(session)
    if actor is not None and not policy.can_manage_person(actor, person):
        raise Forbidden(_l("只能为自己管辖范围内的人员重置两步验证。"))
    if person.totp_secret is None:
        raise Conflict(_l("这个账号没有开启两步验证。"), code="mfa_off")
    person.totp_secret = person.totp_enabled_at = person.totp_last_step = None
    end_sessions(session, person.id, tokens=True)
    adminlog.record_on_person(session, actor, "mfa_reset", policy.home_org(actor or person),
                              person, summary=person.name, now=now)
    session.commit()


def set_required(session, actor: User, street_id, on: bool, now=None) -> Org:
    """The street requires (or no longer requires) a second factor of its admins (logged)."""
    from ..admin import adminlog
    begin_write(session)
    street = session.get(Org, street_id) if isinstance(street_id, int) else None
    if street is None or street.kind != "street" or not policy.can_set_street_security(
            actor, street.id):
        raise Forbidden(_l("只有本街道的街道管理员可以修改安全设置。"))
    street.settings = {**(street.settings or {}), SETTING: bool(on)}
    adminlog.record(session, actor, "security", street, now=now,
                    summary=f"{SETTING}={'on' if on else 'off'}")
    session.commit()
    return street
