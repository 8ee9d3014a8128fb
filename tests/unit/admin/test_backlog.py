"""The backlog dashboard (issue 23 §8): each figure counts what waits in its own community only."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from webapp.models import Category, Registration, ServiceRecord, utcnow
from webapp.services.admin import backlog
from webapp.services.errors import Forbidden


def _row(db, viewer, community, now=None):
    return next(r for r in backlog.rows(db, viewer, now=now) if r["community_id"] == community.id)


def _cat_b(db, world):
    return db.query(Category).filter_by(community_id=world.cb.id).first().id


def test_waiting_wish_reviews(db, world, make_wish):
    make_wish("pending_review")
    make_wish("published")  # reviewed already: not waiting
    make_wish("pending_review", resident=world.resident_b, category=_cat_b(db, world))
    assert _row(db, world.admin, world.ca)["reviews"] == 1
    assert _row(db, world.admin_b, world.cb)["reviews"] == 1


def _reg(db, user, community, status="pending"):
    db.add(Registration(kind="personal", user_id=user.id, community_id=community.id,
                        status=status))
    db.commit()


def test_waiting_registrations(db, world):
    _reg(db, world.resident, world.ca)
    _reg(db, world.resident2, world.ca, status="rejected")  # decided: not waiting
    _reg(db, world.resident_b, world.cb)
    assert _row(db, world.admin, world.ca)["registrations"] == 1
    assert _row(db, world.admin_b, world.cb)["registrations"] == 1


def test_unclaimed_wishes(db, world, make_wish):
    make_wish("published")
    make_wish("claimed")  # someone took it
    make_wish("pending_review")  # not in the menu yet
    assert _row(db, world.admin, world.ca)["unclaimed"] == 1
    assert _row(db, world.admin_b, world.cb)["unclaimed"] == 0


def test_overdue_wishes(db, world, make_wish):
    soon = utcnow() + timedelta(days=2)
    make_wish("claimed", wanted_until=soon)
    make_wish("claimed", wanted_until=soon + timedelta(days=30))  # not due yet
    make_wish("done", wanted_until=soon)  # served: not overdue
    later = soon + timedelta(days=1)
    assert _row(db, world.admin, world.ca, now=later)["overdue"] == 1
    assert _row(db, world.admin, world.ca, now=utcnow())["overdue"] == 0
    assert _row(db, world.admin_b, world.cb, now=later)["overdue"] == 0


def _record(db, world, community, grid, volunteer, approval):
    db.add(ServiceRecord(volunteer_id=volunteer.id, community_id=community.id, grid_id=grid.id,
                         category_id=world.cat.id, hours=Decimal("1.5"),
                         service_date=datetime(2026, 11, 2, tzinfo=timezone.utc),
                         approval=approval))
    db.commit()


def test_pending_hours(db, world):
    _record(db, world, world.ca, world.ga1, world.member, "pending")
    _record(db, world, world.ca, world.ga1, world.member, "approved")  # in the ledger already
    _record(db, world, world.cb, world.gb1, world.member_b, "pending")
    assert _row(db, world.admin, world.ca)["pending_hours"] == 1
    assert _row(db, world.admin_b, world.cb)["pending_hours"] == 1


def test_activation(db, world, make_user):
    before = _row(db, world.admin, world.ca)
    make_user("新居民", building=world.ba1)  # imported, never signed in
    signed = make_user("已激活", building=world.ba2)
    signed.activated_at = utcnow()
    make_user("东区居民", building=world.bb1).activated_at = utcnow()  # another community
    db.commit()
    after = _row(db, world.admin, world.ca)
    assert (after["people"] - before["people"], after["activated"] - before["activated"]) == (2, 1)
    assert _row(db, world.admin_b, world.cb)["activated"] == 1


def test_street_admin_gets_one_row_per_community_others_none(db, world):
    assert [r["community_id"] for r in backlog.rows(db, world.street_admin)] == [
        world.ca.id, world.cb.id]
    assert [r["community_id"] for r in backlog.rows(db, world.admin)] == [world.ca.id]
    for who in (world.resident, world.member, world.grid_worker, world.unit_admin):
        with pytest.raises(Forbidden):
            backlog.rows(db, who)


def test_demo_admins_see_a_backlog(demo):
    from sqlalchemy import select

    from webapp.models import User
    db = demo
    for phone in ("13800000005", "13800000006"):  # the demo's community and street admins
        admin = db.scalar(select(User).where(User.phone == phone))
        west = next(r for r in backlog.rows(db, admin) if r["community"] == "城西社区")
        assert west["reviews"] and west["unclaimed"] and west["people"], west
