"""The whole wish loop through the JSON API, plus tokens, sign-up, 报到, dispatch and withdraw."""
import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from tests.conftest import PASSWORD
from tests.web.apiutil import Api
from webapp.extensions import limiter
from webapp.models import (ApiToken, Disclosure, Registration, ServiceRecord, User, Wish,
                           utcnow)
from webapp.services.people import accounts

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def _token(client, phone, password="wishgrid-test"):
    r = client.post("/api/v1/tokens", json={"phone": phone, "password": password})
    assert r.status_code == 201, r.json
    return r.json["token"]


def test_whole_flow_token_post_review_claim_start_done_confirm(client, db, world):
    resident = Api(client, token=_token(client, world.resident.phone))
    admin = Api(client, token=_token(client, world.admin.phone))
    member = Api(client, token=_token(client, world.member.phone))

    r = resident.post("/wishes", {"kind": "service", "title": "帮忙修水龙头",
                                  "description": "厨房水龙头漏水", "category": world.cat.id,
                                  "capacity": 1, "estimated_hours": 1.5,
                                  "wanted_from": "2030-05-01T09:00:00+08:00",
                                  "wanted_until": "2030-05-01T11:00:00+08:00"})
    assert r.status_code == 201 and r.json["status"] == "pending_review"
    wid = r.json["id"]

    queue = admin.get("/wishes", status="pending_review").json["items"]
    assert [w["id"] for w in queue] == [wid]
    assert "approve" in queue[0]["actions"]
    r = admin.post(f"/wishes/{wid}/review", {"decision": "approve"})
    assert r.status_code == 200 and r.json["status"] == "published"

    menu = member.get("/wishes", view="menu").json
    card = next(w for w in menu["items"] if w["id"] == wid)
    assert card["resident"] == "王**" and "claim" in card["actions"]
    assert menu["next_cursor"] is None

    r = member.post(f"/wishes/{wid}/claims")
    assert r.status_code == 201 and r.json["ids"] == [r.json["id"]]
    assert r.json["wish"]["status"] == "claimed"
    cid = r.json["id"]

    d = member.get(f"/wishes/{wid}").json
    assert d["contact"]["phone"] == world.resident.phone
    assert d["wanted_from"] == "2030-05-01T01:00:00+00:00"  # ISO 8601 with offset, UTC
    assert db.query(Disclosure).filter_by(wish_id=wid, viewer_id=world.member.id,
                                          channel="api").count() == 1

    r = member.post(f"/claims/{cid}/start")  # years before the agreed time (issue 24)
    assert r.status_code == 409 and r.json["error"]["code"] == "too_early"
    # The agreed day arrives (the clock cannot move under a bearer token: the wish's time does).
    db.execute(update(Wish).where(Wish.id == wid).values(
        wanted_from=utcnow() + timedelta(minutes=30), wanted_until=utcnow() + timedelta(hours=3)))
    db.commit()
    r = member.post(f"/claims/{cid}/start")
    assert r.status_code == 200 and r.json["status"] == "started"
    assert r.json["wish"]["status"] == "in_service"
    r = member.post(f"/claims/{cid}/done", {"hours": 2})
    assert r.status_code == 200 and r.json["hours"] == 2.0 and r.json["wish"]["status"] == "done"

    r = resident.post(f"/wishes/{wid}/confirm", {"rating": 5, "comment": "师傅很耐心"})
    assert r.status_code == 200 and r.json["status"] == "closed"
    rec = db.get(ServiceRecord, r.json["service_records"][0])
    assert rec.volunteer_id == world.member.id and float(rec.hours) == 2.0 and rec.rating == 5

    d = resident.get(f"/wishes/{wid}").json
    assert [e["action"] for e in d["events"]] == [
        "post", "approve", "claim", "fill", "start", "mark_done", "finish", "confirm", "close"]
    assert all(ISO.match(e["at"]) for e in d["events"])
    assert d["contact"] is None  # the resident's own wish: nothing to disclose
    assert d["rating"] == 5 and d["comment"] == "师傅很耐心"


def test_token_errors_and_no_cookie_session(client, db, world):
    r = client.post("/api/v1/tokens", json={"phone": world.resident.phone, "password": "wrong-pass"})
    assert r.status_code == 401 and r.json["error"]["code"] == "bad_credentials"
    r = client.post("/api/v1/tokens", json={"phone": "13999999999", "password": "whatever1"})
    assert r.status_code == 401
    assert db.query(ApiToken).count() == 0
    r = client.get("/api/v1/wishes")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert Api(client, token="not-a-token").get("/wishes").status_code == 401
    # A browser's login cookie does not authenticate the API.
    with client.session_transaction() as s:
        s["_user_id"] = world.admin.get_id()
        s["_fresh"] = True
    assert client.get("/api/v1/wishes").status_code == 401
    assert client.post("/api/v1/wishes/1/withdraw").status_code == 401


