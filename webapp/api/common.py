"""API plumbing: the bearer-token decorator, strict JSON bodies, JSON-safe output."""
import typing
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import wraps

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel

from ..web.errors import error_response
from ..extensions import db
from ..web.json_body import raw_json
from ..web.safe_methods import SAFE
from ..schemas import parse, parse_each, parse_query
from ..services.people import accounts
from ..services.errors import Invalid
from ..models.base import MAX_ID

MAX_TOKEN_CHARS = 200
# What a token whose user must change a one-time password may still call.
PASSWORD_CHANGE_ALLOWED = {"api.change_my_password", "api.revoke_token"}


def bearer() -> str | None:
    """The raw bearer token of this request, or None."""
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw or len(raw) > MAX_TOKEN_CHARS:
        return None
    return raw


def token_required(view):
    """Serve the view only with a valid bearer token; the token's user is `g.api_user`."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        raw = bearer()
        # A read-only call gets the lean identity; a write the ORM user its services change.
        user = (accounts.user_for_token(db.session, raw, lean=request.method in SAFE)
                if raw else None)
        if user is None:
            return error_response(401, "unauthorized",
                                  _("请先获取令牌：POST /api/v1/tokens，并在请求头中携带 "
                                    "Authorization: Bearer <token>。"),
                                  headers={"WWW-Authenticate": 'Bearer realm="wishgrid"'})
        g.api_user = user
        g._login_user = user  # current_user (language etc.) is the token's user
        if user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ALLOWED:
            # A one-time password (set up, reset, appointed) opens nothing but its own change.
            return error_response(403, "password_change_required",
                                  _("请先设置新密码：POST /api/v1/me/password。"))
        return view(*args, **kwargs)

    wrapper.api_auth = True  # read by the OpenAPI builder
    return wrapper


def me():
    """The user of the current API request."""
    return g.api_user


def _walk_bad(value):
    """A message if a nested value cannot be stored safely, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
        return _("数字超出范围。")
    if isinstance(value, str) and "\x00" in value:
        return _("包含无效字符。")
    if isinstance(value, list):
        return next((m for m in map(_walk_bad, value) if m), None)
    if isinstance(value, dict):
        return next((m for m in map(_walk_bad, value.values()) if m), None)
    return None


def _guard(schema: type[BaseModel], data: dict) -> None:
    """Refuse what pydantic's lax mode would let through: true as 1, huge ids, NUL bytes."""
    fields = {}
    for key, value in data.items():
        field = schema.model_fields.get(key)
        if field is None:
            continue
        if isinstance(value, bool) and field.annotation not in (bool, "bool") and (
                bool not in typing.get_args(field.annotation)):  # Optional[bool] takes true too
            fields[key] = _("类型不正确。")
        elif (msg := _walk_bad(value)) is not None:
            fields[key] = msg
    if fields:
        raise Invalid(fields)


def body(schema: type[BaseModel] | None):
    """The request's JSON object validated into `schema` (400 if not JSON, 422 if invalid)."""
    data = raw_json()
    if schema is None:
        return data
    _guard(schema, data)
    return parse(schema, data)


def body_each(schema: type[BaseModel]):
    """Like body(), but (model of the valid fields, {field: message}) so the service can
    report its own checks together with these (one round of errors)."""
    data = raw_json()
    _guard(schema, data)
    return parse_each(schema, data)


def query(schema: type[BaseModel]):
    """The query string validated into `schema` (422 with a message per parameter)."""
    _guard(schema, request.args.to_dict())
    return parse_query(schema, request.args)


def token_answer(user):
    """A new bearer token for a user who just proved who they are (password or code): 201."""
    token = accounts.issue_token(db.session, user, current_app.config["API_TOKEN_DAYS"])
    return reply({"token": token, "token_type": "Bearer", "user_id": user.id,
                  "password_change_required": bool(user.must_change_password)}, 201)


def plain(obj):
    """Make service dicts JSON-safe: ISO 8601 datetimes with offset, numbers, plain strings."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [plain(v) for v in obj]
    if isinstance(obj, datetime):
        return (obj if obj.tzinfo else obj.replace(tzinfo=timezone.utc)).isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return float(obj)
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return str(obj)  # lazy translated strings


def reply(obj, status: int = 200):
    """A JSON response."""
    return jsonify(plain(obj)), status
