"""Template helpers for every page: the tab bar, the bell, card actions, safe url_for."""
from flask import current_app, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..services.notify import notify
from ..services import policy
from ..services.platform import wechat
from .nav import ALSO_ACTIVE, ROLE_BAR, TABS

# Card action → (endpoint, id taken from the card, how, label, style).
# how: "htmx" = POST that swaps the card in place; "post" = plain POST form; "link" = GET page.
# The member/admin blueprints define these endpoints; a missing one simply hides the button.
CARD_ACTIONS = {
    "claim": ("member.claim", "wish_id", "htmx", _l("认领"), "primary"),
    "accept": ("member.accept", "claim_id", "htmx", _l("接受派单"), "primary"),
    "decline": ("member.decline", "claim_id", "htmx", _l("婉拒"), "quiet"),
    "start": ("member.start", "claim_id", "htmx", _l("开始服务"), "primary"),
    "done": ("member.done_form", "claim_id", "link", _l("标记完成"), "primary"),
    "release": ("member.release", "claim_id", "htmx", _l("取消认领"), "quiet"),
    "unit_claim": ("member.unit_claim_form", "wish_id", "link", _l("单位认领"), "primary"),
    "approve": ("admin.review_form", "wish_id", "link", _l("审核"), "primary"),
    "reject": ("admin.review_form", "wish_id", "link", _l("审核"), "primary"),
    "dispatch": ("admin.dispatch_form", "wish_id", "link", _l("派单"), "primary"),
    "confirm": ("resident.confirm_form", "wish_id", "link", _l("确认服务"), "primary"),
    "withdraw": ("resident.withdraw", "wish_id", "post", _l("撤回"), "quiet"),
    "edit": ("resident.edit_wish", "wish_id", "link", _l("修改"), "primary"),
    "resubmit": ("resident.edit_wish", "wish_id", "link", _l("修改后重新提交"), "primary"),
}


def has_endpoint(endpoint: str) -> bool:
    """Whether a view is registered (blueprints land at different times)."""
    return endpoint in current_app.view_functions


def url_if(endpoint: str, **values) -> str | None:
    """url_for, or None when the endpoint does not exist (yet)."""
    return url_for(endpoint, **values) if has_endpoint(endpoint) else None


def action_for(card: dict, name: str) -> dict | None:
    """How to render one card action, or None if its endpoint is missing or has no id."""
    spec = CARD_ACTIONS.get(name)
    if spec is None:
        return None
    endpoint, key, how, label, style = spec
    ident = card["id"] if key == "wish_id" else card.get("my_claim_id")
    if ident is None:
        return None
    url = url_if(endpoint, **{key: ident})
    if url is None:
        return None
    return {"name": name, "url": url, "how": how, "label": str(label), "style": style}


def primary_action(card: dict) -> dict | None:
    """The first action of the card that can be rendered (the card's one button)."""
    for name in card.get("actions", []):
        act = action_for(card, name)
        if act is not None:
            return act
    return None


def card_actions(card: dict) -> list[dict]:
    """Every renderable action (the detail page shows them all), one per endpoint."""
    seen, out = set(), []
    for name in card.get("actions", []):
        act = action_for(card, name)
        if act is not None and act["url"] not in seen:
            seen.add(act["url"])
            out.append(act)
    return out


def bar_for(user) -> str:
    """Which tab bar a user gets."""
    if user is None or not user.is_authenticated:
        return "guest"
    return ROLE_BAR.get(policy.primary_role(user), "resident")


def tabs_for(user) -> list[dict]:
    """The user's tabs whose endpoints exist, the current one marked."""
    here = request.endpoint if request else None
    tabs = []
    for endpoint, label, icon in TABS[bar_for(user)]:
        if not has_endpoint(endpoint):
            continue
        current = here == endpoint or here in ALSO_ACTIVE.get(endpoint, ())
        tabs.append({"endpoint": endpoint, "url": url_for(endpoint), "label": str(label),
                     "icon": icon, "current": current})
    return tabs


def first_tab_url(user) -> str | None:
    """Where `/` sends a logged-in user (their first tab), or None for the home page itself."""
    for endpoint, _label, _icon in TABS[bar_for(user)]:
        if has_endpoint(endpoint):
            return None if endpoint == "main.index" else url_for(endpoint)
    return None


def is_htmx() -> bool:
    """An htmx request (answer with a fragment) rather than a navigation."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request")


def when(dt) -> str:
    """A short local time for cards ("11-23 09:00"), the same in every language."""
    return format_datetime(dt, "MM-dd HH:mm") if dt else ""


def _context() -> dict:
    user = current_user if current_user and current_user.is_authenticated else None
    unread = 0
    if user is not None:
        try:
            unread = notify.unread_count(db.session, user.id)
        except SQLAlchemyError:
            # Rendering an error page (e.g. database busy): show it without the badge.
            db.session.rollback()
    return {
        "me": user, "unread_count": unread, "nav_tabs": tabs_for(current_user),
        "elder": bool(user and user.elder_mode), "lang": str(get_locale() or "zh_CN"),
        # WeChat's own browser: no Web Push there, sign-in and messages go through the 公众号.
        "in_wechat": in_wechat(), "wechat_on": wechat.enabled(),
    }


def in_wechat() -> bool:
    """The request comes from WeChat's built-in browser (its user agent says MicroMessenger)."""
    return "MicroMessenger" in (request.headers.get("User-Agent") or "")


def init_app(app):
    """Register the context processor and template globals on the app."""
    app.context_processor(_context)
    app.add_template_global(has_endpoint)
    app.add_template_global(url_if)
    app.add_template_global(primary_action)
    app.add_template_global(card_actions)
    app.add_template_filter(when, "when")
