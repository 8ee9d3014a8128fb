"""Security hardening: response headers (CSP, frames, HSTS), proxy trust, rate limits, and
the safe-method guards (webapp/web/safe_methods.py).

Wired from create_app() after the blueprints, so limits can be attached to views by endpoint
name without the views knowing. Every value is config-driven with an environment override.
"""
import os
import time

from flask import Flask, current_app, request
from flask_login import current_user
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from ..extensions import limiter

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")

# Views the limits attach to (endpoint names); a missing endpoint is skipped, not an error,
# so the web and API blueprints can land in any order. auth.login and the API token endpoint
# carry their own per-IP limits; we add the account (phone), one bucket for web and API, so a
# guesser gains nothing by switching between them.
DEFAULT_LIMITED_ENDPOINTS = {
    "login_account": ("auth.login", "api.create_token"),
    "wish_post": ("resident.new_wish", "api.create_wish"),
    "register": ("auth.register", "api.register"),
}

_WRAPPED: dict = {}  # original view → the rate-limited wrapper
_STAFF = {"grid_worker", "community_admin", "street_admin", "superadmin"}


def _defaults(app: Flask) -> None:
    env = os.environ.get
    cfg = app.config
    cfg.setdefault("CONTENT_SECURITY_POLICY", env("CONTENT_SECURITY_POLICY", CSP))
    cfg.setdefault("HSTS_MAX_AGE", int(env("HSTS_MAX_AGE", "31536000")))
    # Number of reverse proxies in front of the app (0: trust no X-Forwarded-* header).
    cfg.setdefault("PROXY_COUNT", int(env("PROXY_COUNT", "0")))
    cfg.setdefault("LOGIN_ACCOUNT_RATE_LIMIT", env("LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute;30 per hour"))
    cfg.setdefault("WISH_POST_RATE_LIMIT", env("WISH_POST_RATE_LIMIT", "10 per day"))
    cfg.setdefault("REGISTER_RATE_LIMIT", env("REGISTER_RATE_LIMIT", "5 per hour"))
    cfg.setdefault("RATE_LIMITED_ENDPOINTS", DEFAULT_LIMITED_ENDPOINTS)


def security_headers(response):
    """Add the hardening headers to every response."""
    h = response.headers
    h.setdefault("Content-Security-Policy", current_app.config["CONTENT_SECURITY_POLICY"])
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.status_code == 429 and "Retry-After" not in h:
        current = limiter.current_limit
        wait = int(current.reset_at - time.time()) + 1 if current else 60
        h["Retry-After"] = str(max(wait, 1))
    if request.is_secure:
        # Only over HTTPS: an HSTS header on plain HTTP is ignored and would mislead.
        h.setdefault("Strict-Transport-Security",
                     f"max-age={current_app.config['HSTS_MAX_AGE']}; includeSubDomains")
    return response


def login_phone() -> str:
    """The phone a login attempt names, read exactly as its view reads it: the API parses the
    body as JSON whatever the Content-Type (web/json_body.py), the web reads the form; both
    through the Login schema. "" when that fails: the view then refuses before any password
    is checked, so nothing can be guessed through that bucket."""
    from ..schemas import parse
    from ..schemas.inputs import Login
    from ..services.errors import DomainError
    try:
        if request.blueprint == "api":
            from .json_body import raw_json
            return parse(Login, raw_json()).phone
        return parse(Login, request.form.to_dict()).phone
    except DomainError:
        return ""


def _account_key() -> str:
    """The account a login attempt names (phone), so guessing one password is slowed everywhere."""
    return "acct:" + login_phone()


def _poster():
    """The signed-in user (web session) or the bearer token's user (API), else None."""
    if current_user and current_user.is_authenticated:
        return current_user
    scheme, _sp, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        from ..extensions import db
        from ..services.people import accounts
        return accounts.user_for_token(db.session, raw.strip())
    return None


def _user_key() -> str:
    user = _poster()
    return f"user:{user.id}" if user else "ip:" + get_remote_address()


def _is_staff() -> bool:
    """Grid workers post on behalf of many residents (代为登记): no per-day cap for staff."""
    user = _poster()
    return bool(user and user.role_names() & _STAFF)


def _created(response) -> bool:
    """Count a wish only when one was made: 201 (API), a redirect or htmx navigation (web)."""
    return response.status_code in (201, 302, 303) or "HX-Redirect" in response.headers


def _setting(name: str):
    """A limit read at request time, so a test (or an operator) can change it live."""
    return lambda: current_app.config[name]


def _limits() -> dict:
    return {
        "login_account": [dict(limit_value=_setting("LOGIN_ACCOUNT_RATE_LIMIT"),
                               key_func=_account_key, scope="login-account")],
        "wish_post": [dict(limit_value=_setting("WISH_POST_RATE_LIMIT"), key_func=_user_key,
                           scope="wish-post", exempt_when=_is_staff, deduct_when=_created)],
        "register": [dict(limit_value=_setting("REGISTER_RATE_LIMIT"),
                          key_func=get_remote_address, scope="register-ip")],
    }


def attach_limits(app: Flask) -> list[str]:
    """Wrap the configured views with their limits (POST only); returns the endpoints limited."""
    done = []
    for kind, specs in _limits().items():
        for endpoint in app.config["RATE_LIMITED_ENDPOINTS"].get(kind, ()):
            view = app.view_functions.get(endpoint)
            if view is None:
                continue
            if view in _WRAPPED.values():
                done.append(endpoint)  # already wrapped (attach_limits ran before on this app)
                continue
            if view not in _WRAPPED:
                # Limits register by the view's qualified name: wrap each function once, even
                # when several apps are built in one process (tests), or hits would count twice.
                wrapped = view
                for spec in specs:
                    # Shared: web and API views of one kind count into one bucket per key.
                    wrapped = limiter.shared_limit(methods=["POST"], **spec)(wrapped)
                _WRAPPED[view] = wrapped
            app.view_functions[endpoint] = _WRAPPED[view]
            done.append(endpoint)
    return done


def drop_idle_limiter_hook(app: Flask) -> bool:
    """Remove Flask-Limiter's before-request check when it has nothing to check.

    That hook applies application, default and blueprint limits; this app's limits sit on
    views (the decorators and `attach_limits`), whose wrappers check them themselves. With none
    of the former configured (RATELIMIT_DEFAULT, RATELIMIT_APPLICATION), the hook only costs
    every request its bookkeeping (bench/RESULTS.md). True if it was removed."""
    mgr = limiter.limit_manager
    if mgr.application_limits or mgr.default_limits or any(mgr._blueprint_limits.values()):
        return False
    hooks = app.before_request_funcs.get(None, [])
    kept = [f for f in hooks if f != limiter._check_request_limit]
    app.before_request_funcs[None] = kept
    return len(kept) < len(hooks)


def init_app(app: Flask) -> None:
    """Headers, proxy trust and rate limits; call after the blueprints are registered."""
    _defaults(app)
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
    if not app.config.get("RATELIMIT_ENABLED", True):
        # Initialise the limiter anyway but switched off, so a test can switch it on.
        app.config["RATELIMIT_ENABLED"] = True
        limiter.init_app(app)
        limiter.enabled = False
        app.config["RATELIMIT_ENABLED"] = False
    app.after_request(security_headers)
    attach_limits(app)
    drop_idle_limiter_hook(app)
    from . import body_limits, public, safe_methods
    public.init_app(app)
    body_limits.init_app(app)
    safe_methods.init_app(app)  # last: its middleware is the outermost, before ProxyFix
