"""Blueprint registration: one place lists every part of the site."""


def init_app(app):
    """Register every blueprint."""
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .main import bp as main_bp
    from .member import bp as member_bp
    from .resident import bp as resident_bp
    from .pwa import bp as pwa_bp
    from .extensions import csrf

    for bp in (main_bp, auth_bp, resident_bp, member_bp, admin_bp):
        app.register_blueprint(bp)
    csrf.exempt(api_bp)  # bearer tokens, no cookies: CSRF does not apply
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(pwa_bp)  # /sw.js, /manifest.webmanifest, /offline at the root
    from .ledger import bp as ledger_bp
    app.register_blueprint(ledger_bp)  # /ledger/*, public /verify/<token>
    from .notifications import bp as notifications_bp
    app.register_blueprint(notifications_bp)  # /inbox, /settings/notifications, /push/*
    from .account import bp as account_bp
    app.register_blueprint(account_bp)  # /me/data, /me/delete (personal data rights)
    from .staff import bp as staff_bp
    app.register_blueprint(staff_bp)  # /staff/*: grid tree, staff, accounts, admin log
    from .imports import bp as imports_bp
    app.register_blueprint(imports_bp)  # /admin/imports: lists from Excel, preview, confirm
    from .lists import bp as lists_bp
    app.register_blueprint(lists_bp)  # /lists/*: 服务清单 (resources, bookings, projects, sessions)
    from .pairing import bp as pairing_bp
    app.register_blueprint(pairing_bp)  # /pairing/* 结对联户 and 双向评议; public /board/<id> (公示)
