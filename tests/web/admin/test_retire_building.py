"""Retiring a building people live in (issue 23 item 4): refused without a confirmation, the
page says how many live there, and everyone moves in one step (an invitation for those the
admin does not cover); the admin log keeps the counts."""
import re

from sqlalchemy import func, select

from tests.conftest import login
from tests.web.apiutil import Api
from webapp.models import AdminLog, Invitation, Org, User


def _living(db, building):
    return db.scalar(select(func.count(User.id)).where(User.building_id == building.id,
                                                       User.active.is_(True)))


def test_the_api_refuses_a_lived_in_building_without_confirm(client, db, world):
    admin = Api(client, world.admin)
    n = _living(db, world.ba2)
    assert n >= 4
    r = client.patch(f"/api/v1/orgs/{world.ba2.id}", json={"active": False},
                     headers={"Authorization": f"Bearer {admin.token}"})
    assert r.status_code == 409 and r.json["error"]["code"] == "building_has_people"
    assert f"还住着 {n} 人" in r.json["error"]["message"]
    assert db.get(Org, world.ba2.id).active is True
    # an empty building still retires at once
    empty = admin.post("/orgs", {"kind": "building", "name": "9号楼", "parent_id": world.ga1.id})
    r = client.patch(f"/api/v1/orgs/{empty.json['id']}", json={"active": False},
                     headers={"Authorization": f"Bearer {admin.token}"})
    assert r.status_code == 200 and r.json["active"] is False


def test_the_tree_asks_and_moves_everyone(app, client, db, world, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    # a unit's admin living in 7号楼: the community admin does not cover them → invited
    boss = make_user("马书记", "13800000199", world.ba2, [("unit_admin", world.ca, world.unit)],
                     world.unit)
    n = _living(db, world.ba2)
    login(client, world.admin)
    page = client.get("/staff/tree").get_data(as_text=True)
    assert f"住 {n} 人" in page and f"/staff/orgs/{world.ba2.id}/retire" in page
    # a bare post (an old page, a second tab) does not retire: it lands on the question
    r = client.post(f"/staff/orgs/{world.ba2.id}", data={"active": "0"})
    assert r.status_code == 409 and f"还住着 {n} 人" in r.get_data(as_text=True)
    page = client.get(f"/staff/orgs/{world.ba2.id}/retire").get_data(as_text=True)
    assert f"迁移这 {n} 人并停用" in page and f'<option value="{world.ba1.id}">' in page
    assert f'<option value="{world.bb1.id}">' not in page  # another community's building
    r = client.post(f"/staff/orgs/{world.ba2.id}", data={"active": "0", "move_to": world.bb1.id})
    assert r.status_code == 422 and 'id="err-move_to"' in r.get_data(as_text=True)
    assert db.get(Org, world.ba2.id).active is True

    r = client.post(f"/staff/orgs/{world.ba2.id}", data={"active": "0", "move_to": world.ba1.id})
    assert r.status_code == 302
    db.expire_all()
    assert db.get(Org, world.ba2.id).active is False
    assert {db.get(User, u.id).building_id for u in (world.resident2, world.member2)} == {
        world.ba1.id}
    assert db.get(User, boss.id).building_id == world.ba2.id  # until they accept
    inv = db.scalar(select(Invitation).where(Invitation.user_id == boss.id))
    assert (inv.kind, inv.org_id, inv.status) == ("move", world.ba1.id, "pending")
    log = db.scalar(select(AdminLog).where(AdminLog.kind == "tree_retire"))
    assert log.details == {"moved": n - 1, "invited": 1, "to": world.ba1.id, "living": n}


def test_retire_anyway_keeps_people_where_they_are(app, client, db, world):
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, world.admin)
    page = client.get(f"/staff/orgs/{world.ba2.id}/retire").get_data(as_text=True)
    assert re.search(r'name="confirm" value="1"', page)
    r = client.post(f"/staff/orgs/{world.ba2.id}", data={"active": "0", "confirm": "1"})
    assert r.status_code == 302
    db.expire_all()
    assert db.get(Org, world.ba2.id).active is False
    assert db.get(User, world.resident2.id).building_id == world.ba2.id
    # a grid has no such page
    assert client.get(f"/staff/orgs/{world.ga1.id}/retire").status_code == 404
