"""The grid tree by hand: scope, unique names (409), retire hides from pickers, moving a building."""
from sqlalchemy import select

from tests.conftest import login
from tests.web.apiutil import Api
from webapp.models import AdminLog, Category, Org, Wish
from webapp.services.people import orgs


def test_street_admin_adds_a_community_with_default_categories(client, db, world):
    api = Api(client, world.street_admin)
    r = api.post("/orgs", {"kind": "community", "name": "城南社区", "parent_id": world.street.id})
    assert r.status_code == 201, r.json
    cid = r.json["id"]
    names = db.scalars(select(Category.name).where(Category.community_id == cid)).all()
    assert set(names) == set(orgs.DEFAULT_CATEGORIES)
    org = db.get(Org, cid)
    assert (org.street_id, org.parent_id, org.active) == (world.street.id, world.street.id, True)
    assert db.scalar(select(AdminLog.kind).where(AdminLog.org_id == cid)) == "tree_add"


def test_community_admins_cannot_add_communities_nor_touch_another_community(client, db, world):
    admin = Api(client, world.admin)
    assert admin.post("/orgs", {"kind": "community", "name": "新社区",
                                "parent_id": world.street.id}).status_code == 403
    assert admin.post("/orgs", {"kind": "grid", "name": "东二网格",
                                "parent_id": world.cb.id}).status_code == 403
    assert admin.post("/orgs", {"kind": "grid", "name": "第三网格",
                                "parent_id": world.ca.id}).status_code == 201
    # A building under a community (not a grid) is a bad parent, said on the field.
    r = admin.post("/orgs", {"kind": "building", "name": "9号楼", "parent_id": world.ca.id})
    assert r.status_code == 422 and "parent_id" in r.json["error"]["fields"]


def test_names_are_unique_among_siblings(client, db, world):
    admin = Api(client, world.admin)
    r = admin.post("/orgs", {"kind": "grid", "name": " 第一网格 ", "parent_id": world.ca.id})
    assert r.status_code == 409 and r.json["error"]["code"] == "name_taken"
    assert "第一网格" in r.json["error"]["message"]
    r = client.patch(f"/api/v1/orgs/{world.ga2.id}", json={"name": "第一网格"},
                     headers={"Authorization": f"Bearer {admin.token}"})
    assert r.status_code == 409
    # The same name under another parent is fine.
    assert admin.post("/orgs", {"kind": "building", "name": "7号楼",
                                "parent_id": world.ga1.id}).status_code == 201


def _patch(client, api, org_id, body):
    return client.patch(f"/api/v1/orgs/{org_id}", json=body,
                        headers={"Authorization": f"Bearer {api.token}"})


def test_retire_hides_from_pickers_and_keeps_records(client, db, world, make_wish):
    wish = make_wish("published", resident=world.resident2)  # lives in ba2 (grid A2)
    admin = Api(client, world.admin)
    r = _patch(client, admin, world.ga2.id, {"active": False})
    assert r.status_code == 409 and r.json["error"]["code"] == "has_active_children"
    # 7号楼 is lived in (issue 23 item 4): retired only when confirmed
    r = _patch(client, admin, world.ba2.id, {"active": False})
    assert r.status_code == 409 and r.json["error"]["code"] == "building_has_people"
    assert _patch(client, admin, world.ba2.id, {"active": False, "confirm": True}).status_code == 200
    assert _patch(client, admin, world.ga2.id, {"active": False}).json["active"] is False
    # Gone from the sign-up picker, the public tree, the staff's pickers and grid filters.
    assert world.ba2.id not in {b.id for b in orgs.buildings(db)}
    tree = client.get("/api/v1/orgs").json["items"]
    flat = str(tree)
    assert "第二网格" not in flat and "7号楼" not in flat and "第一网格" in flat
    page = client.get("/register").get_data(as_text=True)
    assert "7号楼" not in page and "1号楼" in page
    r = client.post("/api/v1/users", json={"phone": "13700000055", "name": "新居民",
                                            "password": "long-enough-1", "role": "resident",
                                            "building_id": world.ba2.id})
    assert r.status_code == 422
    # The records stay, and the tree page still shows the retired node (to bring it back).
    assert db.get(Wish, wish.id).building_id == world.ba2.id
    login(client, world.admin)
    html = client.get("/staff/tree").get_data(as_text=True)
    assert "7号楼" in html and "已停用" in html
    # Bringing back: the grid first, then the building.
    assert _patch(client, admin, world.ba2.id, {"active": True}).status_code == 409
    assert _patch(client, admin, world.ga2.id, {"active": True}).status_code == 200
    assert _patch(client, admin, world.ba2.id, {"active": True}).status_code == 200
    assert world.ba2.id in {b.id for b in orgs.buildings(db)}
    kinds = db.scalars(select(AdminLog.kind).order_by(AdminLog.id)).all()
    assert kinds == ["tree_retire", "tree_retire", "tree_reactivate", "tree_reactivate"]


def test_moving_a_building_moves_open_wishes_and_keeps_history(client, db, world, make_wish):
    done = make_wish("closed", title="已完成的心愿")
    open_ = make_wish("published", title="还在等的心愿")
    admin = Api(client, world.admin)
    r = _patch(client, admin, world.ba1.id, {"parent_id": world.ga2.id})
    assert r.status_code == 200 and r.json["parent_id"] == world.ga2.id
    db.expire_all()
    b = db.get(Org, world.ba1.id)
    assert (b.parent_id, b.grid_id, b.community_id) == (world.ga2.id, world.ga2.id, world.ca.id)
    assert db.get(Wish, open_.id).grid_id == world.ga2.id
    assert db.get(Wish, done.id).grid_id == world.ga1.id  # history keeps its grid
    log = db.scalar(select(AdminLog).where(AdminLog.kind == "tree_move"))
    assert log.details["open_wishes_moved"] == 1
    # Not to another community's grid, and only buildings move.
    assert _patch(client, admin, world.ba1.id, {"parent_id": world.gb1.id}).status_code == 422
    assert _patch(client, admin, world.ga1.id, {"parent_id": world.cb.id}).status_code == 409


def test_another_streets_admin_sees_and_changes_nothing(client, db, world, make_user):
    street2 = orgs.add_org(db, "street", "另一街道")
    db.commit()
    other = make_user("蒋街道", "13800000199", None, [("street_admin", street2, None)])
    api = Api(client, other)
    assert api.post("/orgs", {"kind": "community", "name": "新社区",
                              "parent_id": world.street.id}).status_code == 403
    assert _patch(client, api, world.ca.id, {"name": "改名"}).status_code == 403
    login(client, other)
    html = client.get("/staff/tree").get_data(as_text=True)
    assert "另一街道" in html and "城西社区" not in html


def test_tree_page_forms_add_and_rename(client, db, world):
    login(client, world.admin)
    r = client.post("/staff/orgs", data={"kind": "grid", "name": "第二网格",
                                         "parent_id": world.ca.id})
    assert r.status_code == 409 and "已有名为" in r.get_data(as_text=True)
    r = client.post("/staff/orgs", data={"kind": "grid", "name": "第三网格",
                                         "parent_id": world.ca.id})
    assert r.status_code == 302
    r = client.post(f"/staff/orgs/{world.ga1.id}", data={"name": "一网格"})
    assert r.status_code == 302 and db.get(Org, world.ga1.id).name == "一网格"
