"""A member who changes employer: the hours served for the old unit stay in the old unit's report
(ledger entries carry the unit at the time), the new unit's report starts from zero."""
from datetime import datetime, timezone
from decimal import Decimal

from webapp.services.ledger import ledger, periods, tallies


def test_old_hours_stay_with_the_old_unit(db, world):
    when = datetime(2026, 3, 10, 2, tzinfo=timezone.utc)
    chain = ledger.lock_chain(db, world.ca.id)
    ledger.append(db, chain, when, volunteer_id=world.member.id, unit_id=world.unit.id,
                  grid_id=world.ga1.id, category_id=world.cat.id, service_date=when,
                  hours=Decimal("2.0"), points=Decimal("2"), kind="entry")
    db.commit()
    world.member.unit_id = world.unit_b.id  # re-reported with the new employer
    db.commit()
    period = periods.year(2026)
    old = {r["id"]: r for r in tallies.member_rows(db, period, unit_id=world.unit.id)}
    assert old[world.member.id]["hours"] == Decimal("2.0")
    new = {r["id"]: r for r in tallies.member_rows(db, period, unit_id=world.unit_b.id)}
    assert new[world.member.id]["hours"] == Decimal("0")
