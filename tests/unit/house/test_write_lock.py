"""SQLite's write lock is taken by trying every millisecond (webapp/db.py begin_immediate), not
by SQLite's busy handler, which sleeps up to 100 ms between tries and let a job's back-to-back
batches keep a web request's write waiting for most of a second (bench/RESULTS.md)."""
import importlib
import sqlite3

import pytest
from sqlalchemy import exc, text

from webapp.db import begin_write

wdb = importlib.import_module("webapp.db")  # the module; `webapp.db` is the extension


@pytest.fixture
def holder(db):
    """Another connection holding SQLite's write lock."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's one write lock; PostgreSQL writers take row locks")
    db.rollback()
    conn = sqlite3.connect(db.get_bind().url.database, timeout=0, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


class _Clock:
    """time.monotonic and time.sleep for webapp.db: sleeping moves the clock, nothing waits."""

    def __init__(self, on_sleep=None):
        self.now, self.sleeps, self.on_sleep = 0.0, [], on_sleep

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep:
            self.on_sleep(len(self.sleeps))


def test_a_writer_tries_every_millisecond_and_gets_the_lock_once_free(app, db, holder,
                                                                      monkeypatch):
    clock = _Clock(on_sleep=lambda n: n == 3 and holder.execute("ROLLBACK"))
    monkeypatch.setattr(wdb, "time", clock)
    begin_write(db)
    db.execute(text("UPDATE orgs SET name = name WHERE 1 = 0"))
    assert clock.sleeps == [wdb.POLL_S] * 3
    # Inside the transaction the connection waits on its busy timeout again, as configured.
    raw = db.connection().connection.dbapi_connection
    assert raw.execute("PRAGMA busy_timeout").fetchone()[0] == \
        app.config["SQLITE_BUSY_TIMEOUT_MS"]
    db.commit()


def test_a_writer_gives_up_after_the_busy_timeout_with_nothing_begun(app, db, holder,
                                                                     monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(wdb, "time", clock)
    with pytest.raises(exc.OperationalError, match="locked"):
        begin_write(db)
    db.rollback()
    timeout_s = app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
    assert timeout_s <= clock.now < timeout_s + 2 * wdb.POLL_S
    assert set(clock.sleeps) == {wdb.POLL_S}
    holder.execute("ROLLBACK")
    begin_write(db)  # the lock free again: taken at once, no sleep
    db.rollback()
    assert clock.now < timeout_s + 2 * wdb.POLL_S
