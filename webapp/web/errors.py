"""Error handling: domain errors → 4xx with a clear message (JSON for the API), never a 500."""
import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .body_limits import human_size, request_limit
from ..extensions import db
from ..services.errors import DomainError

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """API paths and JSON clients get JSON errors."""
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def error_response(status: int, code: str, message, fields: dict | None = None, headers=None):
    """One error, as JSON `{"error": {...}}` or as a page/fragment in the user's language."""
    message = str(message)
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if fields:
            body["error"]["fields"] = {k: str(v) for k, v in fields.items()}
        return jsonify(body), status, headers or {}
    template = "partials/_error.html" if request.headers.get("HX-Request") else "error.html"
    return render_template(template, status=status, code=code, message=message,
                           fields=fields or {}), status, headers or {}


def transient(orig) -> bool:
    """A write the database could not do now, its transaction undone whole, that succeeds when
    tried again: SQLite busy or locked, or PostgreSQL's transaction-rollback class (SQLSTATE
    40: a deadlock, a serialization failure)."""
    text = str(orig).lower()
    state = getattr(orig, "sqlstate", None)
    return "locked" in text or "busy" in text or (isinstance(state, str)
                                                  and state.startswith("40"))


def init_app(app):
    """Register the handlers."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        db.session.rollback()
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_response(400, "csrf", _("页面已过期，请刷新后再提交。"))

    @app.errorhandler(OperationalError)
    def _locked(exc):
        db.session.rollback()
        if transient(exc.orig):
            return error_response(503, "busy", _("系统繁忙，请稍后重试。"),
                                  headers={"Retry-After": "1"})
        log.exception("database error")
        return error_response(500, "server_error", _("系统出错了，请稍后再试。"))

    @app.errorhandler(413)
    def _too_large(exc):
        # Say the limit; never echo any of the body (it was not read).
        limit = request_limit()
        message = (_("提交的内容太大了（最多 %(size)s），请减少内容或分开提交。",
                     size=human_size(limit)) if limit else _("提交的内容太大了。"))
        return error_response(413, "too_large", message)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        messages = {
            400: _("请求有误，请检查后重试。"), 401: _("请先登录。"),
            403: _("您没有权限进行这个操作。"), 404: _("找不到这个页面。"),
            405: _("不支持这种请求方式。"), 413: _("提交的内容太大了。"),
            429: _("操作太频繁了，请稍后再试。"),
        }
        return error_response(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"),
                              messages.get(exc.code, exc.description))

    @app.errorhandler(Exception)
    def _unexpected(exc):
        db.session.rollback()
        log.exception("unhandled error")
        return error_response(500, "server_error", _("系统出错了，请稍后再试。"))
