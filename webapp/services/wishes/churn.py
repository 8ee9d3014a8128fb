"""Claim/release churn (issue 10 §4): claim → read the contact → release, over the whole menu.

Contact details appear on an active claim (DESIGN §2), so a volunteer who keeps releasing is
refused new claims past a community limit per 24 h, and the community admins are told once,
when the limit is reached. The count is of `release` events the person made (WishEvent).
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...models import Org, RoleGrant, User, Wish, WishEvent
from ..errors import Conflict
from ..notify.notify import notify
from ..people.orgs import setting

WINDOW = timedelta(hours=24)


def releases_in_window(session, user_id: int, now) -> int:
    """How many claims this person released in the 24 h before `now`."""
    return session.scalar(select(func.count(WishEvent.id)).where(
        WishEvent.actor_id == user_id, WishEvent.action == "release",
        WishEvent.at > now - WINDOW)) or 0


def _limit(session, wish: Wish) -> int:
    return int(setting(session.get(Org, wish.community_id), "max_releases_per_day"))


def refuse_if_churning(session, actor: User, wish: Wish, now) -> None:
    """409 when the actor released as many claims as the community allows in 24 h."""
    limit = _limit(session, wish)
    if releases_in_window(session, actor.id, now) >= limit:
        raise Conflict(_l("您 24 小时内已取消认领 %(n)s 次，暂时不能认领新的心愿。"
                          "请先完成已认领的服务，明天再试，或联系社区。", n=limit),
                       code="too_many_releases")


def flag_if_churning(session, actor: User, wish: Wish, now) -> None:
    """In the release's transaction: tell the community admins when this release hits the limit."""
    if releases_in_window(session, actor.id, now) != _limit(session, wish):
        return
    admins = session.scalars(select(RoleGrant.user_id).where(
        RoleGrant.role == "community_admin", RoleGrant.org_id == wish.community_id,
        RoleGrant.active.is_(True))).all()
    notify(session, admins, "claim_churn", None, note=actor.name, now=now,
           url="/admin/registrations#churn")


def churning(session, community_ids, now) -> list[dict]:
    """People at or over their community's release limit in the last 24 h (the admin's flag)."""
    out = []
    for cid in sorted(community_ids or ()):
        limit = int(setting(session.get(Org, cid), "max_releases_per_day"))
        rows = session.execute(
            select(User.id, User.name, User.phone, func.count(WishEvent.id))
            .join(WishEvent, WishEvent.actor_id == User.id)
            .join(Wish, Wish.id == WishEvent.wish_id)
            .where(Wish.community_id == cid, WishEvent.action == "release",
                   WishEvent.at > now - WINDOW)
            .group_by(User.id, User.name, User.phone)
            .having(func.count(WishEvent.id) >= limit).order_by(User.id)).all()
        out += [{"id": uid, "name": name, "phone": phone, "releases": n, "limit": limit}
                for uid, name, phone, n in rows]
    return out
