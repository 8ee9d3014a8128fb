"""Request body limits: refused from the Content-Length, before a byte of the body is read.

Every request may carry at most `MAX_CONTENT_LENGTH` bytes (2 MB by default), the JSON API at
most `API_MAX_BODY_BYTES` (64 KB). A view that takes files says so with `@allow_body(key)`,
naming the setting of its own limit (`IMPORT_MAX_BYTES` for the Excel imports). A body without
a Content-Length (chunked) is cut off by Werkzeug at the same limit while it is read.
"""
from flask import Flask, abort, current_app, request

UPLOAD_MARGIN = 256 * 1024  # room for the multipart envelope around an uploaded file


def allow_body(config_key: str, margin: int = 0):
    """Decorator: this view accepts a body up to `app.config[config_key]` bytes, plus `margin`
    for the multipart envelope (so a file just over its own limit gets the view's own, clearer
    message rather than a bare 413)."""
    def mark(view):
        view.max_body_config = config_key  # functools.wraps of later decorators copies it
        view.max_body_margin = margin
        return view
    return mark


def request_limit() -> int | None:
    """The body limit of the current request's view, in bytes (None: no limit)."""
    cfg = current_app.config
    view = current_app.view_functions.get(request.endpoint or "")
    key = getattr(view, "max_body_config", None)
    if key:
        return cfg[key] + getattr(view, "max_body_margin", 0)
    if request.blueprint == "api":
        return cfg["API_MAX_BODY_BYTES"]
    return cfg["MAX_CONTENT_LENGTH"]


def _check_length():
    limit = request_limit()
    # Per request (Flask ≥ 3.1): the form parser and get_data() obey the view's own limit.
    request.max_content_length = limit
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def human_size(n: int) -> str:
    """2097152 → "2 MB", 65536 → "64 KB" (for the 413 message)."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    return f"{max(n // 1024, 1)} KB"


def init_app(app: Flask) -> None:
    """Check the length first of all, before CSRF or the rate limits read the form."""
    app.before_request_funcs.setdefault(None, []).insert(0, _check_length)
