"""What the shop's pages show: plain data gathered once per request (no queries in templates)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...models import Org, Unit, User, utcnow
from .. import policy
from ..errors import Forbidden
from . import exchange, goods, points


def community_for(session, user: User) -> Org | None:
    """The shop a person sees: where they serve or run it, else home, else their unit's."""
    ids = sorted(policy.shop_communities(user))
    cid = ids[0] if ids else policy.home_community_id(user)
    if cid is None:
        units = sorted(policy.unit_ids_admined(user))
        unit = session.get(Unit, units[0]) if units else None
        cid = unit.community_id if unit else None
    return session.get(Org, cid) if cid else None


def account_dict(acc: points.Account) -> dict:
    """An Account for templates and the API."""
    nxt = acc.next_expiry
    return {"earned": points.plain(acc.earned), "spent": points.plain(acc.spent),
            "expired": points.plain(acc.expired), "balance": points.plain(acc.balance),
            "next_expiry": {"at": nxt[0], "points": points.plain(nxt[1])} if nxt else None}


def shop_page(session, user: User, now=None) -> dict:
    """The shelf, and for a member their points and exchanges."""
    now = now or utcnow()
    org = community_for(session, user)
    if org is None:
        return {"community": None, "goods": [], "can_shop": False, "runs": False,
                "offers": False, "account": None, "mine": []}
    can_shop = policy.can_shop_in(user, org.id)
    return {"community": {"id": org.id, "name": org.name},
            "goods": goods.shelf(session, org.id), "can_shop": can_shop,
            "runs": policy.can_run_shop(user, org.id),
            "offers": bool(policy.unit_ids_admined(user)),
            "account": account_dict(points.account(session, user.id, org, now)) if can_shop else None,
            "mine": exchange.mine(session, user, org.id) if can_shop else []}


def office_page(session, actor: User, community_id: int) -> dict:
    """The office's view: every goods (offers first), reservations waiting."""
    if not policy.can_run_shop(actor, community_id):
        raise Forbidden(_l("只有本社区管理员可以管理爱心超市。"))
    org = session.get(Org, community_id)
    return {"community": {"id": org.id, "name": org.name},
            "offered": goods.shelf(session, org.id, ("offered",)),
            "goods": goods.shelf(session, org.id, ("listed",)),
            "waiting": exchange.waiting(session, actor, org.id),
            "units": [{"id": u.id, "name": u.name} for u in session.scalars(
                select(Unit).where(Unit.community_id == org.id, Unit.status == "approved")
                .order_by(Unit.name))]}


def unit_page(session, actor: User) -> dict:
    """A unit admin's offers: the first unit they run, and what it has given."""
    ids = sorted(policy.unit_ids_admined(actor))
    unit = session.get(Unit, ids[0]) if ids else None
    if unit is None or not policy.can_offer_goods(actor, unit):
        raise Forbidden(_l("只有已报到单位的管理员可以捐赠物品。"))
    return {"unit": {"id": unit.id, "name": unit.name}, "given": goods.of_unit(session, unit.id),
            "donations": goods.donations(session, unit.id)}


def member_ctx(page: dict) -> dict:
    """exchange.member_page with its account as plain data."""
    return {**page, "account": account_dict(page["account"])}
