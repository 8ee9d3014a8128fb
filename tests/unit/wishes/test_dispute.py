""""没办好": a finished wish reopened within the window holds its hours until the review."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from webapp.models import Claim, LedgerEntry, Notification, ServiceRecord, utcnow
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.services.ledger import holds, ledger
from webapp.services.wishes import dispute


def test_reopen_holds_the_hours_and_uphold_releases_them(db, world, make_wish):
    w = make_wish("closed")
    assert holds.settled_totals(db, world.member.id) == (Decimal("1.5"), Decimal("1.5"))
    dispute.dispute(db, world.resident, w.id, "地没拖干净")
    assert w.status == "disputed"
    # The entry stays in the ledger (never edited) but does not count as settled.
    assert ledger.totals(db, world.member.id)[0] == Decimal("1.5")
    assert holds.held(db, world.member.id) == (Decimal("1.5"), Decimal("1.5"))
    assert holds.settled_totals(db, world.member.id) == (Decimal("0"), Decimal("0"))
    told = set(db.scalars(select(Notification.user_id).where(
        Notification.event.in_(("wish_disputed", "wish_disputed_volunteer")))))
    assert {world.admin.id, world.member.id} <= told
    dispute.settle(db, world.admin, w.id, "uphold")
    assert w.status == "closed"
    assert holds.settled_totals(db, world.member.id) == (Decimal("1.5"), Decimal("1.5"))


def test_redo_reverses_the_hours_and_puts_the_wish_back_on_the_menu(db, world, make_wish):
    w = make_wish("closed")
    dispute.dispute(db, world.resident, w.id, "没有来")
    with pytest.raises(Invalid):
        dispute.settle(db, world.admin, w.id, "redo", "")  # the volunteer is told why
    dispute.settle(db, world.admin, w.id, "redo", "核实未上门")
    assert (w.status, w.taken, w.rating) == ("published", 0, None)
    assert ledger.totals(db, world.member.id)[0] == Decimal("0")
    kinds = [e.kind for e in db.scalars(select(LedgerEntry).where(LedgerEntry.wish_id == w.id)
                                             .order_by(LedgerEntry.id))]
    assert kinds == ["entry", "reversal"]
    assert all(r["ok"] for r in ledger.verify(db, world.ca.id))
    assert db.scalar(select(Claim.status).where(Claim.wish_id == w.id)) == "released"
    assert db.scalar(select(ServiceRecord.approval).where(ServiceRecord.wish_id == w.id)) == "rejected"


def test_pending_hours_cannot_be_approved_while_held(db, world, make_wish):
    w = make_wish("closed", estimated_hours=5)  # 1.5 h against 5: outside tolerance, pending
    rec = db.scalar(select(ServiceRecord).where(ServiceRecord.wish_id == w.id))
    assert rec.approval == "pending"
    dispute.dispute(db, world.resident, w.id, "只做了一半")
    with pytest.raises(Conflict) as e:
        ledger.approve(db, world.admin, rec.id)
    assert e.value.code == "hours_held"
    dispute.settle(db, world.admin, w.id, "redo", "重新安排")
    assert db.get(ServiceRecord, rec.id).approval == "rejected"


def test_only_within_the_window_by_the_resident_with_a_reason(db, world, make_wish):
    w = make_wish("closed")
    with pytest.raises(Forbidden):
        dispute.dispute(db, world.member, w.id, "我自己说没办好")
    with pytest.raises(Invalid):
        dispute.dispute(db, world.resident, w.id, "  ")
    with pytest.raises(Conflict) as e:
        dispute.dispute(db, world.resident, w.id, "晚了", now=utcnow() + timedelta(days=8))
    assert e.value.code == "window_over"
    with pytest.raises(Forbidden):
        dispute.settle(db, world.admin_b, w.id, "uphold")  # another community's admin
    assert w.status == "closed"


def test_a_wish_not_yet_finished_cannot_be_reopened(db, world, make_wish):
    w = make_wish("in_service")
    with pytest.raises(Conflict):
        dispute.dispute(db, world.resident, w.id, "还没来")
    assert not dispute.can_dispute(db, world.resident, w)


def test_a_held_wishs_points_cannot_be_spent_and_a_line_of_no_wish_can(db, world, make_wish):
    """The shop's spendable points leave out what a reopened wish holds, and only that."""
    from tests.shoputil import earn
    from webapp.services.shop import points
    w = make_wish("closed")
    earn(db, world.ca, world.member, 2, when=utcnow())  # a line of no wish (a project's, say)

    def spendable():
        return points.account(db, world.member.id, world.ca, utcnow()).balance
    assert spendable() == Decimal("3.5")
    dispute.dispute(db, world.resident, w.id, "地没拖干净")
    assert spendable() == Decimal("2")
    dispute.settle(db, world.admin, w.id, "uphold")
    assert spendable() == Decimal("3.5")
