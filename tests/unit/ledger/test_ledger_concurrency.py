"""Concurrent approvals in one community never fork the chain (SQLite and PostgreSQL)."""
import threading

from sqlalchemy import select

from webapp.extensions import db as _db
from webapp.models import LedgerEntry, ServiceRecord
from webapp.services.ledger import ledger


def test_parallel_approvals_keep_one_chain(app, db, world, make_wish):
    ids = []
    for _ in range(4):
        w = make_wish("closed", capacity=2, estimated_hours=6)  # outside tolerance: pending
        ids += [r.id for r in db.scalars(select(ServiceRecord).where(
            ServiceRecord.wish_id == w.id))]
    admin_id = world.admin.id
    db.remove()
    errors, start = [], threading.Barrier(len(ids))

    def approve(rid):
        with app.app_context():
            s = _db.session
            try:
                actor = s.get(type(world.admin), admin_id)
                start.wait()
                ledger.approve(s, actor, rid)
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))
            finally:
                s.remove()

    threads = [threading.Thread(target=approve, args=(rid,)) for rid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = db.scalars(select(LedgerEntry.seq).order_by(LedgerEntry.seq)).all()
    assert seqs == list(range(1, len(ids) + 1))
    (res,) = ledger.verify(db)
    assert res["ok"] and res["entries"] == len(ids)
