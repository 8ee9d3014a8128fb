"""PIPL rights: download my data (GET /me/data) and delete my account (POST /me/delete)."""
import json

from tests.conftest import PASSWORD, login
from webapp.models import (ApiToken, LedgerEntry, Notification, RoleGrant, ServiceRecord, User,
                           Wish)
from webapp.services.people import accounts
from webapp.services.ledger import ledger
from webapp.services.wishes import privacy


def test_download_contains_my_data_only(client, db, world, make_wish):
    w = make_wish("closed")
    login(client, world.member)
    r = client.get("/me/data")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.headers["Cache-Control"] == "no-store"
    data = json.loads(r.get_data(as_text=True))
    assert data["profile"]["phone"] == world.member.phone
    assert data["profile"]["name"] == world.member.name
    assert [c["wish_id"] for c in data["claims"]] == [w.id]
    assert len(data["service_records"]) == 1 and data["service_records"][0]["hours"] == 1.5
    assert {r["role"] for r in data["roles"]} == {"resident", "member"}
    # Nothing of the resident served leaks into the volunteer's download.
    assert world.resident.phone not in r.get_data(as_text=True)


def test_resident_download_lists_wishes_and_who_saw_contact(client, db, world, make_wish):
    from webapp.services.wishes import present
    w = make_wish("claimed")
    present.detail(db, w, world.member, "web")  # the claimer sees the phone: logged
    login(client, world.resident)
    data = client.get("/me/data").get_json()
    assert [x["id"] for x in data["wishes"]] == [w.id]
    assert data["wishes"][0]["description"] == w.description
    assert data["contact_disclosures"][0]["reason"] == "active_claim"
    assert world.member.phone not in json.dumps(data, ensure_ascii=False)


def test_data_and_delete_need_login(client, world):
    assert client.get("/me/data").status_code in (302, 401)
    assert client.post("/me/delete", data={"confirm": "注销"}).status_code in (302, 401)


def test_delete_needs_password_and_confirmation(client, db, world):
    login(client, world.resident2)
    assert client.get("/me/delete").status_code == 200
    r = client.post("/me/delete", data={"password": PASSWORD, "confirm": "好"})
    assert r.status_code == 422 and "注销" in r.get_data(as_text=True)
    r = client.post("/me/delete", data={"password": "wrong", "confirm": "注销"})
    assert r.status_code == 422
    db.expire_all()
    assert db.get(User, world.resident2.id).phone == "13800000102"


def test_delete_anonymises_and_keeps_records_and_ledger(client, db, world, make_wish):
    w = make_wish("closed")
    accounts.issue_token(db, world.member)
    member_id = world.member.id
    hours_before = sorted(float(r.hours) for r in db.query(ServiceRecord).all())
    entries_before = db.query(LedgerEntry).count()
    login(client, world.member)
    r = client.post("/me/delete", data={"password": PASSWORD, "confirm": "注销"})
    assert r.status_code in (302, 303)
    db.expire_all()
    u = db.get(User, member_id)
    assert (u.name, u.phone, u.address, u.skills, u.password_hash, u.active) == (
        privacy.PSEUDONYM, None, None, None, None, False)
    assert not any(g.active for g in db.query(RoleGrant).filter_by(user_id=member_id))
    assert db.query(ApiToken).filter_by(user_id=member_id).count() == 0
    assert db.query(Notification).filter_by(user_id=member_id).count() == 0
    # The service and the ledger stay whole, under the pseudonym.
    assert sorted(float(r.hours) for r in db.query(ServiceRecord).all()) == hours_before
    assert db.query(ServiceRecord).filter_by(volunteer_id=member_id).count() == 1
    assert db.query(LedgerEntry).count() == entries_before
    assert all(res["ok"] for res in ledger.verify(db))
    assert db.get(Wish, w.id).status == "closed"
    # Signed out, and the old phone and password no longer sign in.
    assert client.get("/me/data").status_code in (302, 401)
    assert accounts.authenticate(db, "13800000103", PASSWORD) is None
    # The phone number is free for a new account.
    assert db.query(User).filter_by(phone="13800000103").count() == 0


def test_delete_resident_clears_free_text_of_own_wishes(client, db, world, make_wish):
    w = make_wish("closed")
    login(client, world.resident)
    assert client.post("/me/delete", data={"password": PASSWORD, "confirm": "注销"}
                       ).status_code in (302, 303)
    db.expire_all()
    w = db.get(Wish, w.id)
    assert w.description == "" and w.comment is None and w.title
    u = db.get(User, world.resident.id)
    assert u.name == "已注销用户" and u.address is None


def test_delete_refused_while_wish_or_claim_open(client, db, world, make_wish):
    make_wish("claimed")
    for user in (world.resident, world.member):
        login(client, user)
        r = client.post("/me/delete", data={"password": PASSWORD, "confirm": "注销"})
        assert r.status_code == 409, r.status_code
        db.expire_all()
        assert db.get(User, user.id).active is True


def test_me_page_links_to_download_and_delete_for_every_role(client, world):
    for user in (world.resident, world.member, world.admin, world.street_admin):
        login(client, user)
        html = client.get("/me").get_data(as_text=True)
        assert html.count('href="/me/data"') == 1 and 'href="/me/delete"' in html, user.name
