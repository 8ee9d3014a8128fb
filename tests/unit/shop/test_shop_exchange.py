"""The points shop: offers and the shelf, reservations moving stock and points together,
hand-over, cancellation, limits; points never touch the ledger's hours."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.shoputil import NOW
from webapp.models import LedgerEntry, ShopExchange, ShopExchangeEvent, ShopGoods, ShopGoodsEvent
from webapp.schemas import parse
from webapp.schemas.shop import GoodsInput
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.services.shop import exchange, goods, points


def _balance(db, world, member, now=NOW):
    return points.account(db, member.id, world.ca, now).balance


def test_reserve_and_hand_over_move_stock_and_points_once(db, world, earn, shelf):
    earn(world.member, 25)
    g = shelf(price=10, stock=2)
    hours_before = db.scalar(select(func.sum(LedgerEntry.hours)))
    x = exchange.reserve(db, world.member, g.id, now=NOW)
    db.refresh(g)
    assert (g.stock, x.status, x.points) == (1, "reserved", Decimal(10))
    assert _balance(db, world, world.member) == 15
    exchange.hand_over(db, world.admin, x.id, now=NOW + timedelta(hours=1))
    db.refresh(x)
    assert (x.status, x.handed_by_id) == ("handed_over", world.admin.id)
    assert _balance(db, world, world.member) == 15  # spent once, at the reservation
    assert db.scalar(select(func.sum(LedgerEntry.hours))) == hours_before  # hours untouched
    actions = db.scalars(select(ShopExchangeEvent.action).where(
        ShopExchangeEvent.exchange_id == x.id).order_by(ShopExchangeEvent.id)).all()
    assert actions == ["reserve", "hand_over"]
    with pytest.raises(Conflict):
        exchange.hand_over(db, world.admin, x.id, now=NOW)


def test_short_of_points_writes_nothing(db, world, earn, shelf):
    earn(world.member, 5)
    g = shelf(price=10)
    with pytest.raises(Conflict) as e:
        exchange.reserve(db, world.member, g.id, now=NOW)
    assert e.value.code == "not_enough_points"
    db.refresh(g)
    assert g.stock == 3 and db.scalar(select(func.count(ShopExchange.id))) == 0


def test_honour_hours_earn_no_points(db, world, earn, shelf):
    earn(world.member, 50, basis="honour")  # 补录: even a line carrying points does not count
    earn(world.member, 4, basis="presence")
    assert _balance(db, world, world.member) == 4


def test_monthly_limit_and_cancel_give_back(db, world, earn, shelf):
    earn(world.member, 100)
    g = shelf(price=10, stock=5, monthly_limit=1)
    x = exchange.reserve(db, world.member, g.id, now=NOW)
    with pytest.raises(Conflict) as e:
        exchange.reserve(db, world.member, g.id, now=NOW)
    assert e.value.code == "monthly_limit"
    exchange.reserve(db, world.member, g.id, now=NOW + timedelta(days=31))  # next month
    exchange.cancel(db, world.member, x.id, now=NOW + timedelta(days=31))
    db.refresh(g)
    assert g.stock == 4 and _balance(db, world, world.member, NOW + timedelta(days=31)) == 90
    with pytest.raises(Forbidden):
        exchange.cancel(db, world.member2, x.id)


def test_only_members_of_the_community_exchange(db, world, earn, shelf):
    g = shelf()
    for who in (world.resident, world.member_b, world.unit_admin):
        with pytest.raises(Forbidden):
            exchange.reserve(db, who, g.id, now=NOW)


def test_a_units_offer_waits_for_the_office(db, world, earn):
    earn(world.member, 50)
    data = parse(GoodsInput, {"name": "保温杯", "price": "２０", "stock": "4"})  # full-width digits
    g = goods.offer(db, world.unit_admin, world.unit.id, data, now=NOW)
    assert (g.status, g.unit_id, g.community_id, g.donated) == ("offered", world.unit.id,
                                                                world.ca.id, 4)
    with pytest.raises(Conflict):
        exchange.reserve(db, world.member, g.id, now=NOW)
    with pytest.raises(Forbidden):
        goods.receive(db, world.unit_admin, g.id)
    goods.receive(db, world.admin, g.id, now=NOW)
    goods.restock(db, world.admin, g.id, {"quantity": "2"}, now=NOW)
    db.refresh(g)
    assert (g.status, g.stock, g.donated) == ("listed", 6, 6)
    assert goods.donations(db, world.unit.id) == {"kinds": 1, "pieces": 6}
    assert list(db.scalars(select(ShopGoodsEvent.action).order_by(ShopGoodsEvent.id))) == [
        "offer", "list", "restock"]
    with pytest.raises(Forbidden):  # another community's unit
        goods.offer(db, world.unit_admin, world.unit_b.id, data, now=NOW)


def test_bad_goods_input_is_refused_per_field(db, world):
    with pytest.raises(Invalid) as e:
        parse(GoodsInput, {"name": "x", "price": "0", "stock": "-1"})
    assert set(e.value.fields) == {"name", "price", "stock"}
    with pytest.raises(Invalid) as e:  # a donor unit of another community
        goods.add(db, world.admin, world.ca.id, parse(GoodsInput, {
            "name": "雨伞", "price": 5, "stock": 1, "unit_id": world.unit_b.id}))
    assert "unit_id" in e.value.fields
    assert db.scalar(select(func.count(ShopGoods.id))) == 0
