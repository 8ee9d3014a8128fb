"""Self-dealing hours (issue 10 §2), through the JSON API and the web pages alike.

Nobody serves their own wish, confirms a service they served, or approves, adjusts or certifies
their own hours (or those of a wish they posted); a refusal is a 403 that writes nothing.
"""
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import login, beijing_today
from tests.web.apiutil import Api, counts
from webapp.models import Certificate, Claim, LedgerEntry, RecordReview, ServiceRecord, Wish
from webapp.schemas.inputs import WishInput
from webapp.services.wishes import claims, wishes

WRITES = (Claim, ServiceRecord, LedgerEntry, RecordReview, Certificate)


def _own_wish(db, world, poster, resident=None):
    """A published wish posted by `poster` (for themself or for `resident`)."""
    data = WishInput(kind="service", title="帮忙修水龙头", category=world.cat.id,
                     estimated_hours=Decimal("1.5"),
                     on_behalf_of=resident.id if resident else None)
    w = wishes.post(db, poster, data)
    wishes.review(db, world.admin, w.id, "approve")
    return w


def _refused(r, before, db):
    assert r.status_code == 403, r.get_data(as_text=True)[:300]
    assert counts(db, *WRITES) == before


# --- the resident never serves their own wish ------------------------------------------------

def test_resident_cannot_claim_own_wish_api_and_web(client, db, world):
    w = _own_wish(db, world, world.member)  # 李志愿 is a resident of 1号楼 and a member
    before = counts(db, *WRITES)
    r = Api(client, world.member).post(f"/wishes/{w.id}/claims", json={})
    _refused(r, before, db)
    assert r.json["error"]["code"] == "self_dealing" and "自己的心愿" in r.json["error"]["message"]
    login(client, world.member)
    page = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert f"/wishes/{w.id}/claim" not in page  # no claim button offered either
    r = client.post(f"/wishes/{w.id}/claim")
    _refused(r, before, db)
    assert "自己的心愿" in r.get_data(as_text=True)


def test_unit_admin_cannot_assign_the_resident_to_their_own_wish(client, db, world):
    w = _own_wish(db, world, world.member)  # 李志愿 belongs to 区人民医院
    before = counts(db, *WRITES)
    r = Api(client, world.unit_admin).post(f"/wishes/{w.id}/claims", json={
        "unit_id": world.unit.id, "member_ids": [world.member.id, world.member2.id]})
    _refused(r, before, db)
    login(client, world.unit_admin)
    r = client.post(f"/wishes/{w.id}/unit-claim",
                    data={"member_ids": [str(world.member.id), str(world.member2.id)]})
    _refused(r, before, db)
    # Another member of the unit may serve it.
    r = client.post(f"/wishes/{w.id}/unit-claim", data={"member_ids": [str(world.member2.id)]})
    assert r.status_code == 302


def test_admin_cannot_dispatch_the_resident_to_their_own_wish(client, db, world):
    w = _own_wish(db, world, world.member)
    before = counts(db, *WRITES)
    r = Api(client, world.admin).post(f"/wishes/{w.id}/dispatch", json={"member_id": world.member.id})
    _refused(r, before, db)
    login(client, world.admin)
    r = client.post(f"/admin/wishes/{w.id}/dispatch", data={"target": f"member:{world.member.id}"})
    _refused(r, before, db)


# --- whoever confirms is never a volunteer on the wish ---------------------------------------

@pytest.fixture
def worker_member(make_user, world):
    """A grid worker of grid 1 who is also a reported member of the community."""
    return make_user("郑网格", building=world.ba1,
                     roles=[("grid_worker", world.ga1, None), ("member", world.ca, None)])


def test_grid_worker_who_served_cannot_confirm_for_the_resident(client, db, world, make_wish,
                                                                  worker_member):
    w = make_wish("done", volunteers=[worker_member])
    before = counts(db, *WRITES)
    r = Api(client, worker_member).post(f"/wishes/{w.id}/confirm",
                                        json={"rating": 5, "note": "电话回访"})
    _refused(r, before, db)
    assert "不能确认自己的服务" in r.json["error"]["message"]
    login(client, worker_member)
    assert f"/wishes/{w.id}/confirm" not in client.get(f"/wishes/{w.id}").get_data(as_text=True)
    r = client.post(f"/wishes/{w.id}/confirm", data={"rating": "5", "note": "电话回访"})
    _refused(r, before, db)
    assert db.get(Wish, w.id).status == "done"
    # The other grid staff still may.
    r = Api(client, world.grid_worker).post(f"/wishes/{w.id}/confirm",
                                            json={"rating": 5, "note": "电话回访"})
    assert r.status_code == 200


# --- auto-approval only on someone else's estimate -------------------------------------------

def _serve(db, wish, volunteer, hours):
    (c,) = claims.claim(db, volunteer, wish.id)
    claims.start(db, volunteer, c.id)
    claims.mark_done(db, volunteer, c.id, hours)


