"""Home, wish detail and the profile page (我的)."""
from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..extensions import db
from ..web.public import cookie_secure
from ..services.people import accounts, registrations, residents, wechat_signin
from ..services.platform import wechat
from ..services.wishes import menu, present, service_code, wishes
from ..services import policy
from ..services.errors import Forbidden
from ..web.blueprints import main as bp
from ..web.nav import SHORTCUTS
from ..web.ui import first_tab_url, url_if
from ..web import wxshare

ROLE_LABELS = {
    "resident": _l("居民"), "member": _l("党员志愿者"), "unit_admin": _l("单位管理员"),
    "grid_worker": _l("网格员"), "community_admin": _l("社区管理员"),
    "street_admin": _l("街道管理员"), "superadmin": _l("系统管理员"),
}
REG_LABELS = {"pending": _l("待审核"), "approved": _l("已通过"), "rejected": _l("未通过")}


@bp.route("/")
def index():
    """Landing for visitors; a logged-in user goes to their first tab (residents: home)."""
    board = lambda: wxshare.share(_("网格微心愿"), _("邻里微心愿，党员来认领。点开看看身边的心愿。"))  # noqa: E731
    if not current_user.is_authenticated:
        return render_template("wishes/landing.html", wx_share=board())
    target = first_tab_url(current_user)
    if target:
        return redirect(target)
    me = current_user._get_current_object()  # not the proxy: the cards' policy reads it often
    items, _cursor = menu.list_wishes(db.session, me, view="posted", limit=5)
    return render_template("wishes/home.html", cards=present.cards(db.session, items, me),
                           can_post=policy.is_resident(me), wx_share=board())


@bp.route("/wishes/<int:wish_id>")
@login_required
def wish_detail(wish_id: int):
    """One wish: description, volunteers, timeline; contact only where present.detail allows."""
    wish = wishes.get_wish(db.session, wish_id)
    if not policy.can_view_wish(current_user, wish, wishes.claimer_ids(db.session, wish)):
        raise Forbidden(_l("您不能查看这个心愿。"))
    d = present.detail(db.session, wish, current_user, channel="web")
    resp = make_response(render_template("wishes/wish_detail.html", card=d, wish=d,
                                         can_show_code=service_code.can_show(current_user, wish),
                                         wx_share=wxshare.share(wish.title, _("邻居的微心愿，一起来认领。"))))
    # The page may carry a resident's phone and address: never store it anywhere.
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.route("/me")
@login_required
def me():
    """Profile: roles, registration status, volunteer number, language and elder mode."""
    user = current_user
    reg = registrations.latest_for(db.session, user)
    roles = sorted({str(ROLE_LABELS.get(r, r)) for r in user.role_names()})
    profile = {"name": user.name, "phone": user.phone, "address": user.address,
               "building": user.building.name if user.building else None,
               "unit": user.unit.name if user.unit else None, "skills": user.skills,
               "volunteer_no": user.volunteer_no, "elder_mode": user.elder_mode}
    if reg is not None:
        reg = {"kind": reg.kind, "status": reg.status, "reason": reg.reason,
               "community": reg.community.name, "unit": reg.unit.name if reg.unit else None}
    return render_template("people/me.html", user=profile, reg=reg, roles=roles,
                           shortcuts=_shortcuts(user),
                           reg_label=str(REG_LABELS.get(reg["status"], reg["status"])) if reg else None,
                           languages=current_app.config["LANGUAGES"],
                           grid_staff=residents.is_grid_staff(user),
                           wechat_bound=wechat_signin.is_bound(db.session, user.id, wechat.app_id()),
                           can_post=policy.can_post_own_wish(user))


def _shortcuts(user) -> list[tuple[str, str]]:
    """(url, label) of the pages this user's roles reach from 我的, each once."""
    seen, out = set(), []
    for role in sorted(user.role_names()):
        for endpoint, label in SHORTCUTS.get(role, ()):
            url = url_if(endpoint)
            if url and url not in seen:
                seen.add(url)
                out.append((url, str(label)))
    return out


@bp.route("/me/preferences", methods=["POST"])
@login_required
def preferences():
    """Save language and elder mode; the `lang` cookie keeps the language after logout."""
    locale = request.form.get("locale") or None
    if locale is not None and locale not in current_app.config["LANGUAGES"]:
        abort(400)
    elder = request.form.get("elder_mode") in ("1", "on", "true")
    accounts.set_preferences(db.session, current_user, locale=locale, elder_mode=elder)
    flash(_("设置已保存。"), "success")
    resp = redirect(url_for("main.me"))
    if locale:
        resp.set_cookie("lang", locale, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=cookie_secure(),
                        httponly=True)
    return resp
