"""Safe methods stay safe: a GET, HEAD or OPTIONS request can never change anything.

Two guards under the views, so one view written `if request.method == "GET": … else: write`
cannot reopen the hole (a HEAD used to be handled as a POST, without CSRF or POST limits):

1. The body of a safe request is dropped before Flask sees it (WSGI level): `request.form`,
   `files` and `get_json()` are empty whatever the client sent, so no form handler has
   anything to act on.
2. HEAD and OPTIONS mark the database session read-only (`GuardedSession`): any commit becomes
   a rollback. GET keeps its legitimate writes (the disclosure log when contact is shown);
   HEAD shows nothing, so it records nothing.
"""
import io

from flask import Flask, request

from ..extensions import db

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
NO_CONTENT = frozenset({"HEAD", "OPTIONS"})


class DropSafeBodies:
    """WSGI middleware: a GET/HEAD/OPTIONS request reaches the app with an empty body."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD", "GET").upper() in SAFE:
            # The server drains what the client sent before the next request on the connection.
            environ["wsgi.input"] = io.BytesIO(b"")
            environ["CONTENT_LENGTH"] = "0"
            environ.pop("CONTENT_TYPE", None)
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.wsgi_app(environ, start_response)


def _read_only():
    if request.method in NO_CONTENT:
        db.session().info["read_only"] = True


def _writable(_exc=None):
    # The scoped session can outlive the request (tests keep one app context): unmark it.
    if request.method in NO_CONTENT:
        db.session().info.pop("read_only", None)


def init_app(app: Flask) -> None:
    """Install both guards (call it last, so the body is dropped before any other middleware)."""
    app.wsgi_app = DropSafeBodies(app.wsgi_app)
    app.before_request_funcs.setdefault(None, []).insert(0, _read_only)
    app.teardown_request(_writable)