def test_expired_token_and_inactive_user_are_refused(client, db, world):
    raw = accounts.issue_token(db, world.member)
    tok = db.query(ApiToken).one()
    tok.expires_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    db.commit()
    assert Api(client, token=raw).get("/wishes").status_code == 401
    raw2 = accounts.issue_token(db, world.member2)
    world.member2.active = False
    db.commit()
    assert Api(client, token=raw2).get("/wishes").status_code == 401


def test_a_revoked_token_stops_working_and_others_do_not(client, db, world):
    phone = world.member.phone
    lost, kept = _token(client, phone), _token(client, phone)
    assert client.delete("/api/v1/tokens/current").status_code == 401
    r = client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {lost}"})
    assert r.status_code == 204 and r.get_data() == b""
    assert Api(client, token=lost).get("/wishes").status_code == 401
    assert client.delete("/api/v1/tokens/current",
                         headers={"Authorization": f"Bearer {lost}"}).status_code == 401
    assert Api(client, token=kept).get("/wishes").status_code == 200
    db.rollback()
    assert db.query(ApiToken).count() == 1


def test_orgs_tree_and_categories(client, db, world):
    api = Api(client)
    tree = api.get("/orgs").json["items"]
    assert tree[0]["kind"] == "street"
    names = [c["name"] for c in tree[0]["children"]]
    assert names == ["城西社区", "城东社区"]
    grid = tree[0]["children"][0]["children"][0]
    assert grid["kind"] == "grid" and grid["children"][0]["kind"] == "building"
    cats = api.get("/categories", community=world.ca.id).json["items"]
    assert "助老助残" in [c["name"] for c in cats] and len(cats) == 10
    assert api.get("/categories", community=world.ga1.id).status_code == 404
    assert api.get("/categories", community=999999).status_code == 404
    r = api.get("/categories", community="abc")
    assert r.status_code == 422 and "community" in r.json["error"]["fields"]
    assert api.get("/categories").status_code == 422


def test_register_member_then_admin_approves(client, db, world, make_wish):
    r = client.post("/api/v1/users", json={
        "phone": "13700000001", "name": "新党员", "password": "long-enough-1", "consent": True,
        "role": "member", "building_id": world.ba1.id, "unit_id": world.unit.id,
        "skills": ["家电维修", "陪伴聊天"]})
    assert r.status_code == 201 and r.json["registration"]["status"] == "pending"
    uid, rid = r.json["id"], r.json["registration"]["id"]
    assert db.get(User, uid).skills == "家电维修,陪伴聊天"

    admin = Api(client, world.admin)
    items = admin.get("/registrations").json["items"]
    assert [i["id"] for i in items] == [rid] and items[0]["user"]["name"] == "新党员"
    assert Api(client, world.admin_b).get("/registrations").json["items"] == []
    r = Api(client, world.admin_b).post(f"/registrations/{rid}/approve")
    assert r.status_code == 403 and db.get(Registration, rid).status == "pending"
    r = admin.post(f"/registrations/{rid}/approve")
    assert r.status_code == 200 and r.json["status"] == "approved"
    assert admin.post(f"/registrations/{rid}/approve").status_code == 409
    assert admin.post(f"/registrations/{rid}/reject", {"reason": "重复"}).status_code == 409
    assert admin.get("/registrations", status="approved").json["items"][0]["id"] == rid
    assert admin.get("/registrations", status="nope").status_code == 422

    # The new member can now claim through the API.
    w = make_wish("published")
    newbie = Api(client, token=_token(client, "13700000001", "long-enough-1"))
    assert [c["id"] for c in newbie.get("/wishes").json["items"]] == [w.id]
    assert newbie.post(f"/wishes/{w.id}/claims").status_code == 201


def test_register_resident_and_unit_admin(client, db, world):
    r = client.post("/api/v1/users", json={"phone": "13700000002", "name": "居民甲", "consent": True,
                                            "password": "long-enough-1", "building_id": world.ba2.id})
    assert r.status_code == 201 and r.json["registration"] is None
    r = client.post("/api/v1/users", json={"phone": "13700000003", "name": "书记乙", "consent": True,
                                            "password": "long-enough-1", "role": "unit_admin",
                                            "unit_name": "区税务局", "building_id": world.ba1.id})
    assert r.status_code == 201 and r.json["registration"]["kind"] == "unit"
    rid = r.json["registration"]["id"]
    r = Api(client, world.admin).post(f"/registrations/{rid}/reject", {"reason": "请补充单位证明"})
    assert r.status_code == 200 and r.json["status"] == "rejected"
    assert r.json["reason"] == "请补充单位证明"


