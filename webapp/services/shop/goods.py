"""Goods on a community's shelf: a unit offers (待社区接收), the office lists, restocks, withdraws."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ...db import begin_write
from ...models import Org, ShopGoods, Unit, User, utcnow
from ...schemas import parse
from ...schemas.shop import RestockInput
from .. import policy
from ..errors import Forbidden, Invalid, NotFound
from .states import GOODS_LABELS, GOODS_MACHINE


def get(session, goods_id) -> ShopGoods:
    """Goods by id, or NotFound."""
    g = session.get(ShopGoods, goods_id) if isinstance(goods_id, int) else None
    if g is None:
        raise NotFound(_l("找不到这件物品。"), code="goods_not_found")
    return g


def _community(session, community_id) -> Org:
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community":
        raise NotFound(code="community_not_found")
    return org


def add(session, actor: User, community_id, data, now=None, photo=None) -> ShopGoods:
    """The community's admin puts goods on the shelf (a donor unit of the community, or none)."""
    now = now or utcnow()
    begin_write(session)
    org = _community(session, community_id)
    if not policy.can_run_shop(actor, org.id):
        raise Forbidden(_l("只有本社区管理员可以上架物品。"))
    if data.unit_id is not None:
        unit = session.get(Unit, data.unit_id)
        if unit is None or unit.community_id != org.id or unit.status != "approved":
            raise Invalid({"unit_id": _l("捐赠单位需已向本社区报到。")})
    return _create(session, actor, org.id, data, "listed", now, photo)


def offer(session, actor: User, unit_id, data, now=None, photo=None) -> ShopGoods:
    """A unit's admin offers goods to the shop of the community the unit reported to."""
    now = now or utcnow()
    begin_write(session)
    unit = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if not policy.can_offer_goods(actor, unit):
        raise Forbidden(_l("只有已报到单位的管理员可以捐赠物品。"))
    data = data.model_copy(update={"unit_id": unit.id})
    return _create(session, actor, unit.community_id, data, "offered", now, photo)


def _create(session, actor, community_id, data, status, now, photo=None) -> ShopGoods:
    """`photo`: (bytes, type) of an uploaded photo, checked by web/uploads."""
    g = ShopGoods(photo=photo[0] if photo else None, photo_type=photo[1] if photo else None,
                  community_id=community_id, unit_id=data.unit_id, name=data.name,
                  description=data.description, photo_url=data.photo_url, price=data.price,
                  stock=data.stock, donated=data.stock, monthly_limit=data.monthly_limit,
                  status=status, offered_by_id=actor.id, created_at=now, updated_at=now)
    session.add(g)
    session.flush()
    GOODS_MACHINE.log(session, g, "offer" if status == "offered" else "add", actor.id, None,
                      status, note=f"×{data.stock}", now=now)
    session.commit()
    return g


def _run(session, actor, goods_id) -> ShopGoods:
    g = get(session, goods_id)
    if not policy.can_run_shop(actor, g.community_id):
        raise Forbidden(_l("只有本社区管理员可以管理爱心超市。"))
    return g


def receive(session, actor: User, goods_id, now=None) -> ShopGoods:
    """The office has the unit's donation: it goes on the shelf."""
    begin_write(session)
    g = _run(session, actor, goods_id)
    GOODS_MACHINE.move(session, g, "list", actor.id, now=now or utcnow())
    session.commit()
    return g


def restock(session, actor: User, goods_id, form: dict, now=None) -> ShopGoods:
    """More pieces of listed goods (counted as donated by the same donor); `form` holds
    `quantity`, checked after the permission so a stranger learns nothing from the answer."""
    now = now or utcnow()
    begin_write(session)
    g = _run(session, actor, goods_id)
    GOODS_MACHINE.check("restock", g.status)
    quantity = parse(RestockInput, form).quantity
    # Relative UPDATE: a reservation taking a piece at the same moment is not lost.
    session.execute(update(ShopGoods).where(ShopGoods.id == g.id)
                    .values(stock=ShopGoods.stock + quantity, donated=ShopGoods.donated + quantity,
                            updated_at=now).execution_options(synchronize_session=False))
    GOODS_MACHINE.log(session, g, "restock", actor.id, g.status, g.status, note=f"+{quantity}",
                      now=now)
    session.commit()
    session.refresh(g)
    return g


def withdraw(session, actor: User, goods_id, now=None) -> ShopGoods:
    """Off the shelf: the office, or the donor unit's admin while it is still an offer."""
    begin_write(session)
    g = get(session, goods_id)
    own_offer = g.status == "offered" and policy.can_offer_goods(actor, g.unit)
    if not (own_offer or policy.can_run_shop(actor, g.community_id)):
        raise Forbidden(_l("只有本社区管理员可以下架物品。"))
    GOODS_MACHINE.move(session, g, "withdraw", actor.id, now=now or utcnow())
    session.commit()
    return g


def card(g: ShopGoods, donor: str | None) -> dict:
    """What a shelf shows of goods: plain data for templates and the API."""
    return {"id": g.id, "name": g.name, "description": g.description, "photo_url": g.photo_url,
            "price": g.price, "stock": g.stock, "donated": g.donated,
            "monthly_limit": g.monthly_limit, "status": g.status,
            "status_label": str(GOODS_LABELS[g.status]), "donor": donor,
            "community_id": g.community_id, "unit_id": g.unit_id,
            "has_photo": g.photo_type is not None}


def photo_of(session, goods_id) -> tuple[bytes, str]:
    """The uploaded photo of goods, or NotFound."""
    g = get(session, goods_id)
    if g.photo_type is None:
        raise NotFound(code="photo_not_found")
    return g.photo, g.photo_type


def shelf(session, community_id: int, statuses=("listed",)) -> list[dict]:
    """The community's goods in `statuses`, newest first, with the donor's name."""
    rows = session.execute(select(ShopGoods, Unit.name).outerjoin(Unit, Unit.id == ShopGoods.unit_id)
                           .where(ShopGoods.community_id == community_id,
                                  ShopGoods.status.in_(statuses))
                           .order_by(ShopGoods.id.desc())).all()
    return [card(g, name) for g, name in rows]


def of_unit(session, unit_id: int) -> list[dict]:
    """A unit's donations, every status, newest first."""
    unit = session.get(Unit, unit_id)
    rows = session.scalars(select(ShopGoods).where(ShopGoods.unit_id == unit_id)
                           .order_by(ShopGoods.id.desc())).all()
    return [card(g, unit.name if unit else None) for g in rows]


def donations(session, unit_id: int, since=None, until=None) -> dict:
    """The unit report's count: goods offered and pieces donated (withdrawn offers left out)."""
    q = select(func.count(ShopGoods.id), func.coalesce(func.sum(ShopGoods.donated), 0)).where(
        ShopGoods.unit_id == unit_id, ShopGoods.status != "withdrawn")
    if since is not None:
        q = q.where(ShopGoods.created_at >= since)
    if until is not None:
        q = q.where(ShopGoods.created_at < until)
    kinds, pieces = session.execute(q).one()
    return {"kinds": int(kinds), "pieces": int(pieces)}
