"""Unit crediting needs the unit's consent (issue 10 §12); API sign-up needs explicit consent (§15)."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.web.apiutil import Api
from webapp.models import Claim, LedgerEntry, User, utcnow
from webapp.services.ledger import periods, tallies
from webapp.services.people import registrations
from webapp.services.wishes import claims


def _sign_up_member(client, db, world, phone="13700000051"):
    """Anyone signs up naming 区人民医院; the community approves the personal 报到."""
    r = client.post("/api/v1/users", json={
        "phone": phone, "name": "冒名党员", "password": "long-enough-1", "role": "member",
        "building_id": world.ba2.id, "unit_id": world.unit.id, "consent": True})
    assert r.status_code == 201
    registrations.approve(db, world.admin, r.json["registration"]["id"])
    return db.get(User, r.json["id"])


def _serve(db, make_wish, volunteer, title):
    w = make_wish("closed", volunteers=[volunteer], estimated_hours=1.5, title=title)
    return db.scalar(select(LedgerEntry).where(LedgerEntry.wish_id == w.id))


def test_unconfirmed_member_is_not_credited_to_the_unit(client, db, world, make_wish):
    m = _sign_up_member(client, db, world)
    assert m.unit_id == world.unit.id and m.unit_confirmed_at is None
    entry = _serve(db, make_wish, m, "第一次服务")
    assert entry.hours == Decimal("1.5") and entry.unit_id is None
    period = periods.current("year", utcnow())
    rows = tallies.member_rows(db, period, unit_id=world.unit.id)
    assert m.id not in {r["id"] for r in rows}
    login(client, world.unit_admin)
    assert "冒名党员" not in client.get("/ledger/unit?kind=year").get_data(as_text=True)
    # Nor may the unit admin assign them before confirming.
    w = make_wish("published", title="单位认领")
    r = client.post(f"/wishes/{w.id}/unit-claim", data={"member_ids": [str(m.id)]})
    assert r.status_code == 422 and db.scalar(select(Claim.id).where(Claim.wish_id == w.id)) is None
    # A dispatch to them credits no unit either.
    c = claims.dispatch(db, world.admin, w.id, member_id=m.id)
    assert c.unit_id is None


def test_unit_admin_confirms_then_hours_count_for_the_unit(client, db, world, make_wish):
    m = _sign_up_member(client, db, world)
    login(client, world.unit_admin)
    page = client.get("/unit").get_data(as_text=True)
    assert "待确认的本单位成员" in page and f"/unit/members/{m.id}/confirm" in page
    assert client.post(f"/unit/members/{m.id}/confirm").status_code == 302
    assert db.get(User, m.id).unit_confirmed_by_id == world.unit_admin.id
    entry = _serve(db, make_wish, db.get(User, m.id), "确认后的服务")
    assert entry.unit_id == world.unit.id
    period = periods.current("year", utcnow())
    rows = {r["id"]: r["hours"] for r in tallies.member_rows(db, period, unit_id=world.unit.id)}
    assert rows[m.id] == Decimal("1.5")
    assert "冒名党员" in client.get("/ledger/unit?kind=year").get_data(as_text=True)


def test_unit_admin_declines_and_other_units_cannot_confirm(client, db, world, make_user):
    m = _sign_up_member(client, db, world)
    other = make_user("东区书记", building=world.bb1,
                      roles=[("unit_admin", world.cb, world.unit_b)], unit=world.unit_b)
    login(client, other)
    assert client.post(f"/unit/members/{m.id}/confirm").status_code == 403
    assert db.get(User, m.id).unit_confirmed_at is None
    login(client, world.unit_admin)
    assert client.post(f"/unit/members/{m.id}/decline").status_code == 302
    db.expire_all()
    assert db.get(User, m.id).unit_id is None


def test_registration_card_says_the_unit_has_not_confirmed(client, db, world):
    client.post("/api/v1/users", json={
        "phone": "13700000052", "name": "待审党员", "password": "long-enough-1", "role": "member",
        "building_id": world.ba2.id, "unit_id": world.unit.id, "consent": True})
    login(client, world.admin)
    assert "待单位确认" in client.get("/admin/registrations").get_data(as_text=True)


@pytest.mark.parametrize("consent", [None, False, "no", 0])
def test_api_sign_up_needs_explicit_consent(client, db, consent, world):
    body = {"phone": "13700000053", "name": "新居民", "password": "long-enough-1",
            "building_id": world.ba1.id}
    if consent is not None:
        body["consent"] = consent
    r = client.post("/api/v1/users", json=body)
    assert r.status_code == 422, r.json
    assert r.json["error"]["fields"]["consent"] == "请阅读并同意个人信息使用说明。"
    assert db.scalar(select(User.id).where(User.phone == "13700000053")) is None
    body["consent"] = True
    assert client.post("/api/v1/users", json=body).status_code == 201
