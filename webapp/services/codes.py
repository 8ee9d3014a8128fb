"""Rotating codes shown as a QR on someone's phone (issue 24): a signed token of (kind, id,
30-second window), taken in its own window and the one before — at most 60 s old — so a photo
sent home stops working. Signed with the app's SECRET_KEY (itsdangerous, a salt per kind);
nothing is stored. Used by a project session's check-in code (lists/checkin.py) and a wish's
service code (wishes/service_code.py)."""
import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, Signer

from .errors import Conflict, NotFound

WINDOW = 30  # seconds: the code on screen changes this often


def _signer(salt: str) -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt=salt, digest_method=hashlib.sha256)


def window(now) -> int:
    """The 30-second window `now` falls in."""
    return int(now.timestamp()) // WINDOW


def make(salt: str, object_id: int, now) -> str:
    """The token for `object_id` during `now`'s window."""
    return _signer(salt).sign(f"{object_id}-{window(now)}").decode()


def read(salt: str, token: str, now) -> int:
    """The id in a code read at `now`, or a refusal: a code of the current or the previous
    window only; a forged or mangled code (or one of another kind) is not found."""
    try:
        raw = _signer(salt).unsign(str(token or "")[:120]).decode()
        oid, win = (int(x) for x in raw.split("-"))
    except (BadSignature, ValueError, UnicodeDecodeError):
        raise NotFound(_l("这个二维码无效，请扫描屏幕上显示的二维码。"), code="code_invalid") from None
    if not window(now) - 1 <= win <= window(now):
        raise Conflict(_l("这个二维码已过期（每 30 秒更新），请扫描屏幕上最新的二维码。"),
                       code="code_expired")
    return oid
