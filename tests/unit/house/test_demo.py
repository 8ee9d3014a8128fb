"""The demo community (`flask --app webapp seed-demo`): sizes, every state, accounts, idempotence."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import _wipe
from webapp.demo import DEMO_PASSWORD, seed
from webapp.extensions import db as _db
from webapp.models import (Claim, Notification, Org, Registration, RoleGrant, ServiceRecord, Unit,
                           User, Wish, WishEvent, utcnow)
from webapp.services.people import accounts
from webapp.services import policy
from webapp.services.wishes.lifecycle import STATUSES


@pytest.fixture(scope="module")
def demo(app, _demo_built):
    """The demo (the run's one seed, tests/conftest.py `_demo_built`) for this module's tests;
    they only read it."""
    ctx = app.app_context()
    ctx.push()
    try:
        _demo_built.restore()
        yield _db.session
    finally:
        _db.session.remove()
        ctx.pop()
        _wipe(app)


@pytest.fixture
def db(demo):
    """This module's `db` is the seeded demo; what a test leaves uncommitted goes."""
    yield demo
    demo.rollback()


def _count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def _user(db, phone):
    return db.scalar(select(User).where(User.phone == phone))


def test_demo_has_the_promised_shape(db):
    (street,) = db.scalars(select(Org).where(Org.kind == "street")).all()
    communities = db.scalars(select(Org).where(Org.kind == "community")).all()
    assert street.name == "新华街道" and len(communities) == 2
    west = next(c for c in communities if c.name == "城西社区")
    grids = db.scalars(select(Org).where(Org.kind == "grid")).all()
    assert all(2 <= sum(g.community_id == c.id for g in grids) <= 3 for c in communities)
    assert db.scalar(select(func.count(Org.id)).where(Org.kind == "building")) >= len(grids)

    units = db.scalars(select(Unit)).all()
    hospital = next(u for u in units if u.name == "区人民医院")
    assert len(units) == 3 and hospital.status == "approved" and hospital.community_id == west.id

    users = db.scalars(select(User)).all()
    only_residents = [u for u in users if u.role_names() == {"resident"}]
    members = [u for u in users if "member" in u.role_names()]
    assert 35 <= len(only_residents) <= 50
    assert 28 <= len(members) <= 35
    assert sum(1 for m in members if m.unit_id) >= 5 and all(m.skills for m in members)
    assert all(m.volunteer_no for m in members)
    assert any(u.phone is None for u in only_residents)  # 代为登记 for residents without phones
    assert db.scalar(select(func.count(Registration.id))
                     .where(Registration.status == "pending")) >= 2

    assert 55 <= _count(db, Wish) <= 65
    present = set(db.scalars(select(Wish.status).distinct()))
    assert present == set(STATUSES)
    assert db.scalar(select(func.count(Wish.id)).where(Wish.on_behalf.is_(True))) >= 1
    assert {c.via for c in db.scalars(select(Claim))} >= {"self", "unit", "dispatch"}
    assert _count(db, ServiceRecord) >= 14
    _has_a_sealed_certificate_and_a_running_notice_of_honours(db)
    _has_a_points_shop_with_donations_and_an_exchange(db)


def test_every_wish_has_a_coherent_timeline(db):
    latest = db.scalar(select(func.max(WishEvent.at)))
    for wish in db.scalars(select(Wish)):
        events = wish.events
        assert events[0].action == "post" and events[0].from_status is None
        assert events[-1].to_status == wish.status, (wish.title, [e.action for e in events])
        times = [e.at for e in events]
        assert times == sorted(times), wish.title
        assert wish.created_at == times[0]
        # each state change starts where the previous one ended
        moves = [e for e in events if e.from_status != e.to_status]
        for before, after in zip(moves, moves[1:]):
            assert after.from_status == before.to_status, (wish.title, before.action, after.action)
    assert latest < utcnow()
    # spread over past weeks, all in the past, inbox times follow the events
    first = db.scalar(select(func.min(WishEvent.at)))
    assert (latest - first).days >= 21
    assert db.scalar(select(func.max(Notification.created_at))) <= latest


def test_fixed_accounts_log_in_with_their_roles(db):
    expect = {"13800000001": "resident", "13800000002": "member", "13800000003": "unit_admin",
              "13800000004": "grid_worker", "13800000005": "community_admin",
              "13800000006": "street_admin"}
    for phone, role in expect.items():
        user = accounts.authenticate(db, phone, DEMO_PASSWORD)
        assert user is not None, phone
        assert policy.primary_role(user) == role
        assert accounts.authenticate(db, phone, "wrong-password") is None
    west = db.scalar(select(Org).where(Org.name == "城西社区"))
    resident = _user(db, "13800000001")
    grid1 = resident.building.grid_id
    assert resident.building.community_id == west.id
    assert db.get(Org, grid1).name == "第一网格"
    member = _user(db, "13800000002")
    assert member.unit.name == "区人民医院" and policy.is_volunteer_in(member, west.id)
    assert policy.unit_ids_admined(_user(db, "13800000003")) == {member.unit_id}
    assert policy.org_ids_for(_user(db, "13800000004"), "grid_worker") == {grid1}
    assert policy.has_role(_user(db, "13800000005"), "community_admin", {west.id})
    # the demo tells a story for each: things to confirm, start, review
    mine = {w.status for w in db.scalars(select(Wish).where(Wish.resident_id == resident.id))}
    assert {"done", "claimed", "published", "pending_review", "closed"} <= mine
    member_claims = {c.status for c in db.scalars(select(Claim).where(
        Claim.volunteer_id == member.id))}
    assert {"active", "started", "done", "confirmed"} <= member_claims
    # a grid-1 resident without a phone, whose finished service the grid worker confirms
    phoneless = db.scalars(select(Wish).where(Wish.on_behalf.is_(True),
                                              Wish.grid_id == grid1)).all()
    assert "done" in {w.status for w in phoneless}


def test_seed_is_idempotent(db):  # `_demo_built`'s seed said True: it seeded
    models = (Org, Unit, User, RoleGrant, Registration, Wish, WishEvent, Claim, ServiceRecord,
              Notification)
    before = {m.__name__: _count(db, m) for m in models}
    assert seed(db) is False
    _db.session.remove()
    assert {m.__name__: _count(db, m) for m in models} == before


def test_demo_has_resources_bookings_and_a_served_project_in_the_ledger(db):
    from webapp.models import Booking, LedgerEntry, Project, Resource
    from webapp.services.ledger import ledger
    kinds = {r.kind for r in db.scalars(select(Resource))}
    assert {"parking", "venue", "expertise"} <= kinds
    assert {"pending", "confirmed", "declined", "cancelled", "attended", "no_show"} == set(
        db.scalars(select(Booking.status).distinct()))
    (p,) = db.scalars(select(Project)).all()
    assert (p.title, p.status) == ("专家义诊进社区", "active")
    from_sessions = db.scalars(select(ServiceRecord).where(ServiceRecord.session_id.is_not(None))).all()
    assert len(from_sessions) >= 6 and {r.approval for r in from_sessions} == {"approved", "pending"}
    assert db.scalar(select(func.count(LedgerEntry.id)).where(
        LedgerEntry.record_id.in_([r.id for r in from_sessions]))) >= 5
    assert all(c["ok"] for c in ledger.verify(db))


def test_demo_has_an_admin_log_of_a_street_in_use(db):
    from webapp.models import AdminLog, ImportJob
    from webapp.services.admin import adminlog
    lines = db.scalars(select(AdminLog).order_by(AdminLog.at, AdminLog.id)).all()
    kinds = [a.kind for a in lines]
    assert kinds[0] == "setup" and kinds.count("appoint") == 2
    assert {"import", "password_reset", "password_change", "move_house", "tree_add",
            "tree_retire"} <= set(kinds)
    assert all(a.at < utcnow() - timedelta(days=10) for a in lines)  # dated in the past
    (job,) = db.scalars(select(ImportJob)).all()
    # The good rows in (a husband sharing his wife's phone among them), the bad one kept.
    assert (job.status, job.counts) == (
        "done", {"create": 4, "update": 0, "unchanged": 0, "skipped": 1})
    assert job.content and [e["row"] for e in job.errors] == [6]
    assert job.layout["shared_phones"][0]["name"] == "周长林"
    imported = next(a for a in lines if a.kind == "import")
    assert imported.details["create"] == 4 and "花名册" in imported.summary
    # The retired building keeps its history and has nobody living in it any more.
    flats = db.scalar(select(Org).where(Org.name == "老粮站宿舍"))
    assert flats.active is False and flats.kind == "building"
    assert db.scalar(select(func.count(User.id)).where(User.building_id == flats.id)) == 0
    moved = [a for a in lines if a.kind == "move_house"]
    assert len(moved) == 2 and all(a.details["from"] == flats.id for a in moved)
    # Everybody the demo appointed or reset signs in with the demo password.
    for phone in ("13800050001", "13800050010", "13800050011"):
        user = accounts.authenticate(db, phone, DEMO_PASSWORD)
        assert user is not None and not user.must_change_password, phone
    # The street admin reads it all; 城西社区's admin reads their community's lines only.
    street_admin, west_admin = _user(db, "13800000006"), _user(db, "13800000005")
    street = db.scalar(select(Org).where(Org.kind == "street"))
    assert len(adminlog.entries(db, street_admin, street_id=street.id)) == len(lines)
    west = db.scalar(select(Org).where(Org.name == "城西社区"))
    mine = adminlog.entries(db, west_admin, community_id=west.id)
    assert mine and all(a.community_id == west.id for a in mine)


def _has_a_sealed_certificate_and_a_running_notice_of_honours(db):
    """Issue 26 (checked inside the first test)."""
    from webapp.models import Certificate, CommunitySeal, HonourItem, HonourNotice
    from webapp.services.pairing import board
    west = db.scalar(select(Org).where(Org.name == "城西社区"))
    assert db.get(CommunitySeal, west.id) is not None
    (cert,) = db.scalars(select(Certificate)).all()
    assert cert.community_id == west.id and cert.items and cert.hours > 0
    (notice,) = db.scalars(select(HonourNotice)).all()
    assert notice.status == "notice" and (notice.ends_at - notice.starts_at).days == 7
    assert db.scalar(select(HonourItem.certificate_id)) == cert.id
    assert board.view(db, west.id)["notices"][0]["items"][0]["number"] == cert.number
def _has_a_points_shop_with_donations_and_an_exchange(db):
    """Issue 29 (checked inside the first test, as above)."""
    from webapp.models import Org, ShopExchange, ShopGoods
    from webapp.services.shop import goods, points
    donated = db.scalars(select(ShopGoods).where(ShopGoods.unit_id.is_not(None))).all()
    assert len(donated) >= 2 and {g.status for g in donated} == {"listed"}
    assert goods.donations(db, donated[0].unit_id)["pieces"] >= 23
    xs = db.scalars(select(ShopExchange)).all()
    assert "handed_over" in {x.status for x in xs}
    for x in xs:  # the points spent were there: nobody's balance is below zero
        west = db.get(Org, x.community_id)
        assert points.account(db, x.member_id, west, x.created_at).balance >= 0
