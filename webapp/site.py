"""Blueprint registration: one place lists every part of the site, area by area."""


def init_app(app):
    """Import every area's views (they register on their namespace) and register the blueprints."""
    from .extensions import csrf
    from .web import blueprints as ns
    from . import wishes
    from .web import ui
    # Each import registers views on a namespace of web/blueprints.py; order is irrelevant.
    from .wishes import (home_views, menu_views, order_views, resident_views,  # noqa: F401
                         review_views, service_code_views, dispute_views,
                         foryou_views)
    from .people import (account_views, activation_views, auth_views, code_views,  # noqa: F401
                         invitation_views, password_views, people_list_views,
                         registration_views, staff_views, unit_views)
    from .people import wechat_views as people_wechat_views  # noqa: F401
    from .people import idle, mfa_views  # noqa: F401  (idle sessions, 两步验证: issue 26 §6)
    from .people import info_views  # noqa: F401  (我的信息: people's rights, issue 26 §5)
    from .admin import (backlog_views, import_views, log_views, retire_views,  # noqa: F401
                        settings_views, tree_views)
    from .admin import security_views  # noqa: F401  (安全与审计, issue 26 §6)
    from .notify import devsms_views, views as notify_views  # noqa: F401
    from .notify import wechat_views as notify_wechat_views  # noqa: F401
    from .api import bp as api_bp
    from .ledger import bp as ledger_bp
    from .lists import bp as lists_bp
    from .pairing import bp as pairing_bp
    from .pwa import bp as pwa_bp
    from .shop import bp as shop_bp
    from .voice import bp as voice_bp

    ui.init_app(app)
    wishes.init_app(app)
    for bp in (ns.main, ns.auth, ns.resident, ns.member, ns.admin):
        app.register_blueprint(bp)
    csrf.exempt(api_bp)  # bearer tokens, no cookies: CSRF does not apply
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(pwa_bp)  # /sw.js, /manifest.webmanifest, /offline at the root
    app.register_blueprint(ledger_bp)  # /ledger/*, public /verify/<token>
    app.register_blueprint(ns.notifications)  # /inbox, /settings/notifications, /push/*
    app.register_blueprint(ns.account)  # /me/data, /me/delete (personal data rights)
    app.register_blueprint(ns.staff)  # /staff/*: grid tree, staff, accounts, admin log
    app.register_blueprint(ns.imports)  # /admin/imports: lists from Excel, preview, confirm
    app.register_blueprint(lists_bp)  # /lists/*: 服务清单 (resources, bookings, projects, sessions)
    app.register_blueprint(pairing_bp)  # /pairing/* 结对联户 and 双向评议; public /board/<id> (公示)
    app.register_blueprint(shop_bp)  # /shop/*: 爱心超市 (points shop: goods, exchanges, accounts)
    app.register_blueprint(voice_bp)  # /voice/*: 反映问题 (issue 29 §2)
