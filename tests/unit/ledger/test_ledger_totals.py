"""The ledger keeps each volunteer's net hours per community (models.LedgerTotal) in the same
transaction as every append: the summary always equals the sum over the chain."""
from decimal import Decimal

from sqlalchemy import func, select

from webapp.models import LedgerEntry, LedgerTotal, utcnow
from webapp.services.ledger import ledger


def _sums(db) -> dict:
    return {(c, v): Decimal(h) for c, v, h in db.execute(
        select(LedgerEntry.community_id, LedgerEntry.volunteer_id, func.sum(LedgerEntry.hours))
        .group_by(LedgerEntry.community_id, LedgerEntry.volunteer_id))}


def _totals(db) -> dict:
    return {(t.community_id, t.volunteer_id): Decimal(t.hours)
            for t in db.scalars(select(LedgerTotal))}


def test_the_totals_are_the_chain_summed_after_entries_and_a_reversal(db, world):
    now = utcnow()
    lines = [(world.ca, world.member, "2.5"), (world.ca, world.member, "1"),
             (world.ca, world.member2, "3"), (world.cb, world.member, "4"),
             (world.ca, world.member, "-1")]  # a reversal carries negative hours
    for org, who, hours in lines:
        chain = ledger.lock_chain(db, org.id)
        ledger.append(db, chain, now, volunteer_id=who.id, service_date=now, hours=hours,
                      points=hours, kind="reversal" if hours.startswith("-") else "entry")
    db.commit()
    assert _totals(db) == _sums(db)
    assert _totals(db)[(world.ca.id, world.member.id)] == Decimal("2.5")
    db.rollback()
