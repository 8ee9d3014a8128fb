"""Domain errors: each carries a stable code, a message for the user, and an HTTP status."""
from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status = 400
    code = "bad_request"

    def __init__(self, message=None, code: str | None = None, fields: dict | None = None):
        super().__init__(str(message or self.code))
        self.message = message or _l("请求有误，请检查后重试。")
        if code:
            self.code = code
        self.fields = fields or {}


class Invalid(DomainError):
    """Bad input; `fields` maps field names to messages shown next to each field."""

    status = 422
    code = "invalid"

    def __init__(self, fields: dict, message=None):
        super().__init__(message or _l("填写有误，请按提示修改。"), fields=fields)


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class TooMany(DomainError):
    """A limit on how often something may be done was reached; the message says when to retry."""

    status = 429
    code = "too_many"


class Conflict(DomainError):
    """An illegal state change; the message says why and what to do."""

    status = 409
    code = "conflict"
