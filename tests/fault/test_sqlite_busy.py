"""SQLite busy/locked: a writer that cannot get the lock answers 503 + Retry-After, never 500."""
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from config import TestConfig
from tests.fault.helpers import seed
from webapp import create_app
from webapp.extensions import db as _db
from webapp.models import LIVE_CLAIM_STATUSES, Claim, User, Wish

# Runs once, in the SQLite pass of scripts/test.sh: it is about SQLite's lock itself.
pytestmark = pytest.mark.engine_neutral


@pytest.fixture
def busy_app(tmp_path):
    """An app on its own SQLite file with a short busy timeout, seeded."""
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
        SQLITE_BUSY_TIMEOUT_MS = 30
    app = create_app(Cfg)
    with app.app_context():
        _db.create_all()
        app.seeded = seed(_db.session, members=16, wish_count=4, capacity=3, closed=0)
        app.db_path = str(tmp_path / "busy.sqlite3")
        _db.session.remove()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_held_write_lock_gives_503_with_retry_after_then_succeeds(busy_app):
    data = busy_app.seeded
    wid, token = data["open"][0], data["tokens"][0]
    c = busy_app.test_client()
    blocker = sqlite3.connect(busy_app.db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        r = c.post(f"/api/v1/wishes/{wid}/claims", json={}, headers=_auth(token))
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "1"
        assert r.get_json()["error"]["code"] == "busy"
        # The web page path answers the same way, with a page (not a stack trace).
        with busy_app.app_context():
            uid = _db.session.scalars(select(User.id).where(User.name == "志愿者1")).one()
        with c.session_transaction() as s:
            s["_user_id"], s["_fresh"] = f"{uid}.0", True
        r = c.post(f"/wishes/{wid}/claim")
        assert r.status_code == 503 and "Retry-After" in r.headers
        assert "系统繁忙" in r.get_data(as_text=True)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with busy_app.app_context():
        assert _db.session.scalar(select(func.count(Claim.id))) == 0  # nothing half-written
    r = c.post(f"/api/v1/wishes/{wid}/claims", json={}, headers=_auth(token))
    assert r.status_code == 201  # the retry the 503 asked for works


@pytest.mark.slow
def test_concurrent_writers_get_success_conflict_or_503_never_500(busy_app):
    data = busy_app.seeded
    statuses, lock = [], threading.Lock()
    start = threading.Barrier(16)

    def member(i):
        c = busy_app.test_client()
        token = data["tokens"][i]
        start.wait()
        for wid in data["open"] * 3:
            r = c.post(f"/api/v1/wishes/{wid}/claims", json={}, headers=_auth(token))
            if r.status_code == 503:
                assert r.headers.get("Retry-After")
            with lock:
                statuses.append(r.status_code)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(member, range(16)))
    assert set(statuses) <= {201, 409, 503}, sorted(set(statuses))
    assert 201 in statuses
    with busy_app.app_context():
        s = _db.session
        for w in s.scalars(select(Wish)):
            live = s.scalar(select(func.count(Claim.id)).where(
                Claim.wish_id == w.id, Claim.status.in_(LIVE_CLAIM_STATUSES)))
            assert w.taken == live <= w.capacity
        assert statuses.count(201) == s.scalar(select(func.count(Claim.id)))
