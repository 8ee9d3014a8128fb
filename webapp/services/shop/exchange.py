"""Exchanges (兑换): a member reserves goods, the office hands them over or either side cancels.

A reservation moves the stock and the points together, in one transaction with its event: the
piece leaves the shelf by a compare-and-set UPDATE (`stock >= 1`), so of two members taking the
last piece exactly one wins, on SQLite and PostgreSQL alike; the points are held from then on
(points.account counts every exchange not cancelled). A cancellation puts both back.
"""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ...db import begin_write
from ...models import Org, ShopExchange, ShopGoods, User, utcnow
from .. import codes, policy
from ..errors import Conflict, Forbidden, NotFound
from ..ledger.periods import month_key
from . import goods as goods_svc
from . import kept, points
from .states import EXCHANGE_LABELS, EXCHANGE_MACHINE

CODE_SALT = "shop-member"  # the member's rotating code (services/codes.py)


def code_for(member_id: int, now=None) -> str:
    """The member's rotating code for the office to scan."""
    return codes.make(CODE_SALT, member_id, now or utcnow())


def read_code(token: str, now=None) -> int:
    """The member id in a scanned code, or a refusal (stale, forged)."""
    return codes.read(CODE_SALT, token, now or utcnow())


def get(session, exchange_id) -> ShopExchange:
    """An exchange by id, or NotFound."""
    x = session.get(ShopExchange, exchange_id) if isinstance(exchange_id, int) else None
    if x is None:
        raise NotFound(_l("找不到这次兑换。"), code="exchange_not_found")
    return x


def _lock_member(session, member_id: int) -> None:
    # One member's reservations one at a time (PostgreSQL; SQLite's write lock already is):
    # two taps at once must not both spend the same points.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(User.id).where(User.id == member_id).with_for_update())


def reserve(session, actor: User, goods_id, now=None) -> ShopExchange:
    """The member takes one piece: refused when sold out, over the monthly limit or short of points."""
    now = now or utcnow()
    begin_write(session)
    g = goods_svc.get(session, goods_id)
    if not policy.can_shop_in(actor, g.community_id):
        raise Forbidden(_l("只有向本社区报到的党员可以用积分兑换。"))
    if g.status != "listed":
        raise Conflict(_l("这件物品现在不能兑换。"), code="not_listed")
    _lock_member(session, actor.id)
    month = month_key(now)
    if g.monthly_limit:
        taken = session.scalar(select(func.count(ShopExchange.id)).where(
            ShopExchange.goods_id == g.id, ShopExchange.member_id == actor.id,
            ShopExchange.month == month, ShopExchange.status != "cancelled"))
        if taken >= g.monthly_limit:
            raise Conflict(_l("这件物品每人每月最多兑换 %(n)s 件，本月已兑换过了。", n=g.monthly_limit),
                           code="monthly_limit")
    community = session.get(Org, g.community_id)
    if points.account(session, actor.id, community, now).balance < g.price:
        raise Conflict(_l("积分不够：这件物品需要 %(n)s 分。", n=g.price), code="not_enough_points")
    res = session.execute(update(ShopGoods)
                          .where(ShopGoods.id == g.id, ShopGoods.status == "listed",
                                 ShopGoods.stock >= 1)
                          .values(stock=ShopGoods.stock - 1, updated_at=now)
                          .execution_options(synchronize_session=False))
    if res.rowcount != 1:
        raise Conflict(_l("这件物品已经兑换完了。"), code="sold_out")
    x = ShopExchange(community_id=g.community_id, goods_id=g.id, member_id=actor.id,
                     points=Decimal(g.price), month=month, status="reserved", created_at=now,
                     updated_at=now)
    session.add(x)
    session.flush()
    EXCHANGE_MACHINE.log(session, x, "reserve", actor.id, None, "reserved", note=g.name, now=now)
    kept.note(session, x.community_id, actor.id, now)
    session.commit()
    return x


def hand_over(session, actor: User, exchange_id, now=None) -> ShopExchange:
    """The office gives the reserved piece to the member (after scanning their code, or on
    their page): the points stay spent."""
    now = now or utcnow()
    begin_write(session)
    x = get(session, exchange_id)
    if not policy.can_run_shop(actor, x.community_id):
        raise Forbidden(_l("只有本社区管理员可以发放物品。"))
    EXCHANGE_MACHINE.move(session, x, "hand_over", actor.id, now=now, handed_at=now,
                          handed_by_id=actor.id)
    session.commit()
    return x


def cancel(session, actor: User, exchange_id, now=None) -> ShopExchange:
    """The member (or the office) cancels a reservation: the piece and the points come back."""
    now = now or utcnow()
    begin_write(session)
    x = get(session, exchange_id)
    if not (actor.id == x.member_id or policy.can_run_shop(actor, x.community_id)):
        raise Forbidden(_l("只能取消自己的兑换。"))
    EXCHANGE_MACHINE.move(session, x, "cancel", actor.id, now=now)
    kept.note(session, x.community_id, x.member_id, now)
    session.execute(update(ShopGoods).where(ShopGoods.id == x.goods_id)
                    .values(stock=ShopGoods.stock + 1, updated_at=now)
                    .execution_options(synchronize_session=False))
    session.commit()
    return x


def rows(session, where, limit: int = 200) -> list[dict]:
    """Exchanges matching `where` (a list of clauses), newest first, as plain data."""
    q = (select(ShopExchange, ShopGoods.name, User.name)
         .join(ShopGoods, ShopGoods.id == ShopExchange.goods_id)
         .join(User, User.id == ShopExchange.member_id)
         .where(*where).order_by(ShopExchange.id.desc()).limit(limit))
    return [{"id": x.id, "goods": gname, "member": mname, "member_id": x.member_id,
             "points": points.plain(x.points), "status": x.status, "status_label": str(EXCHANGE_LABELS[x.status]),
             "created_at": x.created_at, "handed_at": x.handed_at}
            for x, gname, mname in session.execute(q)]


def mine(session, member: User, community_id: int) -> list[dict]:
    """A member's exchanges at a community."""
    return rows(session, [ShopExchange.member_id == member.id,
                          ShopExchange.community_id == community_id])


def waiting(session, actor: User, community_id: int) -> list[dict]:
    """Reservations waiting at the office."""
    if not policy.can_run_shop(actor, community_id):
        raise Forbidden(_l("只有本社区管理员可以管理爱心超市。"))
    return rows(session, [ShopExchange.community_id == community_id,
                          ShopExchange.status == "reserved"])


def member_page(session, actor: User, member_id, community_id: int, now=None) -> dict:
    """What the office sees of one member: points and exchanges (after a scan, or from a list)."""
    member = session.get(User, member_id) if isinstance(member_id, int) else None
    community = session.get(Org, community_id)
    if (member is None or community is None or not policy.can_see_points(actor, member, community_id)
            or not (member.id == actor.id or policy.can_shop_in(member, community_id))):
        raise NotFound(code="member_not_found")
    acc = points.account(session, member.id, community, now or utcnow())
    return {"member": {"id": member.id, "name": member.name}, "account": acc,
            "community": {"id": community.id, "name": community.name},
            "exchanges": mine(session, member, community_id)}
