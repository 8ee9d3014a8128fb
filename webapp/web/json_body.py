"""The JSON body of a request, read once and strictly: an object, at most 64 KB, no NaN."""
import json

from flask import request
from flask_babel import gettext as _

from ..services.errors import DomainError

MAX_BODY_BYTES = 64 * 1024


class BadBody(DomainError):
    status = 400
    code = "bad_json"


def _reject_constant(name):
    raise ValueError(name)


def raw_json():
    """The request body as a JSON object (400 with a message when it is not one)."""
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise BadBody(_("提交的内容太大了（最多 64 KB）。"), code="too_large")
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadBody(_("请求体不是有效的 JSON，请以 application/json 提交一个 JSON 对象。")) from None
    if not isinstance(data, dict):
        raise BadBody(_("请求体应为一个 JSON 对象，例如 {\"title\": \"...\"}。"))
    return data
