"""Bad input on every API body and query → a clear JSON error, and nothing written."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.web.apiutil import Api, counts
from webapp.models import (ApiToken, Category, Claim, Notification, Registration, ServiceRecord, Unit, User,
                           Wish, WishEvent)
from webapp.schemas.inputs import Register
from webapp.services.people import accounts

TABLES = (ApiToken, Claim, Notification, Registration, ServiceRecord, Unit, User, Wish, WishEvent)


@pytest.fixture
def ctx(db, world, make_wish):
    """One object in each state the bodies act on."""
    pending = make_wish("pending_review")
    open_ = make_wish("published", capacity=2)
    serving = make_wish("in_service")
    done = make_wish("done", title="帮忙换灯泡")
    _user, reg = accounts.register(db, Register(consent=True, phone="13700000009", name="待审党员",
                                                password="long-enough-1", role="member",
                                                building_id=world.ba1.id))
    cat_b = db.scalar(select(Category).where(Category.community_id == world.cb.id))
    return SimpleNamespace(w=world, pending=pending.id, open=open_.id, done=done.id,
                           started=serving.claims[0].id, reg=reg.id, cat_b=cat_b.id)


def _wish(**over):
    return {"kind": "service", "title": "帮忙买菜", "category": None, **over}


# (case id, role, path, body, status, field that must carry the message)
CASES = [
    ("token-missing", None, "/tokens", {}, 422, "phone"),
    ("token-phone-type", None, "/tokens", {"phone": 13800000101, "password": "x"}, 422, "phone"),
    ("token-phone-long", None, "/tokens", {"phone": "1" * 40, "password": "x"}, 422, "phone"),
    ("token-password-long", None, "/tokens", {"phone": "13800000101", "password": "x" * 200}, 422, "password"),
    ("user-missing", None, "/users", {"phone": "13700000011"}, 422, "name"),
    ("user-name-long", None, "/users", lambda c: {"phone": "13700000011", "name": "王" * 41,
                                                  "password": "long-enough-1", "building_id": c.w.ba1.id}, 422, "name"),
    ("user-password-short", None, "/users", lambda c: {"phone": "13700000011", "name": "甲",
                                                       "password": "short", "building_id": c.w.ba1.id}, 422, "password"),
    ("user-building-type", None, "/users", {"phone": "13700000011", "name": "甲",
                                            "password": "long-enough-1", "building_id": "一号楼"}, 422, "building_id"),
    ("user-building-unknown", None, "/users", {"phone": "13700000011", "name": "甲",
                                               "consent": True, "password": "long-enough-1", "building_id": 99999}, 422, "building_id"),
    ("user-building-is-grid", None, "/users", lambda c: {"phone": "13700000011", "name": "甲",
                                                         "consent": True, "password": "long-enough-1", "building_id": c.w.ga1.id}, 422, "building_id"),
    ("user-role", None, "/users", lambda c: {"phone": "13700000011", "name": "甲", "role": "admin",
                                             "password": "long-enough-1", "building_id": c.w.ba1.id}, 422, "role"),
    ("user-phone-taken", None, "/users", lambda c: {"phone": c.w.resident.phone, "name": "甲",
                                                    "consent": True, "password": "long-enough-1", "building_id": c.w.ba1.id}, 422, "phone"),
    ("user-unit-unknown", None, "/users", lambda c: {"phone": "13700000011", "name": "甲", "role": "member",
                                                     "unit_id": 99999, "consent": True, "password": "long-enough-1",
                                                     "building_id": c.w.ba1.id}, 422, "unit_id"),
    ("user-unit-name-missing", None, "/users", lambda c: {"phone": "13700000011", "name": "甲",
                                                          "role": "unit_admin", "consent": True, "password": "long-enough-1",
                                                          "building_id": c.w.ba1.id}, 422, "unit_name"),
    ("user-huge-id", None, "/users", {"phone": "13700000011", "name": "甲", "password": "long-enough-1",
                                      "building_id": 10**30}, 422, "building_id"),
    ("wish-missing", "resident", "/wishes", {"kind": "service"}, 422, "title"),
    ("wish-title-long", "resident", "/wishes", lambda c: _wish(title="长" * 61, category=c.w.cat.id), 422, "title"),
    ("wish-title-type", "resident", "/wishes", lambda c: _wish(title=123, category=c.w.cat.id), 422, "title"),
    ("wish-capacity-type", "resident", "/wishes", lambda c: _wish(capacity="三", category=c.w.cat.id), 422, "capacity"),
    ("wish-capacity-bool", "resident", "/wishes", lambda c: _wish(capacity=True, category=c.w.cat.id), 422, "capacity"),
    ("wish-capacity-range", "resident", "/wishes", lambda c: _wish(capacity=99, category=c.w.cat.id), 422, "capacity"),
    ("wish-kind", "resident", "/wishes", lambda c: _wish(kind="gift", category=c.w.cat.id), 422, "kind"),
    ("wish-category-unknown", "resident", "/wishes", _wish(category=99999), 422, "category"),
    ("wish-category-other-community", "resident", "/wishes", lambda c: _wish(category=c.cat_b), 422, "category"),
    ("wish-category-huge", "resident", "/wishes", _wish(category=10**25), 422, "category"),
    ("wish-description-nul", "resident", "/wishes", lambda c: _wish(description="a\x00b", category=c.w.cat.id), 422, "description"),
    ("wish-value-over-cap", "resident", "/wishes", lambda c: _wish(kind="wish", value_yuan=5000, category=c.w.cat.id), 422, "value_yuan"),
    ("wish-date-bad", "resident", "/wishes", lambda c: _wish(deadline="明天", category=c.w.cat.id), 422, "deadline"),
    ("wish-date-order", "resident", "/wishes", lambda c: _wish(wanted_from="2031-01-02T10:00:00+08:00",
                                                               wanted_until="2031-01-01T10:00:00+08:00",
                                                               category=c.w.cat.id), 422, "wanted_until"),
    ("wish-deadline-past", "resident", "/wishes", lambda c: _wish(deadline="2001-01-01T10:00:00+08:00",
                                                                  category=c.w.cat.id), 422, "deadline"),
    ("wish-behalf-other-community", "grid_worker", "/wishes", lambda c: _wish(on_behalf_of=c.w.resident_b.id,
                                                                              category=c.w.cat.id), 422, "on_behalf_of"),
    ("wish-behalf-unknown", "grid_worker", "/wishes", lambda c: _wish(on_behalf_of=99999, category=c.w.cat.id), 422, "on_behalf_of"),
    ("wish-uuid-bad", "resident", "/wishes", lambda c: _wish(client_uuid="abc", category=c.w.cat.id), 422, "client_uuid"),
    ("review-missing", "admin", "/wishes/{c.pending}/review", {}, 422, "decision"),
    ("review-decision", "admin", "/wishes/{c.pending}/review", {"decision": "maybe"}, 422, "decision"),
    ("review-reject-no-reason", "admin", "/wishes/{c.pending}/review", {"decision": "reject"}, 422, "reason"),
    ("review-reason-long", "admin", "/wishes/{c.pending}/review", {"decision": "reject", "reason": "因" * 201}, 422, "reason"),
    ("reg-reject-missing", "admin", "/registrations/{c.reg}/reject", {}, 422, "reason"),
    ("reg-reject-long", "admin", "/registrations/{c.reg}/reject", {"reason": "因" * 201}, 422, "reason"),
    ("reg-reject-type", "admin", "/registrations/{c.reg}/reject", {"reason": ["a"]}, 422, "reason"),
    ("claim-member-ids-type", "unit_admin", "/wishes/{c.open}/claims", {"member_ids": "1,2"}, 422, "member_ids"),
    ("claim-member-ids-items", "unit_admin", "/wishes/{c.open}/claims", {"member_ids": ["张三"]}, 422, "member_ids"),
    ("claim-unit-other-community", "unit_admin", "/wishes/{c.open}/claims",
     lambda c: {"unit_id": c.w.unit_b.id, "member_ids": [c.w.member.id]}, 422, "unit_id"),
    ("claim-unit-unknown", "unit_admin", "/wishes/{c.open}/claims", {"unit_id": 99999, "member_ids": [1]}, 422, "unit_id"),
    ("claim-members-other-community", "unit_admin", "/wishes/{c.open}/claims",
     lambda c: {"member_ids": [c.w.member_b.id]}, 422, "member_ids"),
    ("claim-members-empty", "unit_admin", "/wishes/{c.open}/claims", {"member_ids": [], "unit_id": None}, 403, None),
    ("dispatch-none", "admin", "/wishes/{c.open}/dispatch", {}, 422, "member_id"),
    ("dispatch-member-other-community", "admin", "/wishes/{c.open}/dispatch",
     lambda c: {"member_id": c.w.member_b.id}, 422, "member_id"),
    ("dispatch-member-unknown", "admin", "/wishes/{c.open}/dispatch", {"member_id": 99999}, 422, "member_id"),
    ("dispatch-unit-other-community", "admin", "/wishes/{c.open}/dispatch",
     lambda c: {"unit_id": c.w.unit_b.id}, 422, "unit_id"),
    ("dispatch-note-long", "admin", "/wishes/{c.open}/dispatch",
     lambda c: {"member_id": c.w.member3.id, "note": "注" * 201}, 422, "note"),
    ("done-missing", "member", "/claims/{c.started}/done", {}, 422, "hours"),
    ("done-type", "member", "/claims/{c.started}/done", {"hours": "两个小时"}, 422, "hours"),
    ("done-zero", "member", "/claims/{c.started}/done", {"hours": 0}, 422, "hours"),
    ("done-too-many", "member", "/claims/{c.started}/done", {"hours": 20}, 422, "hours"),
    ("confirm-missing", "resident", "/wishes/{c.done}/confirm", {}, 422, "rating"),
    ("confirm-range", "resident", "/wishes/{c.done}/confirm", {"rating": 6}, 422, "rating"),
    ("confirm-type", "resident", "/wishes/{c.done}/confirm", {"rating": "很好"}, 422, "rating"),
    ("confirm-comment-long", "resident", "/wishes/{c.done}/confirm", {"rating": 5, "comment": "好" * 301}, 422, "comment"),
]

ROLES = {"resident": "resident", "admin": "admin", "grid_worker": "grid_worker",
         "unit_admin": "unit_admin", "member": "member"}


def _states(db):
    db.expire_all()
    return (dict(db.execute(select(Wish.id, Wish.status)).all()),
            dict(db.execute(select(Claim.id, Claim.status)).all()),
            dict(db.execute(select(Registration.id, Registration.status)).all()))


@pytest.mark.parametrize("case,role,path,body,status,field", CASES, ids=[c[0] for c in CASES])
def test_bad_body_is_refused_and_nothing_written(client, db, ctx, case, role, path, body,
                                                 status, field):
    api = Api(client, getattr(ctx.w, ROLES[role]) if role else None)
    before, states = counts(db, *TABLES), _states(db)
    r = api.post(path.format(c=ctx), body(ctx) if callable(body) else body)
    assert r.status_code == status, (case, r.json)
    err = r.json["error"]
    assert err["code"] and err["message"]
    if field:
        assert field in err.get("fields", {}), (case, err)
        assert err["fields"][field].strip()
    assert counts(db, *TABLES) == before
    assert _states(db) == states


BODY_PATHS = ["/tokens", "/users", "/wishes", "/wishes/{c.pending}/review",
              "/wishes/{c.open}/claims", "/wishes/{c.open}/dispatch", "/wishes/{c.done}/confirm",
              "/wishes/{c.open}/withdraw", "/claims/{c.started}/done",
              "/claims/{c.started}/release", "/claims/{c.started}/start",
              "/claims/{c.started}/accept", "/claims/{c.started}/decline",
              "/registrations/{c.reg}/approve", "/registrations/{c.reg}/reject"]


RAW_BODIES = ['{"title": ', "title=x&kind=wish", "[1, 2]", '"text"', "NaN", '{"hours": NaN}',
              "[" * 5000 + "]" * 5000, b"\xff\xfe{}"]


@pytest.mark.parametrize("path", BODY_PATHS)
def test_malformed_or_non_object_body_is_400(client, db, ctx, path):
    api = Api(client, ctx.w.admin)
    before, states = counts(db, *TABLES), _states(db)
    for raw in RAW_BODIES:
        r = api.post(path.format(c=ctx), data=raw, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json["error"]["code"] == "bad_json", (raw[:20], r.json)
    assert counts(db, *TABLES) == before and _states(db) == states


def test_form_encoded_body_is_400_json(client, db, ctx):
    r = Api(client, ctx.w.resident).post("/wishes", data={"kind": "wish", "title": "abc"})
    assert r.status_code == 400 and r.json["error"]["code"] == "bad_json"


@pytest.mark.parametrize("params,field", [
    ({"status": "bogus"}, "status"), ({"grid": "abc"}, "grid"), ({"grid": "1" * 30}, "grid"),
    ({"category": "-1"}, "category"), ({"kind": "gift"}, "kind"), ({"view": "everything"}, "view"),
    ({"limit": "0"}, "limit"), ({"limit": "1000"}, "limit"), ({"cursor": "!!!"}, "cursor"),
    ({"cursor": "x" * 500}, "cursor"),
])
def test_bad_list_query_is_422(client, db, ctx, params, field):
    r = Api(client, ctx.w.member).get("/wishes", **params)
    assert r.status_code == 422 and field in r.json["error"]["fields"]


@pytest.mark.parametrize("path", ["/wishes/99999", "/wishes/abc", "/wishes/0",
                                  "/wishes/" + "9" * 30, "/claims/99999/start",
                                  "/registrations/99999/approve", "/nowhere"])
def test_unknown_ids_are_404_json(client, db, ctx, path):
    api = Api(client, ctx.w.admin)
    r = api.post(path) if path.count("/") > 2 else api.get(path)
    assert r.status_code == 404 and r.json["error"]["code"]


def test_unknown_claim_volunteer_and_unit_ids_never_500(client, db, ctx):
    api = Api(client, ctx.w.unit_admin)
    r = api.post(f"/wishes/{ctx.open}/claims", {"member_ids": [10**20]})
    assert r.status_code == 422
    r = api.post(f"/wishes/{ctx.open}/claims", {"member_ids": [99999]})
    assert r.status_code == 422 and "member_ids" in r.json["error"]["fields"]
