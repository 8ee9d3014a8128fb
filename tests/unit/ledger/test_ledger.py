"""Ledger: auto-approval within tolerance, the approval queue, corrections, the hash chain."""
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from webapp.models import LedgerChain, LedgerEntry, RecordReview, ServiceRecord
from webapp.services.ledger import ledger
from webapp.services.errors import Conflict, Forbidden, Invalid


def _records(db, wish):
    return db.scalars(select(ServiceRecord).where(ServiceRecord.wish_id == wish.id)
                      .order_by(ServiceRecord.id)).all()


def test_within_tolerance_is_auto_approved_into_the_chain(db, world, make_wish):
    # make_wish marks 1.5 h done against an estimate of 1.5 h: within ±50 %
    w = make_wish("closed", estimated_hours=1.5)
    (rec,) = _records(db, w)
    assert rec.approval == "approved"
    (e,) = db.scalars(select(LedgerEntry)).all()
    assert (e.seq, e.kind, e.hours, e.points, e.actor_id) == (1, "entry", Decimal("1.5"),
                                                              Decimal("1.5"), None)
    assert e.prev_hash == ledger.GENESIS and e.hash == ledger.entry_hash(e)
    assert db.get(LedgerChain, world.ca.id).last_hash == e.hash
    assert db.scalar(select(RecordReview.decision)) == "auto"


def test_outside_tolerance_waits_then_admin_approves(db, world, make_wish):
    w = make_wish("closed", estimated_hours=0.5)  # 1.5 h reported vs 0.5 h ± 50 %
    (rec,) = _records(db, w)
    assert rec.approval == "pending"
    assert db.scalar(select(LedgerEntry.id)) is None
    assert [q["id"] for q in ledger.queue(db, world.ca.id)] == [rec.id]
    e = ledger.approve(db, world.admin, rec.id)
    assert e.hours == Decimal("1.5") and e.actor_id == world.admin.id
    assert rec.approval == "approved" and ledger.queue(db, world.ca.id) == []
    with pytest.raises(Conflict):
        ledger.approve(db, world.admin, rec.id)


def test_adjust_needs_a_reason_and_records_it(db, world, make_wish):
    (rec,) = _records(db, make_wish("closed", estimated_hours=4))
    with pytest.raises(Invalid) as exc:
        ledger.approve(db, world.admin, rec.id, hours="1.0")
    assert "reason" in exc.value.fields
    db.rollback()
    with pytest.raises(Invalid) as exc:
        ledger.approve(db, world.admin, rec.id, hours="30", reason="x")
    assert "hours" in exc.value.fields
    db.rollback()
    e = ledger.approve(db, world.admin, rec.id, hours="1.0", reason="含路上时间，核减")
    assert e.hours == Decimal("1.0") and e.reason == "含路上时间，核减"
    rv = db.scalars(select(RecordReview).where(RecordReview.record_id == rec.id)).one()
    assert (rv.decision, rv.hours, rv.actor_id) == ("adjust", Decimal("1.0"), world.admin.id)


def test_reject_needs_reason_and_writes_no_entry(db, world, make_wish):
    (rec,) = _records(db, make_wish("closed", estimated_hours=4))
    with pytest.raises(Invalid):
        ledger.reject(db, world.admin, rec.id, "")
    db.rollback()
    ledger.reject(db, world.admin, rec.id, "未实际上门")
    assert rec.approval == "rejected" and db.scalar(select(LedgerEntry.id)) is None


def test_bulk_approve_and_other_community_forbidden(db, world, make_wish):
    recs = _records(db, make_wish("closed", capacity=2, estimated_hours=4))
    with pytest.raises(Forbidden):
        ledger.bulk_approve(db, world.admin_b, [r.id for r in recs])
    db.rollback()
    assert ledger.bulk_approve(db, world.admin, [str(r.id) for r in recs]) == 2
    assert [e.seq for e in db.scalars(select(LedgerEntry).order_by(LedgerEntry.seq))] == [1, 2]
    assert ledger.verify(db)[0]["ok"]


