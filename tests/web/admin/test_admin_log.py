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


def test_the_log_in_the_readers_language(client, db, world):
    """Issue 23 item 11: lines a Chinese admin wrote read in English for an English reader
    (an import's counts, a tree node's kind), the names kept as typed."""
    import io
    from webapp.models import AdminLog, User
    from webapp.services.admin import adminlog
    admin, _b = _acts(client, world)
    csv = "姓名,手机号,网格,楼栋\r\n张三,13700000001,第一网格,1号楼\r\n".encode("utf-8-sig")
    r = client.post("/api/v1/imports?kind=residents", data={"file": (io.BytesIO(csv), "居民.csv")},
                    headers=admin._headers(), content_type="multipart/form-data")
    assert r.status_code == 200
    adminlog.record(db, world.admin, "other", world.ga1, summary="activation slips 12")
    db.commit()
    login(client, world.admin)
    zh = client.get("/staff/log").text
    assert "导入居民名单“居民.csv”：新增 1，更新 0，未变 0" in zh and "打印激活单 12 张" in zh
    db.get(User, world.admin.id).locale = "en"
    db.commit()
    en = client.get("/staff/log").text
    assert "新增" not in en and "居民名单" not in en and "打印激活单" not in en
    assert "居民.csv" in en and "第三网格" in en  # what people typed stays
    assert "Grid 城西社区 / 第三网格" in en
    assert db.query(AdminLog).filter_by(kind="import").one().summary.startswith("导入")
