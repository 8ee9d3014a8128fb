"""Community settings: value cap, timings, categories and auto-publish of trusted categories."""
import pytest

from webapp.models import Category, Org, Wish
from webapp.schemas.inputs import WishInput
from webapp.services.wishes import wishes
from webapp.services.errors import Invalid

from tests.conftest import login


def test_admin_saves_cap_and_it_applies_to_new_wishes(client, db, world):
    login(client, world.admin)
    r = client.post("/admin/settings", data={"wish_value_cap": "200", "confirm_after_days": "5"})
    assert r.status_code == 302
    db.expire_all()
    org = db.get(Org, world.ca.id)
    assert org.settings["wish_value_cap"] == 200 and org.settings["confirm_after_days"] == 5
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="200"' in page
    data = WishInput(kind="wish", title="想要一个书包", category=world.categories["物资心愿"].id,
                     value_yuan=300)
    with pytest.raises(Invalid) as exc:
        wishes.post(db, world.resident, data)
    assert "200" in str(exc.value.fields["value_yuan"])
    db.rollback()
    assert db.query(Wish).count() == 0


def test_bad_settings_show_errors_and_save_nothing(client, db, world):
    login(client, world.admin)
    r = client.post("/admin/settings", data={"wish_value_cap": "-5", "max_service_hours": "abc",
                                             "points_per_hour": "2"})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "应在 0 到 5000 之间" in page and "请填写数字" in page
    db.expire_all()
    assert db.get(Org, world.ca.id).settings == {}


def test_auto_publish_category_skips_review(client, db, world):
    login(client, world.admin)
    cat = world.categories["环境卫生"]
    r = client.post(f"/admin/categories/{cat.id}", data={"active": "1", "auto_publish": "1"})
    assert r.status_code == 302
    w = wishes.post(db, world.resident, WishInput(kind="service", title="楼道清理杂物",
                                                  category=cat.id))
    assert w.status == "published" and w.published_at is not None
    assert [e.action for e in w.events] == ["post", "auto_publish"]


def test_add_category_and_duplicate_refused(client, db, world):
    login(client, world.admin)
    assert client.post("/admin/categories", data={"name": "代购代办"}).status_code == 302
    r = client.post("/admin/categories", data={"name": "代购代办"})
    assert r.status_code == 422 and "已经有这个分类了" in r.get_data(as_text=True)
    assert db.query(Category).filter_by(community_id=world.ca.id, name="代购代办").count() == 1


def test_other_roles_cannot_touch_settings(client, db, world):
    cat = world.categories["环境卫生"]
    for user in (world.grid_worker, world.member, world.resident, world.street_admin):
        login(client, user)
        assert client.get("/admin/settings").status_code == 403
        assert client.post(f"/admin/categories/{cat.id}", data={"auto_publish": "1",
                                                               "active": "1"}).status_code == 403
    login(client, world.admin_b)  # another community's admin
    assert client.post(f"/admin/categories/{cat.id}", data={"auto_publish": "1",
                                                           "active": "1"}).status_code == 403
    db.expire_all()
    assert db.get(Category, cat.id).auto_publish is False
