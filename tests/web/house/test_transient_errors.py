"""A write the database undid whole and that succeeds when tried again answers 503 with
Retry-After, never 500: SQLite's busy lock (tests/fault/test_sqlite_busy.py drives it through a
request) and, here, PostgreSQL's transaction-rollback class (SQLSTATE 40), made for real: a
serialization failure (40001, whose message names no lock) and a deadlock (40P01)."""
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from webapp.extensions import db as _db
from webapp.models import Org


def _deadlock(engine, first: int, second: int) -> OperationalError:
    """Two connections each lock one row and then want the other's: PostgreSQL ends one of
    them with 40P01. Returns that error (waits on the lock table, not on time)."""
    one, two = engine.connect(), engine.connect()
    caught: list = []
    try:
        for conn, row in ((one, first), (two, second)):
            conn.execute(text("UPDATE orgs SET name = name WHERE id = :i"), {"i": row})
        pid = one.execute(text("SELECT pg_backend_pid()")).scalar()

        def wants_second():
            try:
                one.execute(text("UPDATE orgs SET name = name WHERE id = :i"), {"i": second})
            except OperationalError as exc:
                caught.append(exc)
        waiter = threading.Thread(target=wants_second)
        waiter.start()
        with engine.connect() as watch:  # until the first really waits on the second's row
            while not watch.execute(text(
                    "SELECT 1 FROM pg_locks WHERE pid = :p AND NOT granted"), {"p": pid}).first():
                watch.rollback()
        try:
            two.execute(text("UPDATE orgs SET name = name WHERE id = :i"), {"i": first})
        except OperationalError as exc:
            caught.append(exc)
        finally:
            two.rollback()
        waiter.join()
    finally:
        one.close()
        two.close()
    assert len(caught) == 1, caught
    return caught[0]


def _serialization_failure(engine, row: int) -> OperationalError:
    """A snapshot transaction writes a row another committed since it began: 40001."""
    with engine.connect() as one, engine.connect() as two:
        one = one.execution_options(isolation_level="REPEATABLE READ")
        one.execute(text("SELECT name FROM orgs WHERE id = :i"), {"i": row})  # the snapshot
        two.execute(text("UPDATE orgs SET name = name WHERE id = :i"), {"i": row})
        two.commit()
        with pytest.raises(OperationalError) as caught:
            one.execute(text("UPDATE orgs SET name = name WHERE id = :i"), {"i": row})
        one.rollback()
    return caught.value


def test_postgresqls_transaction_rollback_class_answers_503_with_retry_after(app, db, world):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's SQLSTATE class 40 only; SQLite has one write lock "
                    "(its busy answer: tests/fault/test_sqlite_busy.py)")
    rows = db.scalars(select(Org.id).order_by(Org.id).limit(2)).all()
    db.rollback()
    for err, state in ((_serialization_failure(_db.engine, rows[0]), "40001"),
                       (_deadlock(_db.engine, *rows), "40P01")):
        assert getattr(err.orig, "sqlstate", None) == state
        for path, json in (("/api/v1/wishes", True), ("/wishes/new", False)):
            with app.test_request_context(path, method="POST"):
                resp = app.make_response(app.handle_user_exception(err))
            assert resp.status_code == 503 and resp.headers["Retry-After"] == "1", (state, path)
            if json:
                assert resp.get_json()["error"]["code"] == "busy"
            else:
                assert "系统繁忙" in resp.get_data(as_text=True)
