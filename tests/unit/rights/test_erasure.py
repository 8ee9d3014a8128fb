"""Erasing an account keeps the ledger whole: name and contact go, the hours stay under the
person's id (the anonymous holder), and every chain still verifies, because the hash covers the
volunteer's id and never a name (services/ledger/chain.py HASHED_FIELDS)."""

from sqlalchemy import func, select

from webapp.models import (CareTag, LedgerEntry, Notification, PushSubscription, User, utcnow)
from webapp.services.ledger import chain
from webapp.services.wishes import privacy


def test_erasure_keeps_the_hours_and_the_chain_verifies(db, world, make_wish):
    make_wish("closed", estimated_hours=2, volunteers=[world.member])
    make_wish("closed", estimated_hours=1.5, volunteers=[world.member], title="帮忙取快递")
    hours = db.scalar(select(func.sum(LedgerEntry.hours))
                      .where(LedgerEntry.volunteer_id == world.member.id))
    assert hours and hours > 0
    assert "name" not in chain.HASHED_FIELDS and "volunteer_id" in chain.HASHED_FIELDS
    member = db.get(User, world.member.id)
    member.geo_consent_at = member.sensitive_consent_at = utcnow()
    db.add(CareTag(household_id=member.id, community_id=world.ca.id, tag="disabled",
                   set_by_id=world.grid_worker.id))
    db.commit()
    privacy.delete_account(db, member)
    db.expire_all()
    gone = db.get(User, world.member.id)
    assert gone.name == privacy.PSEUDONYM and gone.phone is None and gone.address is None
    assert gone.geo_consent_at is None and gone.volunteer_no is None and not gone.active
    assert db.scalar(select(func.sum(LedgerEntry.hours))
                     .where(LedgerEntry.volunteer_id == world.member.id)) == hours
    assert all(r["ok"] for r in chain.verify(db)), chain.verify(db)
    for model, col in ((Notification, Notification.user_id),
                       (PushSubscription, PushSubscription.user_id),
                       (CareTag, CareTag.household_id)):
        assert db.scalar(select(func.count()).select_from(model).where(col == world.member.id)) == 0
