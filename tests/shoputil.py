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


def replayed_accounts(db, community, until, current=False, last_month=None) -> dict:
    """Every member's account at `community` as of `until`, replayed from the rows (two queries,
    replayed per member): the reference the kept figures are compared with. `current`: every
    ledger line counts, whenever added (read from the kept summary), those dated up to
    `last_month` if given; else only the lines created before `until`."""
    from sqlalchemy import func, select
    from webapp.models import LedgerEntry, LedgerPoints, ShopExchange
    from webapp.services.people.orgs import setting
    from webapp.services.shop.points import earning, replay
    if current:
        q = (select(LedgerPoints.volunteer_id, LedgerPoints.service_month, LedgerPoints.points)
             .where(LedgerPoints.community_id == community.id))
        if last_month is not None:
            q = q.where(LedgerPoints.service_month <= last_month)
    else:
        q = (earning(select(LedgerEntry.volunteer_id, LedgerEntry.service_month,
                            func.sum(LedgerEntry.points))
                     .where(LedgerEntry.community_id == community.id,
                            LedgerEntry.created_at < until))
             .group_by(LedgerEntry.volunteer_id, LedgerEntry.service_month))
    lots: dict = {}
    for vid, month, pts in db.execute(q):
        lots.setdefault(vid, {})[month] = pts
    spends: dict = {}
    for mid, at, pts in db.execute(
            select(ShopExchange.member_id, ShopExchange.created_at, ShopExchange.points)
            .where(ShopExchange.community_id == community.id, ShopExchange.status != "cancelled",
                   ShopExchange.created_at < until)
            .order_by(ShopExchange.created_at, ShopExchange.id)):
        spends.setdefault(mid, []).append((at, pts))
    years = int(setting(community, "points_expiry_years"))
    return {m: replay(lots.get(m, {}), spends.get(m, []), years, until)
            for m in set(lots) | set(spends)}


def replayed_past(db, org, period, until, page=None, from_lines=False) -> tuple:
    """积分台账 of a past period by replaying every member (how the page worked it out before it
    summed the kept rows), as (rows, total, count): points dated up to its last month and
    exchanges made before its end, replayed to its end. `from_lines`: the lines created before
    its end instead (what the page showed then)."""
    from webapp.services.shop import accounts
    after = (replayed_accounts(db, org, until) if from_lines else
             replayed_accounts(db, org, until, current=True, last_month=period.last_month))
    earned = dict(db.execute(accounts._earned(period, org.id)).all())
    spent = dict(db.execute(accounts._spent(period, org.id)).all())
    ids = set(earned) | set(spent) | {m for m, a in after.items() if a.balance or a.expired}
    return accounts._listed(db, ids, page, earned=earned, spent=spent,
                            expired={m: accounts._in(a.lapses, period.start, until)
                                     for m, a in after.items()},
                            balance={m: a.balance for m, a in after.items()})