def test_estimate_typed_by_the_volunteer_is_never_auto_approved_api(client, db, world,
                                                                     worker_member):
    mine = _own_wish(db, world, worker_member, resident=world.resident)  # 代为登记, 1.5 h
    other = _own_wish(db, world, world.resident)  # the resident's own estimate, 1.5 h
    _serve(db, mine, worker_member, Decimal("1.5"))
    _serve(db, other, worker_member, Decimal("1.5"))
    api = Api(client, world.resident)
    assert api.post(f"/wishes/{mine.id}/confirm", json={"rating": 5}).status_code == 200
    assert api.post(f"/wishes/{other.id}/confirm", json={"rating": 5}).status_code == 200
    rec = {r.wish_id: r for r in db.scalars(select(ServiceRecord))}
    assert rec[mine.id].approval == "pending"  # within tolerance, but of their own estimate
    assert rec[other.id].approval == "approved"
    assert [e.wish_id for e in db.scalars(select(LedgerEntry))] == [other.id]


def test_estimate_typed_by_the_volunteer_is_never_auto_approved_web(client, db, world,
                                                                     worker_member):
    mine = _own_wish(db, world, worker_member, resident=world.resident)
    _serve(db, mine, worker_member, Decimal("1.5"))
    login(client, world.resident)
    assert client.post(f"/wishes/{mine.id}/confirm", data={"rating": "5"}).status_code == 302
    assert db.scalar(select(ServiceRecord.approval)) == "pending"
    assert db.scalar(select(LedgerEntry.id)) is None


# --- staff never approve, adjust or certify their own hours ----------------------------------

@pytest.fixture
def admin_member(make_user, world):
    """A community admin of 城西社区 who also serves as a member there."""
    return make_user("何主任", building=world.ba2,
                     roles=[("community_admin", world.ca, None), ("member", world.ca, None)])


def _pending_record(db, make_wish, volunteer, **kw):
    w = make_wish("closed", estimated_hours=4, volunteers=[volunteer], **kw)  # 1.5 h vs 4 h
    return db.scalar(select(ServiceRecord).where(ServiceRecord.wish_id == w.id))


def test_admin_cannot_approve_or_adjust_own_hours(client, db, world, make_wish, admin_member):
    rec = _pending_record(db, make_wish, admin_member)
    before = counts(db, *WRITES)
    login(client, admin_member)
    r = client.post(f"/ledger/records/{rec.id}/approve")
    _refused(r, before, db)
    assert "不能审核或调整自己的服务时长" in r.get_data(as_text=True)
    _refused(client.post(f"/ledger/records/{rec.id}/adjust",
                         data={"hours": "4", "reason": "按估计"}), before, db)
    assert db.get(ServiceRecord, rec.id).approval == "pending"
    login(client, world.admin)  # a colleague may
    assert client.post(f"/ledger/records/{rec.id}/approve").status_code == 302


def test_bulk_approve_with_own_record_writes_nothing(client, db, world, make_wish, admin_member):
    theirs = _pending_record(db, make_wish, world.member)
    own = _pending_record(db, make_wish, admin_member)
    before = counts(db, *WRITES)
    login(client, admin_member)
    r = client.post("/ledger/records/bulk-approve", data={"record_ids": [theirs.id, own.id]})
    _refused(r, before, db)
    assert db.get(ServiceRecord, theirs.id).approval == "pending"
    r = client.post("/ledger/records/bulk-approve", data={"record_ids": [theirs.id]})
    assert r.status_code == 302 and db.get(ServiceRecord, theirs.id).approval == "approved"


def test_admin_cannot_approve_hours_of_a_wish_they_posted_for_a_resident(client, db, world,
                                                                         make_wish, make_user):
    w = _own_wish(db, world, world.admin, resident=world.resident)  # 代为登记 by 孙主任
    _serve(db, w, world.member, Decimal("4"))  # far off the 1.5 h estimate: manual
    wishes.confirm(db, world.resident, w.id, 5)
    rec = db.scalar(select(ServiceRecord))
    before = counts(db, *WRITES)
    login(client, world.admin)
    r = client.post(f"/ledger/records/{rec.id}/approve")
    _refused(r, before, db)
    assert "这个心愿是您登记的" in r.get_data(as_text=True)
    other = make_user("何主任", building=world.ba2, roles=[("community_admin", world.ca, None)])
    login(client, other)
    assert client.post(f"/ledger/records/{rec.id}/approve").status_code == 302


def test_admin_cannot_correct_own_ledger_entry(client, db, world, make_wish, admin_member):
    rec = _pending_record(db, make_wish, admin_member)
    login(client, world.admin)
    client.post(f"/ledger/records/{rec.id}/approve")
    entry = db.scalar(select(LedgerEntry))
    before = counts(db, *WRITES)
    login(client, admin_member)
    _refused(client.post(f"/ledger/entries/{entry.id}/correct",
                         data={"hours": "8", "reason": "补记"}), before, db)


def test_admin_cannot_certify_own_hours(client, db, world, make_wish, admin_member):
    rec = _pending_record(db, make_wish, admin_member)
    login(client, world.admin)
    client.post(f"/ledger/records/{rec.id}/approve")
    form = {"volunteer_id": admin_member.id, "period_from": "2020-01-01",
            "period_to": beijing_today().isoformat(), "head_name": "孙书记", "officer_name": "周干事",
            "contact": "0571-88886666"}
    before = counts(db, *WRITES)
    login(client, admin_member)
    r = client.post("/ledger/certificates", data=form)
    _refused(r, before, db)
    assert "不能为自己出具志愿服务证明" in r.get_data(as_text=True)
    login(client, world.admin)
    assert client.post("/ledger/certificates", data=form).status_code == 302
