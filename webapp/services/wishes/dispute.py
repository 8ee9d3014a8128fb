""""没办好": a resident reopens a finished wish within the community's window (default 7 days);
it returns to the community for review with its hours held (services/ledger/holds.py).

dispute (confirmed/closed → disputed) → uphold (→ closed: the service stands, the hold ends)
                                      → redo (→ published: hours reversed, the wish back on the
                                               menu for another volunteer).
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ...db import begin_write
from ...models import Claim, RoleGrant, ServiceRecord, User, Wish, WishEvent, utcnow
from .. import policy
from ..errors import Conflict, Forbidden, Invalid
from ..ledger import holds
from ..notify.notify import notify
from ..people.orgs import setting
from . import lifecycle
from .wishes import get_wish

REASON_MAX = 300


def window(wish: Wish) -> timedelta:
    """How long after the confirmation a resident may still say "没办好"."""
    return timedelta(days=float(setting(wish.community, "reopen_window_days")))


def _confirmed_at(session, wish: Wish):
    return session.scalar(select(WishEvent.at).where(
        WishEvent.wish_id == wish.id, WishEvent.action.in_(("confirm", "auto_confirm")))
        .order_by(WishEvent.id.desc()).limit(1))


def can_dispute(session, user: User, wish: Wish, now=None) -> bool:
    """A confirmed or closed wish, the resident or their grid staff, inside the window."""
    if not lifecycle.allowed("dispute", wish.status) or not policy.can_act_for_resident(user, wish):
        return False
    at = _confirmed_at(session, wish)
    return at is not None and (now or utcnow()) <= at + window(wish)


def _volunteers(session, wish: Wish) -> list[int]:
    return list(session.scalars(select(ServiceRecord.volunteer_id).where(
        ServiceRecord.wish_id == wish.id)))


def _admins(session, community_id: int) -> list[int]:
    return list(session.scalars(select(RoleGrant.user_id).where(
        RoleGrant.role == "community_admin", RoleGrant.org_id == community_id,
        RoleGrant.active.is_(True))))


def dispute(session, actor: User, wish_id, reason: str, now=None) -> Wish:
    """Reopen a finished wish with a reason; the community reviews it, the hours are held."""
    begin_write(session)
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    if not policy.can_act_for_resident(actor, wish):
        raise Forbidden(_l("只有居民本人或本网格工作人员可以反映没办好。"))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": _l("请写明哪里没办好，社区会据此复核。")})
    if len(reason) > REASON_MAX:
        raise Invalid({"reason": _l("请把原因写在 %(n)s 字以内。", n=REASON_MAX)})
    lifecycle.WISH.check("dispute", wish.status)
    if not can_dispute(session, actor, wish, now):
        raise Conflict(_l("服务确认 %(d)s 天后不能再反映没办好，请用“反映问题”联系社区。",
                          d=setting(wish.community, "reopen_window_days")), code="window_over")
    lifecycle.move(session, wish, "dispute", actor.id, reason, now=now)
    notify(session, _admins(session, wish.community_id), "wish_disputed", wish, note=reason,
           now=now)
    notify(session, _volunteers(session, wish), "wish_disputed_volunteer", wish, now=now)
    session.commit()
    return wish


def settle(session, actor: User, wish_id, decision: str, note: str | None = None,
           now=None) -> Wish:
    """The community's review: `uphold` (the service stands) or `redo` (hours reversed, the wish
    back on the menu). Either way the resident and the volunteers are told."""
    begin_write(session)
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    if not policy.can_settle_dispute(actor, wish):
        raise Forbidden(_l("只有本社区管理员可以复核。"))
    if decision not in ("uphold", "redo"):
        raise Invalid({"decision": _l("请选择复核结果。")})
    note = (note or "").strip()[:REASON_MAX]
    if decision == "redo" and not note:
        raise Invalid({"note": _l("重新服务时请写明原因，会告诉志愿者。")})
    lifecycle.WISH.check(decision, wish.status)
    volunteers = _volunteers(session, wish)
    if decision == "redo":
        holds.void_wish(session, wish, actor.id, str(_l("复核：没办好")) + "：" + note, now)
        # The former volunteers' claims end; the wish takes new ones from zero.
        session.execute(update(Claim).where(Claim.wish_id == wish.id,
                                            Claim.status.in_(("confirmed", "done")))
                        .values(status="released", released_at=now)
                        .execution_options(synchronize_session=False))
        lifecycle.move(session, wish, "redo", actor.id, note or None, now=now, taken=0,
                       published_at=now, rating=None, comment=None, done_at=None)
    else:
        lifecycle.move(session, wish, "uphold", actor.id, note or None, now=now)
    event = "dispute_upheld" if decision == "uphold" else "dispute_redo"
    notify(session, [wish.resident_id], event, wish, note=note, now=now)
    notify(session, volunteers, event + "_volunteer", wish, note=note, now=now)
    session.commit()
    return wish


def disputed(session, community_ids) -> list[Wish]:
    """Wishes waiting for the community's review, oldest first (the review page)."""
    return list(session.scalars(select(Wish).where(
        Wish.community_id.in_(list(community_ids)), Wish.status == "disputed")
        .order_by(Wish.updated_at, Wish.id)))
