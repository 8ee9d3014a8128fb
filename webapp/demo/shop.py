"""The demo's 爱心超市, driven through the real services: 区人民医院 offers goods from its unit
page, the office receives them and adds one of its own, and the member with the most points
reserves one piece and collects it at the office — another reservation waits to be collected."""
from datetime import timedelta

from sqlalchemy import func, select

from ..models import LedgerEntry, RoleGrant, User
from ..schemas import parse
from ..schemas.shop import GoodsInput
from ..services.shop import exchange, goods, points

D = timedelta(days=1)
DONATED = [  # (name, description, price, stock, monthly limit) from 区人民医院
    ("医用口罩（50 只装）", "区人民医院捐赠，独立包装", 5, 20, 2),
    ("家用血压计", "电子上臂式，附说明书", 60, 3, 1),
]
OWN = ("洗衣液 2 kg", "社区爱心超市自购", 10, 15, 1)


def _input(name, description, price, stock, limit):
    return parse(GoodsInput, {"name": name, "description": description, "price": price,
                              "stock": stock, "monthly_limit": limit})


def seed_shop(s, ctx) -> None:
    """Goods donated and received, one exchange handed over and one waiting."""
    west = ctx.orgs["城西社区"]
    admin = ctx.admins[west.id]
    unit = ctx.units["区人民医院"]
    unit_admin = s.scalar(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == "unit_admin", RoleGrant.unit_id == unit.id, RoleGrant.active.is_(True)))
    t = ctx.now - 5 * D
    offered = [goods.offer(s, unit_admin, unit.id, _input(*row), now=t) for row in DONATED]
    for g in offered:
        goods.receive(s, admin, g.id, now=t + D)
    own = goods.add(s, admin, west.id, _input(*OWN), now=t + D)
    # The members of 城西社区 with the most points exchange (a spend needs points in hand).
    top = s.execute(select(LedgerEntry.volunteer_id, func.sum(LedgerEntry.points).label("p"))
                    .where(LedgerEntry.community_id == west.id)
                    .group_by(LedgerEntry.volunteer_id).order_by(func.sum(LedgerEntry.points).desc(),
                                                                  LedgerEntry.volunteer_id)
                    .limit(2)).all()
    when = ctx.now - 2 * D
    for i, (vid, _p) in enumerate(top):
        member = s.get(User, vid)
        have = points.account(s, vid, west, when).balance
        choice = next((g for g in (offered[0], own) if g.price <= have), None)
        if choice is None:
            continue
        x = exchange.reserve(s, member, choice.id, now=when + i * timedelta(hours=1))
        if i == 0:
            exchange.hand_over(s, admin, x.id, now=when + D)
