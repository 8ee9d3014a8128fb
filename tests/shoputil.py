"""Helpers for the points shop's tests: points earned through the real ledger, goods listed
through the real services."""
from datetime import datetime, timezone

from webapp.schemas import parse
from webapp.schemas.shop import GoodsInput
from webapp.services.ledger import ledger
from webapp.services.shop import goods

# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
# Tuesday 2025-03-04 02:00 UTC (10:00 Beijing).
NOW = datetime(2025, 3, 4, 2, 0, tzinfo=timezone.utc)


def earn(db, community, member, points, when=NOW, basis=None, hours=None):
    """A ledger line of `points` for `member` in `community`, dated `when` (appended to the chain)."""
    chain = ledger.lock_chain(db, community.id)
    e = ledger.append(db, chain, when, volunteer_id=member.id, service_date=when,
                      hours=hours if hours is not None else points, points=points, kind="entry",
                      basis=basis)
    db.commit()
    return e


def list_goods(db, world, now=NOW, **kw):
    """Goods donated by the world's unit, listed by community A's admin."""
    data = dict(unit_id=world.unit.id, name="大米 5 斤", description="区人民医院捐赠", price=10,
                stock=3, monthly_limit=1)
    data.update(kw)
    return goods.add(db, world.admin, world.ca.id, parse(GoodsInput, data), now=now)


def shop_objects(db, world) -> dict:
    """For the permission and page sweeps: listed goods of community A and `member`'s
    reservation of one piece (points earned today, so none have lapsed)."""
    from webapp.models import utcnow
    from webapp.services.shop import exchange
    now = utcnow()
    earn(db, world.ca, world.member, 30, when=now)
    g = goods.add(db, world.admin, world.ca.id, parse(GoodsInput, {
        "unit_id": world.unit.id, "name": "大米 5 斤", "price": 10, "stock": 3,
        "monthly_limit": 0}), now=now, photo=(PNG, "image/png"))
    x = exchange.reserve(db, world.member, g.id, now=now)
    return {"goods_id": g.id, "exchange_id": x.id, "op": "receive"}


def exercise(checked, client, doc, world, db) -> set:
    """Call every shop operation of the API (successes and refusals); returns the `seen` set."""
    from webapp.models import utcnow
    earn(db, world.ca, world.member, 12, when=utcnow())
    g = list_goods(db, world, now=utcnow(), price=10, stock=1)
    member, admin = checked(client, doc, world.member), checked(client, doc, world.admin)
    member.call("get", "/shop", "/api/v1/shop")
    tpl = "/api/v1/shop/goods/{goods_id}/reserve"
    x = member.call("post", f"/shop/goods/{g.id}/reserve", tpl).json["id"]
    member.call("post", f"/shop/goods/{g.id}/reserve", tpl)  # 409 sold out
    checked(client, doc, world.resident).call("post", f"/shop/goods/{g.id}/reserve", tpl)  # 403
    member.call("get", "/shop", "/api/v1/shop")
    member.call("post", f"/shop/exchanges/{x}/hand-over",
                "/api/v1/shop/exchanges/{exchange_id}/hand-over")  # 403: the office's
    admin.call("post", f"/shop/exchanges/{x}/hand-over",
               "/api/v1/shop/exchanges/{exchange_id}/hand-over")
    member.call("post", f"/shop/exchanges/{x}/cancel",
                "/api/v1/shop/exchanges/{exchange_id}/cancel")  # 409: handed over
    member.call("post", "/shop/exchanges/999999/cancel",
                "/api/v1/shop/exchanges/{exchange_id}/cancel")  # 404
    return member.seen | admin.seen
