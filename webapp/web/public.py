"""The site's public address (`PUBLIC_URL`) and what follows from it.

Links that leave the site (the certificate's verification link and QR code, printed on paper)
are built from the configured address, never from the request's Host header, which any client
can set. Cookies are Secure whenever the request came over HTTPS or the public address is https.
"""
import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for
from flask.sessions import SecureCookieSessionInterface

log = logging.getLogger(__name__)

# With no PUBLIC_URL and no SERVER_NAME: where scripts/run.sh serves on this machine.
DEV_BASE_URL = "http://127.0.0.1:5000"


def base_url() -> str:
    """PUBLIC_URL; else SERVER_NAME with PREFERRED_URL_SCHEME; else the local dev address."""
    cfg = current_app.config
    if cfg.get("PUBLIC_URL"):
        return cfg["PUBLIC_URL"].rstrip("/")
    if cfg.get("SERVER_NAME"):
        return f"{cfg.get('PREFERRED_URL_SCHEME') or 'http'}://{cfg['SERVER_NAME']}"
    return DEV_BASE_URL


def external_url(endpoint: str, **values) -> str:
    """An absolute link for use outside the site (print, QR): the public base + the path."""
    path = url_for(endpoint, **values)  # relative: no Host header in it
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root):
        path = path[len(root):]  # PUBLIC_URL already carries any path prefix
    return base_url() + path


def cookie_secure() -> bool:
    """Secure cookies: forced by COOKIE_SECURE, else over HTTPS, else when PUBLIC_URL is https."""
    return bool(current_app.config.get("SESSION_COOKIE_SECURE")
                or (has_request_context() and request.is_secure)
                or base_url().startswith("https://"))


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, Secure decided per request (cookie_secure)."""

    def get_cookie_secure(self, app) -> bool:
        return cookie_secure()


def _check(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or parts.username or parts.password:
        raise RuntimeError(f"PUBLIC_URL must look like https://wish.example.gov.cn, got {url!r}")


def init_app(app: Flask) -> None:
    """Check PUBLIC_URL, say so when it is missing, and install the session interface."""
    url = app.config.get("PUBLIC_URL")
    if url:
        _check(url)
        if url.startswith("https://"):
            app.config["REMEMBER_COOKIE_SECURE"] = True
    elif not (app.testing or app.debug or app.config.get("SERVER_NAME")):
        log.warning("PUBLIC_URL is not set: certificate links and QR codes point to %s",
                    DEV_BASE_URL)
    app.session_interface = SessionInterface()
