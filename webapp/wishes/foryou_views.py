"""为你推荐: the member's menu ranked by fit, each card with one line saying why."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..services import policy
from ..services.wishes import foryou, present
from ..web.blueprints import member as bp
from ..web.htmx import answer


@bp.get("/menu/foryou")
@login_required
def foryou_page():
    """Published wishes of my communities, best fit first (docs/RANKING.md)."""
    me = current_user._get_current_object()
    ranked = foryou.ranked(db.session, me)
    cards = present.cards(db.session, [w for w, _s, _why in ranked], me)
    days = [(d + 1, str(label)) for d, label in enumerate(foryou.DAY_LABELS)]
    return render_template(
        "wishes/foryou.html", items=[(c, why) for c, (_w, _s, why) in zip(cards, ranked)],
        volunteer=bool(policy.community_ids_for(me, "member")), days=days,
        parts=[(p, str(label)) for p, label in foryou.PART_LABELS.items()],
        chosen=set(me.availability or ()), skills=me.skills or "")


@bp.post("/menu/foryou/availability")
@login_required
def availability():
    """Save the weekly times I am usually free (they lift wishes wanted then)."""
    foryou.set_availability(db.session, current_user, request.form.getlist("slot"))
    return answer(_("有空的时间已保存。"), url_for("member.foryou_page"))