def test_correction_is_a_reversal_plus_new_entry_never_an_edit(db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    (e,) = db.scalars(select(LedgerEntry)).all()
    before = (e.hours, e.hash)
    rev, new = ledger.correct(db, world.admin, e.id, "2.0", "居民反馈实际服务两小时")
    assert (rev.kind, rev.hours, rev.points, rev.reverses_id) == ("reversal", Decimal("-1.5"),
                                                                   Decimal("-1.5"), e.id)
    assert (new.kind, new.hours, new.reverses_id, new.actor_id) == (
        "correction", Decimal("2.0"), e.id, world.admin.id)
    db.refresh(e)
    assert (e.hours, e.hash) == before
    assert ledger.totals(db, world.member.id) == (Decimal("2.0"), Decimal("2.0"))
    with pytest.raises(Conflict):
        ledger.correct(db, world.admin, e.id, "1", "again")
    db.rollback()
    # revoke entirely: hours 0 gives only a reversal
    (rev2,) = ledger.correct(db, world.admin, new.id, "0", "重复登记")
    assert rev2.hours == Decimal("-2.0") and ledger.totals(db, world.member.id)[0] == 0
    assert ledger.verify(db)[0] == {**ledger.verify(db)[0], "ok": True, "entries": 4}


def test_correction_requires_reason_and_admin(db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    e = db.scalar(select(LedgerEntry))
    with pytest.raises(Invalid):
        ledger.correct(db, world.admin, e.id, "2", "")
    db.rollback()
    with pytest.raises(Forbidden):
        ledger.correct(db, world.admin_b, e.id, "2", "x")


@pytest.mark.tampers_ledger
@pytest.mark.parametrize("column,value", [("hours", "9.5"), ("volunteer_id", None),
                                          ("reason", "'篡改'"), ("prev_hash", "'ab'")])
def test_tamper_with_raw_sql_is_named_by_verify(db, world, make_wish, column, value):
    for _ in range(3):
        make_wish("closed", estimated_hours=1.5)
    mid = db.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)).all()[1]
    assert all(r["ok"] for r in ledger.verify(db))
    if value is None:
        value = str(world.member3.id)
    db.execute(text(f"UPDATE ledger_entries SET {column} = {value} WHERE id = :i"), {"i": mid.id})
    db.commit()
    (res,) = ledger.verify(db)
    assert not res["ok"] and res["broken"]["id"] == mid.id and res["broken"]["seq"] == 2


@pytest.mark.tampers_ledger
def test_deleting_the_last_entry_is_detected(db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    make_wish("closed", estimated_hours=1.5)
    db.execute(text("DELETE FROM record_reviews"))
    db.execute(text("DELETE FROM ledger_entries WHERE seq = 2"))
    db.commit()
    (res,) = ledger.verify(db)
    assert not res["ok"] and res["broken"]["seq"] == 2


def test_points_and_stars_follow_community_rules(db, world):
    assert ledger.points_for(Decimal("1.5"), world.ca) == Decimal("1.5")
    world.ca.settings = {"points_per_hour": 2}
    assert ledger.points_for(Decimal("1.5"), world.ca) == Decimal("3.0")
    th = [100, 300, 600, 1000, 1500]
    assert ledger.star_level(Decimal("99.9"), th) == (0, 100)
    assert ledger.star_level(100, th) == (1, 300)
    assert ledger.star_level(Decimal("1499.9"), th) == (4, 1500)
    assert ledger.star_level(1500, th) == (5, None)
    assert ledger.star_level(20, [10, 20]) == (2, None)


def test_tolerance_edges():
    assert ledger.within_tolerance(Decimal("1.5"), Decimal("1.0"), 0.5)
    assert ledger.within_tolerance(Decimal("0.5"), Decimal("1.0"), 0.5)
    assert not ledger.within_tolerance(Decimal("1.6"), Decimal("1.0"), 0.5)
    assert not ledger.within_tolerance(None, Decimal("1.0"), 0.5)
    assert ledger.within_tolerance(Decimal("1.0"), Decimal("1.0"), 0)


@pytest.mark.tampers_ledger
def test_quick_check_covers_the_newest_entries_and_full_check_all(db, world, make_wish):
    for _ in range(4):
        make_wish("closed", estimated_hours=1.5)
    first = db.scalar(select(LedgerEntry).where(LedgerEntry.seq == 1))
    db.execute(text("UPDATE ledger_entries SET hours = 7 WHERE id = :i"), {"i": first.id})
    db.commit()
    assert not ledger.chain_state(db, world.ca.id)["ok"]  # 4 entries: the window covers all
    (q,) = ledger.verify(db, world.ca.id, last=2)
    assert q["ok"] and q["entries"] == 2  # seq 3 and 4, linked onto seq 2's stored hash
    (full,) = ledger.verify(db, world.ca.id)
    assert not full["ok"] and full["broken"]["seq"] == 1
    last = db.scalar(select(LedgerEntry).where(LedgerEntry.seq == 4))
    db.execute(text("UPDATE ledger_entries SET reason = 'x' WHERE id = :i"), {"i": last.id})
    db.commit()
    (q,) = ledger.verify(db, world.ca.id, last=2)
    assert not q["ok"] and q["broken"]["seq"] == 4
