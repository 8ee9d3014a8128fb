"""Simultaneous claims: capacity is respected exactly, on SQLite and PostgreSQL alike."""
import sqlite3
import threading
from contextlib import contextmanager

import pytest

from sqlalchemy import update

from webapp.extensions import db as _db
from webapp.models import Claim, User, Wish
from webapp.services.wishes import claims
from webapp.services.errors import Conflict


def _members(db, world, make_user, n):
    return [make_user(f"党员{i}", None, world.ba1, [("member", world.ca, None)]).id
            for i in range(n)]


def _race(app, wish_id, user_ids):
    """Each thread: its own app context and session, all released by one barrier."""
    barrier = threading.Barrier(len(user_ids), timeout=30)
    results, errors = [], []

    def worker(uid):
        with app.app_context():
            # Hold no pooled connection while waiting: 20 waiting threads would exhaust the pool.
            barrier.wait()
            try:
                claims.claim(_db.session, _db.session.get(User, uid), wish_id)
                results.append(uid)
            except Conflict as exc:
                errors.append(exc.code)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(u,)) for u in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.parametrize("capacity", [1, 3])
def test_twenty_threads_exactly_capacity_winners(app, db, world, make_user, make_wish, capacity):
    wish = make_wish("published", capacity=capacity)
    users = _members(db, world, make_user, 20)
    winners, losers = _race(app, wish.id, users)
    assert len(winners) == capacity
    assert len(losers) == 20 - capacity and set(losers) <= {"full", "not_open"}
    db.rollback()  # end the snapshot this session read before the race
    w = db.get(Wish, wish.id)
    assert w.taken == capacity and w.status == "claimed"
    live = db.query(Claim).filter(Claim.wish_id == wish.id, Claim.status == "active").all()
    assert sorted(c.volunteer_id for c in live) == sorted(winners)


def test_one_volunteer_twenty_times_gets_one_claim(app, db, world, make_wish):
    wish = make_wish("published", capacity=5)
    winners, losers = _race(app, wish.id, [world.member3.id] * 20)
    assert len(winners) == 1 and set(losers) == {"already_claimed"}
    db.rollback()  # end the snapshot this session read before the race
    assert db.get(Wish, wish.id).taken == 1
    assert db.query(Claim).filter_by(wish_id=wish.id, volunteer_id=world.member3.id).count() == 1


@contextmanager
def _writer_holding_the_wish(engine, wish_id):
    """Another connection in the middle of a write: SQLite's write lock, a PostgreSQL row lock."""
    if engine.dialect.name == "sqlite":
        conn = sqlite3.connect(engine.url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE wishes SET updated_at = updated_at WHERE id = ?", (wish_id,))
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    with engine.connect() as conn:
        conn.execute(update(Wish).where(Wish.id == wish_id).values(updated_at=Wish.updated_at))
        try:
            yield
        finally:
            conn.rollback()


def test_a_refusal_does_not_queue_behind_a_writer(app, db, world, make_wish):
    """A claim on a full wish is refused from a plain read, so it never waits for the lock."""
    wish = make_wish("claimed", capacity=1)
    with _writer_holding_the_wish(_db.engine, wish.id):
        with pytest.raises(Conflict) as refused:
            claims.claim(db, world.member2, wish.id)
    assert refused.value.code == "not_open"