def test_unit_admin_claims_for_members(client, db, world, make_wish):
    w = make_wish("published", capacity=3)
    api = Api(client, world.unit_admin)
    r = api.post(f"/wishes/{w.id}/claims", {"member_ids": [world.member.id, world.member2.id]})
    assert r.status_code == 201 and len(r.json["ids"]) == 2
    assert r.json["wish"]["taken"] == 2 and r.json["wish"]["status"] == "published"
    r = api.post(f"/wishes/{w.id}/claims", {"unit_id": world.unit.id, "member_ids": [world.member.id]})
    assert r.status_code == 409 and r.json["error"]["code"] == "already_claimed"


def test_dispatch_accept_and_decline(client, db, world, make_wish):
    w = make_wish("published", capacity=2)
    admin = Api(client, world.admin)
    r = admin.post(f"/wishes/{w.id}/dispatch", {"member_id": world.member3.id, "note": "就近"})
    assert r.status_code == 201 and r.json["status"] == "offered"
    cid = r.json["id"]
    r = Api(client, world.member3).post(f"/claims/{cid}/accept")
    assert r.status_code == 200 and r.json["status"] == "active"
    assert Api(client, world.member3).post(f"/claims/{cid}/decline").status_code == 409
    r = admin.post(f"/wishes/{w.id}/dispatch", {"member_id": world.member2.id})
    cid2 = r.json["id"]
    assert Api(client, world.member).post(f"/claims/{cid2}/decline").status_code == 403
    r = Api(client, world.member2).post(f"/claims/{cid2}/decline")
    assert r.status_code == 200 and r.json["status"] == "declined" and r.json["wish"]["taken"] == 1
    r = admin.post(f"/wishes/{w.id}/dispatch", {"unit_id": world.unit.id})
    assert r.status_code == 200 and r.json["status"] == "notified"


def test_withdraw_and_release(client, db, world, make_wish):
    w = make_wish("claimed")
    cid = w.claims[0].id
    r = Api(client, world.member).post(f"/claims/{cid}/release")
    assert r.status_code == 200 and r.json["status"] == "released"
    assert r.json["wish"]["status"] == "published"
    r = Api(client, world.resident).post(f"/wishes/{w.id}/withdraw")
    assert r.status_code == 200 and r.json["status"] == "withdrawn"
    db.expire_all()
    assert db.get(Wish, w.id).status == "withdrawn"


def test_client_uuid_dedupes_replayed_posts(client, db, world):
    api = Api(client, world.resident)
    body = {"kind": "wish", "title": "想要一副老花镜", "category": world.cat.id, "value_yuan": 80,
            "client_uuid": "0b7e8d1c-3f55-4c5e-9a51-2a1f0e5b6c7d"}
    first, again = api.post("/wishes", body), api.post("/wishes", body)
    assert first.status_code == again.status_code == 201
    assert first.json["id"] == again.json["id"]
    assert db.query(Wish).count() == 1
    r = Api(client, world.resident2).post("/wishes", body)
    assert r.status_code == 422 and "client_uuid" in r.json["error"]["fields"]


def test_grid_worker_posts_and_confirms_on_behalf(client, db, world, make_wish):
    gw = Api(client, world.grid_worker)
    r = gw.post("/wishes", {"kind": "service", "title": "陪同去医院复诊", "category": world.cat.id,
                            "on_behalf_of": world.resident.id})
    assert r.status_code == 201
    w = db.get(Wish, r.json["id"])
    assert w.resident_id == world.resident.id and w.on_behalf
    done = make_wish("done")
    r = gw.post(f"/wishes/{done.id}/confirm", {"rating": 4})
    assert r.status_code == 422 and "note" in r.json["error"]["fields"]
    r = gw.post(f"/wishes/{done.id}/confirm", {"rating": 4, "note": "电话回访，居民满意"})
    assert r.status_code == 200 and r.json["status"] == "closed"


def test_api_sets_no_cookie(client, db, world):
    r = client.post("/api/v1/tokens", json={"phone": world.member.phone, "password": PASSWORD})
    assert r.status_code == 201 and "Set-Cookie" not in r.headers
    r = Api(client, token=r.json["token"]).get("/wishes")
    assert r.status_code == 200 and "Set-Cookie" not in r.headers


def test_token_creation_is_rate_limited_per_address(client, db, world, monkeypatch):
    monkeypatch.setitem(client.application.config, "LOGIN_RATE_LIMIT", "3 per minute")
    limiter.enabled = True
    limiter.reset()
    try:
        for i in range(3):  # different accounts, one address
            r = client.post("/api/v1/tokens", json={"phone": f"1390000000{i}", "password": "x"})
            assert r.status_code == 401
        r = client.post("/api/v1/tokens", json={"phone": world.member.phone, "password": PASSWORD})
        assert r.status_code == 429 and r.json["error"]["code"] == "too_many_requests"
        assert db.query(ApiToken).count() == 0
        r = client.post("/api/v1/tokens", json={"phone": world.member.phone, "password": PASSWORD},
                        environ_overrides={"REMOTE_ADDR": "198.51.100.77"})
        assert r.status_code == 201
    finally:
        limiter.reset()
        limiter.enabled = False
