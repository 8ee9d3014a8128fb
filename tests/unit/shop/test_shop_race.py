"""Two members take the last piece at once, each on their own connection: exactly one gets it."""
import threading

from sqlalchemy import func, select

from tests.shoputil import NOW
from webapp.extensions import db as _db
from webapp.models import Org, ShopExchange, ShopGoods, User
from webapp.services.errors import Conflict
from webapp.services.shop import exchange, points


def _race(app, user_ids, goods_id):
    barrier = threading.Barrier(len(user_ids), timeout=30)
    won, lost = [], []

    def worker(uid):
        with app.app_context():
            barrier.wait()
            try:
                exchange.reserve(_db.session, _db.session.get(User, uid), goods_id, now=NOW)
                won.append(uid)
            except Conflict as exc:
                lost.append(exc.code)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(u,)) for u in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won, lost


def test_two_members_one_last_piece(app, db, world, earn, shelf):
    for m in (world.member, world.member2):
        earn(m, 10)
    g = shelf(price=10, stock=1)
    won, lost = _race(app, [world.member.id, world.member2.id], g.id)
    assert len(won) == 1 and lost == ["sold_out"]
    db.rollback()
    assert db.scalar(select(ShopGoods.stock).where(ShopGoods.id == g.id)) == 0
    assert db.scalar(select(func.count(ShopExchange.id))) == 1
    loser = ({world.member.id, world.member2.id} - set(won)).pop()
    assert points.account(db, won[0], world.ca, NOW).balance == 0
    assert points.account(db, loser, world.ca, NOW).balance == 10


def test_one_member_tapping_twice_spends_the_points_once(app, db, world, earn, shelf):
    earn(world.member, 10)
    g = shelf(price=10, stock=5, monthly_limit=0)
    won, lost = _race(app, [world.member.id] * 2, g.id)
    assert len(won) == 1 and lost == ["not_enough_points"]
    db.rollback()
    assert db.scalar(select(ShopGoods.stock).where(ShopGoods.id == g.id)) == 4


def test_points_earned_while_the_member_reserves_keep_the_account_true(app, db, world, earn,
                                                                       shelf):
    """A ledger line (the community's chain, then the member's row at commit) and a reservation
    (the member's row) at once: the kept account is the replay of both, whichever commits last."""
    from tests.shoputil import earn as earn_in
    from webapp.db import begin_write
    from webapp.services.shop import kept
    earn(world.member, 10)
    g = shelf(price=10, stock=2)
    # plain ids: the world's objects belong to this thread's session and may not be loaded
    # from another thread
    ca_id, member_id, goods_id = world.ca.id, world.member.id, g.id
    barrier = threading.Barrier(2, timeout=30)
    done = []

    def approve():
        with app.app_context():
            barrier.wait()
            try:
                begin_write(_db.session)  # as the ledger's approvals do (SQLite: BEGIN IMMEDIATE)
                earn_in(_db.session, _db.session.get(Org, ca_id),
                        _db.session.get(User, member_id), 7, NOW)
                done.append("earned")
            finally:
                _db.session.remove()

    def reserve():
        with app.app_context():
            barrier.wait()
            try:
                exchange.reserve(_db.session, _db.session.get(User, member_id), goods_id, now=NOW)
                done.append("reserved")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=f) for f in (approve, reserve)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.rollback()
    assert sorted(done) == ["earned", "reserved"]
    assert kept.drift(db) == []
    assert points.account(db, world.member.id, world.ca, NOW).balance == 7
