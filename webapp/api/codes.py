"""API: SMS codes — a challenge, send a code, and exchange phone + code for a bearer token."""
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from ..web import guard
from ..extensions import db
from ..schemas.inputs import CodeSend, CodeSignIn
from ..services.errors import DomainError
from ..services.people import signin_codes
from . import bp
from .common import token_answer, body, reply


class ChallengeNeeded(DomainError):
    status = 422
    code = "challenge_required"


class TooMany(DomainError):
    status = 429
    code = "too_many_codes"


class BadCode(DomainError):
    status = 401
    code = "bad_code"


@bp.get("/codes/challenge")
def code_challenge():
    """A fresh ALTCHA challenge: solve it (SHA-256 of salt + number) before POST /codes."""
    return reply(guard.new_challenge())


@bp.post("/codes")
def send_code():
    """Send a sign-in code to a phone. The answer is the same whether or not it has an account."""
    data = body(CodeSend)
    if not guard.challenge_ok(data.altcha):
        raise ChallengeNeeded(_("请先完成安全验证（GET /api/v1/codes/challenge）。"))
    wait = guard.over_limit(data.phone, get_remote_address(),
                            signin_codes.community_for_phone(db.session, data.phone))
    if wait:
        raise TooMany(wait)
    signin_codes.send_code(db.session, data.phone, "signin")
    return reply({"sent": True, "expires_in": int(signin_codes.CODE_TTL.total_seconds())}, 202)


@bp.post("/tokens/code")
def token_by_code():
    """Exchange phone and a live sign-in code for a bearer token (the code is spent)."""
    data = body(CodeSignIn)
    busy = guard.verify_over_limit(get_remote_address())
    if busy:
        raise TooMany(busy)
    user = signin_codes.sign_in(db.session, data.phone, data.code)
    if user is None:
        raise BadCode(_("验证码不对或已过期。"))
    return token_answer(user)
