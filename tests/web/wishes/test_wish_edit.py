"""修改心愿 on the web and PATCH /api/v1/wishes/{id}; the rejected card says why and how on."""
from tests.conftest import login
from tests.web.apiutil import Api
from webapp.models import Wish, WishEvent

HX = {"HX-Request": "true"}


def _form(wish, **over):
    data = {"title": wish.title, "description": wish.description, "category": str(wish.category_id),
            "capacity": str(wish.capacity), "estimated_hours": "1", "value_yuan": "",
            "wanted_from": "", "wanted_until": "", "deadline": ""}
    data.update(over)
    return data


def test_rejected_card_shows_reason_and_resubmit(client, db, world, make_wish):
    w = make_wish("rejected")
    login(client, world.resident)
    html = client.get("/my/wishes").get_data(as_text=True)
    assert "信息不全" in html and f'href="/wishes/{w.id}/edit"' in html
    assert 'data-action="resubmit"' in html


def test_edit_and_resubmit_through_the_form(client, db, world, make_wish):
    w = make_wish("rejected")
    login(client, world.resident)
    page = client.get(f"/wishes/{w.id}/edit").get_data(as_text=True)
    assert "信息不全" in page and 'value="帮忙买菜送上楼"' in page and "data-offline-draft" not in page
    resp = client.post(f"/wishes/{w.id}/edit", data=_form(w, title="周三帮忙买菜送上楼"))
    assert resp.status_code == 302 and resp.headers["Location"] == f"/wishes/{w.id}"
    db.expire_all()
    assert db.get(Wish, w.id).status == "pending_review"
    detail = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert "修改后重新提交" in detail and "帮忙买菜送上楼 → 周三帮忙买菜送上楼" in detail


def test_edit_form_errors_come_back_in_the_fragment(client, db, world, make_wish):
    w = make_wish("pending_review")
    login(client, world.resident)
    resp = client.post(f"/wishes/{w.id}/edit", headers=HX,
                       data=_form(w, title="", wanted_from="2030-01-02T10:00",
                                  wanted_until="2030-01-02T09:00"))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="wish-form"' in html and "请填写这一项" in html


def test_claimed_wish_edit_is_409_with_reason(client, db, world, make_wish):
    w = make_wish("claimed")
    login(client, world.resident)
    resp = client.get(f"/wishes/{w.id}/edit")
    assert resp.status_code == 409 and "已有志愿者认领" in resp.get_data(as_text=True)
    html = client.get("/my/wishes").get_data(as_text=True)
    assert f"/wishes/{w.id}/edit" not in html


def test_grid_worker_sees_no_withdraw_or_edit_on_a_residents_own_wish(client, db, world,
                                                                      make_wish):
    w = make_wish("claimed")
    login(client, world.grid_worker)
    html = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert 'data-action="withdraw"' not in html and "/edit" not in html
    assert client.post(f"/wishes/{w.id}/withdraw").status_code == 403


def test_api_patch_edits_only_the_fields_sent(client, db, world, make_wish):
    w = make_wish("pending_review")
    r = Api(client, world.resident).patch(f"/wishes/{w.id}", json={"capacity": 2})
    assert r.status_code == 200 and r.json["capacity"] == 2 and r.json["status"] == "pending_review"
    db.expire_all()
    assert db.get(Wish, w.id).title == "帮忙买菜送上楼"
    ev = db.query(WishEvent).filter_by(wish_id=w.id, action="edit").one()
    assert ev.changes == [["capacity", "1", "2"]]
    detail = Api(client, world.resident).get(f"/wishes/{w.id}").json
    assert detail["events"][-1]["changes"][0]["old"] == "1"


def test_api_patch_errors(client, db, world, make_wish):
    w = make_wish("claimed")
    api = Api(client, world.resident)
    r = api.patch(f"/wishes/{w.id}", json={"title": "新标题"})
    assert r.status_code == 409 and r.json["error"]["code"] == "not_editable"
    p = make_wish("pending_review", title="另一个心愿")
    r = api.patch(f"/wishes/{p.id}", json={"title": None, "capacity": 0})
    assert r.status_code == 422 and {"title", "capacity"} <= r.json["error"]["fields"].keys()
    r = Api(client, world.resident2).patch(f"/wishes/{p.id}", json={"title": "别人改"})
    assert r.status_code in (403, 404)


def test_new_wish_form_reports_every_error_in_one_round(client, db, world):
    login(client, world.resident)
    resp = client.post("/wishes/new", headers=HX, data={
        "kind": "wish", "title": "", "category": str(world.cat.id), "capacity": "1",
        "estimated_hours": "1", "value_yuan": "900", "wanted_from": "2030-05-01T11:00",
        "wanted_until": "2030-05-01T09:00", "deadline": "2020-01-01T00:00"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    for msg in ("请填写这一项", "本社区微心愿价值上限为 500 元", "结束时间应晚于开始时间",
                "截止时间应晚于现在"):
        assert msg in html, msg


def test_api_post_reports_schema_and_rule_errors_together(client, db, world):
    r = Api(client, world.resident).post("/wishes", json={
        "kind": "wish", "title": "x", "category": world.cat.id, "value_yuan": 900})
    assert r.status_code == 422
    assert {"title", "value_yuan"} <= r.json["error"]["fields"].keys()


def test_rerate_and_reconsider_from_the_detail_page(client, db, world, make_wish):
    w = make_wish("closed")
    login(client, world.resident)
    assert 'id="rerate"' in client.get(f"/wishes/{w.id}").get_data(as_text=True)
    resp = client.post(f"/wishes/{w.id}/rating", data={"rating": "2", "comment": "不太准时"})
    assert resp.status_code == 302
    db.expire_all()
    assert db.get(Wish, w.id).rating == 2
    p = make_wish("published", title="审核错了")
    login(client, world.admin)
    assert 'id="reconsider"' in client.get(f"/wishes/{p.id}").get_data(as_text=True)
    resp = client.post(f"/admin/wishes/{p.id}/reconsider", data={"reason": "分类选错"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/admin/wishes/{p.id}/review")
    db.expire_all()
    assert db.get(Wish, p.id).status == "pending_review"
    login(client, world.grid_worker)
    assert 'id="reconsider"' not in client.get(f"/wishes/{p.id}").get_data(as_text=True)
