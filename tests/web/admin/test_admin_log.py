"""The admin log: the street admin reads the street's, a community admin the community's,
filtered by kind and person; nobody reads another community's or street's."""
from tests.conftest import login
from tests.web.apiutil import Api


def _acts(client, world):
    admin, admin_b = Api(client, world.admin), Api(client, world.admin_b)
    assert admin.post("/orgs", {"kind": "grid", "name": "第三网格",
                                "parent_id": world.ca.id}).status_code == 201
    assert admin.post(f"/users/{world.resident.id}/password-reset").status_code == 200
    assert admin_b.post("/orgs", {"kind": "grid", "name": "东二网格",
                                  "parent_id": world.cb.id}).status_code == 201
    return admin, admin_b


def test_community_and_street_views(client, db, world):
    admin, admin_b = _acts(client, world)
    mine = admin.get("/admin-log").json["items"]
    assert [i["kind"] for i in mine] == ["password_reset", "tree_add"]
    assert mine[0]["actor"] == "孙主任" and mine[0]["target"] == "王小明"
    assert [i["kind"] for i in admin_b.get("/admin-log").json["items"]] == ["tree_add"]
    assert admin_b.get("/admin-log", community=world.ca.id).status_code == 403
    street = Api(client, world.street_admin)
    assert len(street.get("/admin-log").json["items"]) == 3
    assert [i["kind"] for i in street.get("/admin-log", kind="tree_add").json["items"]] == [
        "tree_add", "tree_add"]
    by_person = street.get("/admin-log", person=world.resident.id).json["items"]
    assert [i["kind"] for i in by_person] == ["password_reset"]
    assert street.get("/admin-log", community=world.cb.id).json["items"][0]["summary"].endswith(
        "东二网格")
    assert Api(client, world.grid_worker).get("/admin-log").status_code == 403


def test_log_page(client, db, world):
    _acts(client, world)
    login(client, world.street_admin)
    html = client.get("/staff/log").get_data(as_text=True)
    assert "东二网格" in html and "第三网格" in html and "重置密码" in html
    html = client.get(f"/staff/log?community={world.cb.id}").get_data(as_text=True)
    assert "东二网格" in html and "第三网格" not in html
    html = client.get("/staff/log?kind=password_reset").get_data(as_text=True)
    assert "第三网格" not in html and "王小明" in html
