"""Residents' pages: post a wish (and 代为登记), bad input, my wishes, withdraw, confirm."""
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import login
from webapp.models import ServiceRecord, User, Wish, WishEvent

HX = {"HX-Request": "true"}


def _count(db, model, **where):
    return db.scalar(select(func.count()).select_from(model).filter_by(**where))


def _wish_form(world, **over):
    data = {"kind": "service", "title": "帮忙换灯泡", "description": "厨房灯坏了，够不着。",
            "category": str(world.cat.id), "capacity": "1", "estimated_hours": "1",
            "value_yuan": "", "wanted_from": "2030-05-01T09:00", "wanted_until": "2030-05-01T11:00",
            "deadline": "", "on_behalf_of": "", "client_uuid": ""}
    data.update(over)
    return data


# --- post a wish ----------------------------------------------------------------------------

def test_post_wish_goes_to_review_and_shows_on_detail(client, db, world):
    login(client, world.resident)
    form = client.get("/wishes/new").get_data(as_text=True)
    assert "助老助残" in form and "data-offline-draft" in form
    resp = client.post("/wishes/new", data=_wish_form(world))
    assert resp.status_code == 302
    wish = db.scalar(select(Wish))
    assert resp.headers["Location"] == f"/wishes/{wish.id}"
    assert wish.status == "pending_review" and wish.resident_id == world.resident.id
    assert not wish.on_behalf and wish.grid_id == world.ga1.id
    # Beijing time typed into the form is stored as UTC.
    assert wish.wanted_from.hour == 1
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "审核通过后就会上架" in page and "待审核" in page


def test_htmx_post_navigates_to_the_new_wish(client, db, world):
    login(client, world.resident)
    resp = client.post("/wishes/new", data=_wish_form(world), headers=HX)
    wish = db.scalar(select(Wish))
    assert resp.status_code == 200 and resp.headers["HX-Redirect"] == f"/wishes/{wish.id}"
    assert "HX-Request" in resp.headers["Vary"]


def test_the_form_names_its_author_and_a_draft_never_posts_as_someone_else(client, db, world):
    login(client, world.resident)
    form = client.get("/wishes/new").get_data(as_text=True)
    assert f'name="draft_owner" value="{world.resident.id}"' in form
    # The phone changed hands while the draft waited offline: 409, nothing written.
    login(client, world.resident2)
    resp = client.post("/wishes/new", data=_wish_form(world, draft_owner=str(world.resident.id),
                                                      client_uuid="5b0c1f9e-2d7a-4c3e-9f10-6a2b8c4d5e01"))
    assert resp.status_code == 409 and "另一个账号" in resp.get_data(as_text=True)
    assert _count(db, Wish) == 0
    login(client, world.resident)
    resp = client.post("/wishes/new", data=_wish_form(world, draft_owner=str(world.resident.id),
                                                      client_uuid="5b0c1f9e-2d7a-4c3e-9f10-6a2b8c4d5e01"))
    assert resp.status_code == 302
    assert db.scalar(select(Wish.resident_id)) == world.resident.id


@pytest.mark.parametrize("over,field,message", [
    ({"title": ""}, "title", "请填写这一项"),
    ({"title": "长"}, "title", "至少 2 个字"),
    ({"title": "长" * 61}, "title", "最多 60 个字"),
    ({"capacity": "三个"}, "capacity", "请填写整数"),
    ({"category": "999999"}, "category", "请从本社区的分类中选择"),
    ({"category": "OTHER"}, "category", "请从本社区的分类中选择"),
    ({"kind": "wish", "value_yuan": "600",
      "category": "MATERIAL"}, "value_yuan", "上限为 500 元"),
    ({"kind": "wish", "value_yuan": ""}, "value_yuan", "请填写心愿物品的大致价值"),
    ({"wanted_until": "2030-05-01T08:00"}, "wanted_until", "结束时间应晚于开始时间"),
    ({"deadline": "2001-01-01T08:00"}, "deadline", "截止时间应晚于现在"),
    ({"kind": "gift"}, "kind", "请从列表中选择"),
    ({"wanted_from": "明天上午"}, "wanted_from", "请填写正确的日期时间"),
])
def test_bad_wish_input_shows_message_by_the_field_and_writes_nothing(client, db, world, over,
                                                                      field, message):
    if over.get("category") == "OTHER":
        over["category"] = str(db.scalar(select(world.cat.__class__.id).where(
            world.cat.__class__.community_id == world.cb.id).limit(1)))
    if over.get("category") == "MATERIAL":
        over["category"] = str(world.categories["物资心愿"].id)
    login(client, world.resident)
    resp = client.post("/wishes/new", data=_wish_form(world, **over))
    html = resp.get_data(as_text=True)
    # 200 for a plain form: the offline-draft replay reads 200 as "shown again with errors".
    assert resp.status_code == 200 and "<html" in html
    err = re.search(rf'<p class="field-error" id="err-{field}">([^<]*)</p>', html)
    assert err and message in err.group(1), html
    assert 'aria-invalid="true"' in html or field == "kind"  # radios: the fieldset is marked
    if field != "title":
        assert 'value="帮忙换灯泡"' in html  # the form keeps what was typed
    assert _count(db, Wish) == 0 and _count(db, WishEvent) == 0


