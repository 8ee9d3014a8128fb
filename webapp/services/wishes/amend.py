"""Putting mistakes right within the community's window (`amend_window_hours`, default 24 h):
a resident changes a rating, a community admin takes back a review decision (issue 12 §3).

Each change is a timeline event in the same transaction; the volunteers or the resident are told.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ...db import begin_write
from ...models import ServiceRecord, User, Wish, WishEvent, utcnow
from .. import policy
from ..errors import Conflict, Forbidden, Invalid
from ..notify.notify import notify
from ..people.orgs import setting
from . import lifecycle
from .wishes import get_wish


def window(wish: Wish) -> timedelta:
    """How long after the fact the community lets it be undone."""
    return timedelta(hours=float(setting(wish.community, "amend_window_hours")))


def _last(session, wish: Wish, actions: tuple) -> WishEvent | None:
    return session.scalar(select(WishEvent).where(
        WishEvent.wish_id == wish.id, WishEvent.action.in_(actions))
        .order_by(WishEvent.id.desc()).limit(1))


def _within(session, wish: Wish, actions: tuple, now) -> bool:
    ev = _last(session, wish, actions)
    return ev is not None and now <= ev.at + window(wish)


def can_rerate(session, user: User, wish: Wish, now=None) -> bool:
    """A rated wish, the resident or their grid staff, still inside the window."""
    return (wish.status == "closed" and wish.rating is not None
            and policy.can_act_for_resident(user, wish)
            and _within(session, wish, ("close", "rerate"), now or utcnow()))


def rerate(session, actor: User, wish_id, rating: int, comment: str | None = None,
           now=None) -> Wish:
    """Change the rating and comment; service records (hence reports) follow; volunteers told."""
    begin_write(session)
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    if not policy.can_act_for_resident(actor, wish):
        raise Forbidden(_l("只有居民本人或本网格工作人员可以修改评价。"))
    if not (1 <= int(rating) <= 5):
        raise Invalid({"rating": _l("请选择 1 到 5 星。")})
    if wish.status != "closed" or wish.rating is None:
        raise Conflict(_l("这个心愿还没有评价，无需修改。"), code="not_rated")
    if not _within(session, wish, ("close", "rerate"), now):
        raise Conflict(_l("评价只能在 %(h)s 小时内修改，已经超过期限。",
                          h=setting(wish.community, "amend_window_hours")), code="window_over")
    old = (wish.rating, wish.comment)
    wish.rating, wish.comment, wish.updated_at = rating, comment, now
    session.execute(update(ServiceRecord).where(ServiceRecord.wish_id == wish.id)
                    .values(rating=rating).execution_options(synchronize_session=False))
    ev = lifecycle.log(session, wish, "rerate", actor.id, wish.status, wish.status, comment, now)
    ev.changes = [["rating", str(old[0]), str(rating)]] + (
        [["comment", old[1] or "", comment or ""]] if (old[1] or "") != (comment or "") else [])
    volunteers = list(session.scalars(select(ServiceRecord.volunteer_id).where(
        ServiceRecord.wish_id == wish.id)))
    notify(session, volunteers, "rating_changed", wish, note=str(rating))
    session.commit()
    return wish


def can_reconsider(session, user: User, wish: Wish, now=None) -> bool:
    """An approval nobody has acted on yet, or a rejection, inside the window; the admin."""
    if not policy.can_review(user, wish) or not lifecycle.allowed("reconsider", wish.status):
        return False
    if wish.status == "published" and wish.taken > 0:
        return False
    return _within(session, wish, ("approve", "reject"), now or utcnow())


def reconsider(session, actor: User, wish_id, reason: str, now=None) -> Wish:
    """Take back an approval or a rejection made by mistake: the wish is reviewed again."""
    begin_write(session)
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    if not policy.can_review(actor, wish):
        raise Forbidden(_l("只有本社区管理员可以撤销审核结果。"))
    if not (reason or "").strip():
        raise Invalid({"reason": _l("请写明撤销的原因，居民会看到。")})
    if wish.status == "published" and wish.taken > 0:
        raise Conflict(_l("已有志愿者认领，不能再撤销审核；如需停止请联系居民撤回。"),
                       code="already_claimed")
    if lifecycle.allowed("reconsider", wish.status) and not _within(
            session, wish, ("approve", "reject"), now):
        raise Conflict(_l("审核结果只能在 %(h)s 小时内撤销，已经超过期限。",
                          h=setting(wish.community, "amend_window_hours")), code="window_over")
    cond = [Wish.taken == 0] if wish.status == "published" else []
    if cond and session.execute(update(Wish).where(Wish.id == wish.id, *cond)
                                .values(updated_at=now)).rowcount != 1:
        raise Conflict(_l("已有志愿者认领，不能再撤销审核；如需停止请联系居民撤回。"),
                       code="already_claimed")
    lifecycle.move(session, wish, "reconsider", actor.id, reason.strip(), now=now,
                   published_at=None, reject_reason=None)
    notify(session, [wish.resident_id], "wish_reconsidered", wish, note=reason.strip())
    session.commit()
    return wish
