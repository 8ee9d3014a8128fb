""""没办好": a resident reopens a finished wish; the community's review keeps or voids it."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse
from ..schemas.voice import DisputeInput, SettleInput
from ..services import policy
from ..services.errors import Forbidden
from ..services.wishes import dispute
from ..services.wishes.wishes import get_wish
from ..web.blueprints import admin, resident
from ..web.htmx import answer, attempt, with_vary


def _back(wish_id: int, a) -> object:
    """A refused form goes back to the wish with the reason (nothing was written)."""
    flash(" ".join(a.errors.values()) if a.errors else str(a.reason), "error")
    return with_vary(redirect(url_for("main.wish_detail", wish_id=wish_id)))


@resident.post("/wishes/<int:wish_id>/dispute")
@login_required
def dispute_wish(wish_id: int):
    """没办好: the wish returns to the community for review; its hours are held meanwhile."""
    if not policy.can_act_for_resident(current_user, get_wish(db.session, wish_id)):
        raise Forbidden(_("只有居民本人或本网格工作人员可以反映没办好。"))
    with attempt() as a:
        data = parse(DisputeInput, request.form.to_dict())
        dispute.dispute(db.session, current_user, wish_id, data.reason)
    if not a.ok:
        return _back(wish_id, a)
    return answer(_("已告诉社区，社区会复核；复核前这次服务的时长暂缓认定。"),
                  url_for("main.wish_detail", wish_id=wish_id), navigate=True)


@admin.post("/wishes/<int:wish_id>/settle")
@login_required
def settle_dispute(wish_id: int):
    """The community's review: the service stands, or it is voided and served again."""
    if not policy.can_settle_dispute(current_user, get_wish(db.session, wish_id)):
        raise Forbidden(_("只有本社区管理员可以复核。"))
    with attempt() as a:
        data = parse(SettleInput, request.form.to_dict())
        dispute.settle(db.session, current_user, wish_id, data.decision, data.note)
    if not a.ok:
        return _back(wish_id, a)
    return answer(_("复核结果已保存，居民和志愿者会收到通知。"),
                  url_for("main.wish_detail", wish_id=wish_id), navigate=True)