def test_bad_input_under_htmx_is_a_422_form_fragment(client, db, world):
    login(client, world.resident)
    resp = client.post("/wishes/new", data=_wish_form(world, title=""), headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "<html" not in html and 'id="wish-form"' in html
    assert 'id="err-title"' in html and "HX-Request" in resp.headers["Vary"]
    assert _count(db, Wish) == 0


def test_member_without_resident_role_cannot_post(client, db, world):
    login(client, world.member2)
    assert client.get("/wishes/new").status_code == 403
    assert client.post("/wishes/new", data=_wish_form(world)).status_code == 403
    assert _count(db, Wish) == 0


# --- 代为登记 by grid staff -----------------------------------------------------------------

def test_grid_worker_posts_for_a_resident_of_the_grid(client, db, world):
    login(client, world.grid_worker)
    form = client.get("/wishes/new").get_data(as_text=True)
    picker = re.search(r'<select id="f-on_behalf_of".*?</select>', form, re.S).group(0)
    assert f'<option value="{world.resident.id}"' in picker and world.resident.name in picker
    assert world.resident2.name not in picker  # grid A2 is not theirs
    assert "/residents/new" in form
    resp = client.post("/wishes/new", data=_wish_form(world, on_behalf_of=str(world.resident.id)))
    assert resp.status_code == 302
    wish = db.scalar(select(Wish))
    assert wish.on_behalf and wish.resident_id == world.resident.id
    assert wish.posted_by_id == world.grid_worker.id


def test_grid_worker_must_pick_a_resident_of_their_grid(client, db, world):
    login(client, world.grid_worker)
    resp = client.post("/wishes/new", data=_wish_form(world))
    assert 'id="err-on_behalf_of"' in resp.get_data(as_text=True)
    resp = client.post("/wishes/new", data=_wish_form(world,
                                                      on_behalf_of=str(world.resident2.id)))
    assert "只能为本网格的居民代为登记" in resp.get_data(as_text=True)
    assert _count(db, Wish) == 0


def test_grid_worker_registers_resident_without_phone_then_posts(client, db, world):
    login(client, world.grid_worker)
    resp = client.post("/residents/new", data={"name": "钱奶奶", "building_id": str(world.ba1.id),
                                               "address": "5单元101", "phone": ""})
    user = db.scalar(select(User).where(User.name == "钱奶奶"))
    assert resp.status_code == 302 and resp.headers["Location"] == f"/wishes/new?for={user.id}"
    assert user.phone is None and user.password_hash is None
    assert user.role_names() == {"resident"}
    form = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert re.search(rf'<option value="{user.id}" selected>钱奶奶', form)


@pytest.mark.parametrize("over,field", [
    ({"name": ""}, "name"),
    ({"phone": "123"}, "phone"),
    ({"phone": "13800000101"}, "phone"),  # taken by world.resident
    ({"building_id": "BA2"}, "building_id"),  # another grid's building
])
def test_register_resident_bad_input(client, db, world, over, field):
    if over.get("building_id") == "BA2":
        over["building_id"] = str(world.ba2.id)
    login(client, world.grid_worker)
    users = _count(db, User)
    data = {"name": "钱奶奶", "building_id": str(world.ba1.id), "address": "", "phone": ""}
    data.update(over)
    resp = client.post("/residents/new", data=data)
    assert resp.status_code == 422 and f'id="err-{field}"' in resp.get_data(as_text=True)
    assert _count(db, User) == users


def test_only_grid_staff_register_residents(client, world):
    login(client, world.resident)
    assert client.get("/residents/new").status_code == 403
    assert client.post("/residents/new", data={"name": "x", "building_id": "1"}).status_code == 403


# --- my wishes, withdraw --------------------------------------------------------------------

def test_my_wishes_lists_cards_and_marks_the_tab(client, world, make_wish):
    make_wish("pending_review", title="我的第一个心愿")
    make_wish("published", resident=world.resident2, title="别人的心愿")
    login(client, world.resident)
    resp = client.get("/my/wishes")
    html = resp.get_data(as_text=True)
    assert "我的第一个心愿" in html and "别人的心愿" not in html
    assert re.search(r'<a href="/my/wishes" aria-current="page"', html)
    assert "HX-Request" in resp.headers["Vary"]
    frag = client.get("/my/wishes", headers=HX).get_data(as_text=True)
    assert "<html" not in frag and "我的第一个心愿" in frag


def test_withdraw_plain_form_redirects_with_flash(client, db, world, make_wish):
    w = make_wish("published")
    login(client, world.resident)
    resp = client.post(f"/wishes/{w.id}/withdraw", follow_redirects=True)
    assert "心愿已撤回" in resp.get_data(as_text=True)
    db.refresh(w)
    assert w.status == "withdrawn"


def test_withdraw_under_htmx_returns_the_card_only(client, db, world, make_wish):
    w = make_wish("claimed")
    login(client, world.resident)
    resp = client.post(f"/wishes/{w.id}/withdraw", headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert html.strip().startswith(f'<article class="card wish-card" id="wish-{w.id}"')
    assert "已撤回" in html and "HX-Request" in resp.headers["Vary"]


def test_withdraw_refused_once_service_started(client, db, world, make_wish):
    w = make_wish("in_service")
    login(client, world.resident)
    resp = client.post(f"/wishes/{w.id}/withdraw", headers=HX)
    assert resp.status_code == 409 and "服务已经开始" in resp.get_data(as_text=True)
    assert client.post(f"/wishes/{w.id}/withdraw").status_code == 409
    db.refresh(w)
    assert w.status == "in_service"


def test_withdraw_by_another_resident_is_forbidden(client, db, world, make_wish):
    w = make_wish("published")
    login(client, world.resident2)
    assert client.post(f"/wishes/{w.id}/withdraw").status_code == 403
    db.refresh(w)
    assert w.status == "published"


# --- confirm --------------------------------------------------------------------------------

def test_resident_confirms_with_rating_and_the_wish_closes(client, db, world, make_wish):
    w = make_wish("done")
    login(client, world.resident)
    form = client.get(f"/wishes/{w.id}/confirm").get_data(as_text=True)
    assert form.count('type="radio" name="rating"') == 5 and 'name="note"' not in form
    resp = client.post(f"/wishes/{w.id}/confirm", data={"rating": "4", "comment": "很及时"})
    assert resp.status_code == 302
    db.refresh(w)
    assert w.status == "closed" and w.rating == 4 and w.comment == "很及时"
    assert _count(db, ServiceRecord, wish_id=w.id) == 1


def test_confirm_without_rating_shows_error_and_confirms_nothing(client, db, world, make_wish):
    w = make_wish("done")
    login(client, world.resident)
    resp = client.post(f"/wishes/{w.id}/confirm", data={"rating": "", "comment": "x"})
    assert resp.status_code == 422 and 'id="err-rating"' in resp.get_data(as_text=True)
    resp = client.post(f"/wishes/{w.id}/confirm", data={"rating": "9"})
    assert resp.status_code == 422 and "不能大于 5" in resp.get_data(as_text=True)
    db.refresh(w)
    assert w.status == "done" and _count(db, ServiceRecord) == 0


def test_grid_worker_confirms_only_with_a_note(client, db, world, make_wish):
    w = make_wish("done")
    login(client, world.grid_worker)
    assert 'name="note"' in client.get(f"/wishes/{w.id}/confirm").get_data(as_text=True)
    resp = client.post(f"/wishes/{w.id}/confirm", data={"rating": "5"}, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "<html" not in html and 'id="err-note"' in html
    db.refresh(w)
    assert w.status == "done"
    resp = client.post(f"/wishes/{w.id}/confirm", data={"rating": "5", "note": "电话回访，满意"})
    assert resp.status_code == 302
    db.refresh(w)
    assert w.status == "closed"
    rec = db.scalar(select(ServiceRecord).where(ServiceRecord.wish_id == w.id))
    assert rec.confirm_note == "电话回访，满意" and rec.confirmed_by_id == world.grid_worker.id


def test_confirm_page_for_someone_else_is_forbidden(client, world, make_wish):
    w = make_wish("done")
    login(client, world.member3)
    assert client.get(f"/wishes/{w.id}/confirm").status_code == 403
    assert client.post(f"/wishes/{w.id}/confirm", data={"rating": "5"}).status_code == 403


def test_confirm_twice_is_a_conflict(client, db, world, make_wish):
    w = make_wish("closed")
    login(client, world.resident)
    page = client.get(f"/wishes/{w.id}/confirm").get_data(as_text=True)
    assert "现在不需要确认" in page
    assert client.post(f"/wishes/{w.id}/confirm", data={"rating": "3"}).status_code == 409
    db.refresh(w)
    assert w.rating == 5
