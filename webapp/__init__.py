"""Wishgrid: the application factory."""
import secrets
from pathlib import Path

from babel import Locale
from flask import Flask, has_request_context, request
from flask_login import current_user

import config as settings
from .db import configure_engine
from .extensions import babel, csrf, db, limiter, login_manager, migrate


_PARSED: dict = {}


def _parsed(name: str) -> Locale:
    # Flask-Babel parses the selector's answer on every request (a scan of Babel's locale
    # data: bench/RESULTS.md); a Locale object is taken as it is.
    loc = _PARSED.get(name)
    if loc is None:
        loc = _PARSED[name] = Locale.parse(name)
    return loc


def _locale() -> Locale | None:
    """The user's saved language, else the `lang` cookie, else Chinese (the default)."""
    if not has_request_context():
        return None  # services and jobs: Flask-Babel's default (or force_locale)
    if current_user and current_user.is_authenticated and current_user.locale:
        return _parsed(current_user.locale)
    if request.cookies.get("lang") in ("zh_CN", "en"):
        return _parsed(request.cookies["lang"])
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"])
    return _parsed("en" if best == "en" else "zh_CN")


def _secret_key(app: Flask) -> str:
    """Keep a random key in instance/ so sessions survive restarts without any setup."""
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(config_object=None) -> Flask:
    """Build the web app: extensions, blueprints, CLI, error pages. Starts no scheduler."""
    app = Flask(__name__, instance_path=str(settings.INSTANCE_DIR), instance_relative_config=True)
    app.config.from_object(config_object or settings.Config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)

    from .services.people import passwords
    from .services.pairing import tally
    from .services.shop import kept as shop_accounts
    from .services.wishes import versions
    versions.install()  # every session bumps a community's data version with its wish changes
    tally.install()  # and keeps each building's household counts (after versions: its flush)
    shop_accounts.install()  # and each member's points account at a community's shop
    passwords.configure(app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"],
                        app.config["ARGON2_PARALLELISM"])

    if app.config.get("SQLALCHEMY_ENGINE_OPTIONS") is None:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = settings.engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"],
                         app.config["SQLITE_CACHE_MIB"], app.config["SQLITE_MMAP_MIB"])
    migrate.init_app(app, db, render_as_batch=True,
                     directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_locale)
    from .web import i18n; i18n.init_app(app)  # templates' _(): once per string and render
    from .web import fragments; fragments.init_app(app)  # rows rendered once per content
    limiter.init_app(app)
    login_manager.init_app(app)

    from . import cli, site
    from .people import login_setup
    from .web import errors, routing
    routing.init_app(app)
    login_setup.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    site.init_app(app)
    from .web import security; security.init_app(app)  # after blueprints: limits wrap their views
    from .web import assets; assets.init_app(app)  # fingerprinted static files, compression
    from .services.admin import audit; audit.protect()  # audit lines: append-only (issue 26 §6)
    return app
