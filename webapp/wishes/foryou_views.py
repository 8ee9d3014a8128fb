"""为你推荐: the member's menu ranked by fit, each card with one line saying why."""
from flask import current_app, make_response, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..services import policy
from ..services.notify import notify
from ..services.wishes import foryou, menu_cache
from ..web.blueprints import member as bp
from ..web.htmx import answer, with_vary
from . import page_cache

TEMPLATE = "wishes/foryou.html"


@bp.get("/menu/foryou")
@login_required
def foryou_page():
    """Published wishes of my communities, best fit first (docs/RANKING.md)."""
    me = current_user._get_current_object()
    cache = current_app.extensions["wishgrid_menu"]  # the menu's: same keys, same versions
    prof, ranked = foryou.page(db.session, me, cache=cache)
    locale, chosen = str(get_locale()), tuple(prof["availability"])
    ctx = {"volunteer": bool(policy.community_ids_for(me, "member")), "chosen": set(chosen),
           "skills": prof["skills"],
           "days": [(d + 1, str(label)) for d, label in enumerate(foryou.DAY_LABELS)],
           "parts": [(p, str(label)) for p, label in foryou.PART_LABELS.items()]}
    # The page is the same for whoever gets the same ranking, free times and skills shown:
    # rendered once (wishes/page_cache.py), like the menu.
    list_key = ("foryou", prof["stamp"], tuple((r.id, why) for r, _s, why in ranked), chosen,
                bool(prof["skills"]), ctx["volunteer"])
    page = dict(template=TEMPLATE, ctx=ctx, list_key=list_key, lang=locale,
                elder=me.elder_mode, viewer=menu_cache.viewer_key(me),
                unread=notify.unread_count(db.session, me.id, at_start=me))
    html = page_cache.cached(**page)
    if html is None:
        ctx["whys"] = [foryou.why_text(why) for _r, _s, why in ranked]
        ctx["cards"] = foryou.cards(db.session, me, [r.id for r, _s, _why in ranked], cache,
                                    locale)
        html = page_cache.render(user=me, **page)
    return with_vary(make_response(html))


@bp.post("/menu/foryou/availability")
@login_required
def availability():
    """Save the weekly times I am usually free (they lift wishes wanted then)."""
    foryou.set_availability(db.session, current_user, request.form.getlist("slot"))
    return answer(_("有空的时间已保存。"), url_for("member.foryou_page"))
