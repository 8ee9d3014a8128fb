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


def test_a_member_re_reports_with_the_new_unit_and_old_services_stay_with_the_old_unit(
        db, world, make_user, make_wish):
    import pytest
    from sqlalchemy import func, select

    from webapp.models import LedgerEntry, RoleGrant, Unit, utcnow
    from webapp.services.errors import Conflict, Forbidden, Invalid
    from webapp.services.ledger import exports
    from webapp.services.people import registrations, units

    before = make_wish("closed", volunteers=[world.member], estimated_hours=1.5, title="修水管")
    new = Unit(name="区税务局", community_id=world.ca.id, status="approved")
    db.add(new)
    db.commit()
    boss = make_user("钱书记", building=world.ba1, roles=[("unit_admin", world.ca, new)], unit=new)
    member = world.member
    assert [u.name for u in registrations.unit_choices(db, member)] == ["区税务局"]

    with pytest.raises(Invalid):
        registrations.re_report(db, member, world.unit_b.id)  # a unit of another community
    with pytest.raises(Conflict):
        registrations.re_report(db, member, world.unit.id)  # the unit they already have
    with pytest.raises(Forbidden):
        registrations.re_report(db, world.resident, new.id)  # not a member
    reg = registrations.re_report(db, member, new.id)
    assert (reg.kind, reg.status, reg.unit_id, reg.community_id) == (
        "personal", "pending", new.id, world.ca.id)
    with pytest.raises(Conflict):
        registrations.re_report(db, member, new.id)  # one waiting report at a time
    assert member.unit_id == world.unit.id  # nothing changes before the community approves

    registrations.approve(db, world.admin, reg.id)
    db.refresh(member)
    assert (member.unit_id, member.unit_confirmed_at) == (new.id, None)
    assert db.scalar(select(func.count()).select_from(RoleGrant).where(
        RoleGrant.user_id == member.id, RoleGrant.role == "member")) == 1  # not granted twice
    assert [u.id for u in units.unconfirmed_members(db, new)] == [member.id]
    units.confirm_member(db, boss, member.id, True)
    after = make_wish("closed", volunteers=[member], estimated_hours=1.5, title="陪同就医")

    credited = dict(db.execute(select(LedgerEntry.wish_id, LedgerEntry.unit_id)).all())
    assert credited == {before.id: world.unit.id, after.id: new.id}
    period = periods.parse(None, utcnow(), "year")
    for unit, title in ((world.unit, "修水管"), (new, "陪同就医")):
        report = exports.unit_report_data(db, unit, period)
        row = next(m for m in report["members"] if m["id"] == member.id)
        assert row["hours"] == Decimal("1.5"), (unit.name, row)
        services = [s for name, s in report["services"] if name == member.name]
        assert [s["hours"] for s in services] == [Decimal("1.5")], (unit.name, services)
    old_ids = {s["id"] for _n, s in exports.unit_report_data(db, world.unit, period)["services"]}
    new_ids = {s["id"] for _n, s in exports.unit_report_data(db, new, period)["services"]}
    assert old_ids and new_ids and not old_ids & new_ids


def test_the_units_report_reads_every_members_services_at_once_as_it_read_them_one_by_one(
        db, world, make_wish):
    """The report of a unit with a hundred members read each member's services with its own
    statements; one statement now gives the same services, member by member, for the unit:
    a confirmed member's services with no claiming unit count, another member's do not."""
    from webapp.models import utcnow
    from webapp.services.ledger import exports
    make_wish("closed", volunteers=[world.member], estimated_hours=1.5, title="修水管")
    make_wish("closed", volunteers=[world.member2], estimated_hours=2.0, title="陪同就医")
    make_wish("closed", volunteers=[world.member, world.member2], estimated_hours=1.0,
              title="打扫楼道", capacity=2)
    period = periods.parse(None, utcnow(), "year")
    ids = [world.member.id, world.member2.id]
    for unit in (world.unit, world.unit_b):
        at_once = tallies.services_by_volunteer(db, ids, period, with_title=False,
                                                community_id=world.ca.id, unit_id=unit.id)
        one_by_one = {v: tallies.services_of(db, v, period, with_title=False,
                                             community_id=world.ca.id, unit_id=unit.id)
                      for v in ids}
        assert at_once == {v: s for v, s in one_by_one.items() if s}, unit.name
    report = exports.unit_report_data(db, world.unit, period)
    assert sorted(s["hours"] for _n, s in report["services"]) == sorted(
        s["hours"] for v in ids for s in tallies.services_of(
            db, v, period, with_title=False, community_id=world.ca.id, unit_id=world.unit.id))
    assert report["services"], "the world's members serve for its unit"
