"""The community admin's pages through the test client: review, wish list, registrations,
dispatch — and that nobody outside the community gets at any of it."""
import pytest
from sqlalchemy import func, select

from tests.conftest import login
from webapp.models import Claim, Registration, RoleGrant, Unit, WishEvent
from webapp.schemas.inputs import Register
from webapp.services.people import accounts

HX = {"HX-Request": "true"}


def _count(db, model, **where):
    return db.scalar(select(func.count()).select_from(model).filter_by(**where))


def _claim_of(db, wish, user):
    return db.scalar(select(Claim).where(Claim.wish_id == wish.id, Claim.volunteer_id == user.id))


def _register(db, world, role="member", phone="13900000201", name="新党员", **extra):
    data = Register(consent=True, phone=phone, name=name, password="wishgrid-test", role=role,
                    building_id=world.ba1.id, **extra)
    return accounts.register(db, data)


# --- review ---------------------------------------------------------------------------------

def test_review_queue_lists_pending_wishes_of_my_community(client, world, make_wish):
    w = make_wish("pending_review", title="一号楼陪同就医")
    published = make_wish(title="已经发布的心愿")
    login(client, world.admin)
    html = client.get("/admin/review").get_data(as_text=True)
    assert w.title in html and published.title not in html
    assert f"/admin/wishes/{w.id}/review" in html


def test_whole_flow_review_claim_start_done(client, db, world, make_wish):
    w = make_wish("pending_review")
    login(client, world.admin)
    form = client.get(f"/admin/wishes/{w.id}/review").get_data(as_text=True)
    assert "通过并发布" in form and world.resident.phone in form  # staff verify by phone
    resp = client.post(f"/admin/wishes/{w.id}/review", data={"decision": "approve"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/review")
    assert "已通过" in client.get(resp.headers["Location"]).get_data(as_text=True)
    db.refresh(w)
    assert w.status == "published"
    login(client, world.member)
    assert w.title in client.get("/menu").get_data(as_text=True)
    assert client.post(f"/wishes/{w.id}/claim", headers=HX).status_code == 200
    c = _claim_of(db, w, world.member)
    assert client.post(f"/claims/{c.id}/start", headers=HX).status_code == 200
    assert client.post(f"/claims/{c.id}/done", data={"hours": "2"}).status_code == 302
    db.refresh(w)
    assert w.status == "done"
    assert [e.action for e in w.events] == ["post", "approve", "claim", "fill", "start",
                                            "mark_done", "finish"]


def test_review_reject_needs_a_reason_and_writes_nothing(client, db, world, make_wish):
    w = make_wish("pending_review")
    login(client, world.admin)
    resp = client.post(f"/admin/wishes/{w.id}/review", data={"decision": "reject", "reason": " "})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请填写不通过的原因" in html and 'class="field-error"' in html
    resp = client.post(f"/admin/wishes/{w.id}/review", data={"decision": "maybe"}, headers=HX)
    assert resp.status_code == 422 and "<html" not in resp.get_data(as_text=True)
    assert "请从列表中选择" in resp.get_data(as_text=True)
    db.refresh(w)
    assert w.status == "pending_review" and w.reject_reason is None
    assert _count(db, WishEvent, wish_id=w.id) == 1  # only "post"


def test_review_reject_with_reason_via_htmx_returns_card(client, db, world, make_wish):
    w = make_wish("pending_review")
    login(client, world.admin)
    resp = client.post(f"/admin/wishes/{w.id}/review",
                       data={"decision": "reject", "reason": "请写明具体时间"}, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert f'id="wish-{w.id}"' in html and "未通过" in html
    db.refresh(w)
    assert w.status == "rejected" and w.reject_reason == "请写明具体时间"


def test_review_twice_is_409(client, db, world, make_wish):
    w = make_wish("published")
    login(client, world.admin)
    assert client.get(f"/admin/wishes/{w.id}/review").status_code == 409
    resp = client.post(f"/admin/wishes/{w.id}/review", data={"decision": "approve"})
    assert resp.status_code == 409 and "等待认领" in resp.get_data(as_text=True)


def test_grid_worker_sees_review_list_read_only(client, world, make_wish):
    w = make_wish("pending_review")
    login(client, world.grid_worker)
    html = client.get("/admin/review").get_data(as_text=True)
    assert w.title in html and f"/admin/wishes/{w.id}/review" not in html
    assert client.get(f"/admin/wishes/{w.id}/review").status_code == 403
    assert client.post(f"/admin/wishes/{w.id}/review",
                       data={"decision": "approve"}).status_code == 403


# --- the wish list --------------------------------------------------------------------------

def test_wish_list_filters_by_status_and_grid(client, world, make_wish):
    make_wish("pending_review", title="待审的心愿")
    make_wish("published", title="一号楼心愿")
    make_wish("published", resident=world.resident2, title="七号楼心愿")
    login(client, world.admin)
    html = client.get("/admin/wishes").get_data(as_text=True)
    assert all(t in html for t in ("待审的心愿", "一号楼心愿", "七号楼心愿"))
    resp = client.get(f"/admin/wishes?status=published&grid={world.ga2.id}", headers=HX)
    frag = resp.get_data(as_text=True)
    assert "<html" not in frag and "七号楼心愿" in frag
    assert "一号楼心愿" not in frag and "待审的心愿" not in frag
    assert "HX-Request" in resp.headers["Vary"]
    bad = client.get("/admin/wishes?status=nonsense")
    assert bad.status_code == 422  # a garbled filter is refused with a message, not a 500
    assert "请从列表中选择" in bad.get_data(as_text=True)


def test_grid_worker_list_is_limited_to_their_grid(client, world, make_wish):
    make_wish("published", title="一号楼心愿")
    make_wish("published", resident=world.resident2, title="七号楼心愿")
    login(client, world.grid_worker2)
    html = client.get("/admin/wishes").get_data(as_text=True)
    assert "七号楼心愿" in html and "一号楼心愿" not in html


@pytest.mark.parametrize("who", ["member", "resident", "unit_admin"])
def test_admin_lists_are_staff_only(client, world, who):
    login(client, getattr(world, who))
    for url in ("/admin/review", "/admin/wishes", "/admin/registrations"):
        assert client.get(url).status_code == 403, url


# --- scoping: another community's admin never gets community A's data ------------------------

def test_other_community_admin_gets_nothing_of_community_a(client, db, world, make_wish):
    pending = make_wish("pending_review", title="城西的待审心愿")
    published = make_wish("published", title="城西的已发布心愿")
    reg_user, reg = _register(db, world)
    login(client, world.admin_b)
    for method, url, data in (
        ("get", f"/admin/wishes/{pending.id}/review", None),
        ("post", f"/admin/wishes/{pending.id}/review", {"decision": "approve"}),
        ("get", f"/admin/wishes/{published.id}/dispatch", None),
        ("post", f"/admin/wishes/{published.id}/dispatch",
         {"target": f"member:{world.member.id}"}),
        ("post", f"/admin/registrations/{reg.id}/approve", {}),
        ("post", f"/admin/registrations/{reg.id}/reject", {"reason": "不认识"}),
    ):
        for headers in ({}, HX):
            resp = getattr(client, method)(url, data=data, headers=headers)
            html = resp.get_data(as_text=True)
            assert resp.status_code in (403, 404), (method, url, resp.status_code)
            assert "城西的" not in html and world.resident.phone not in html
            assert reg_user.phone not in html
    for url in ("/admin/review", "/admin/wishes", "/admin/registrations",
                f"/admin/wishes?grid={world.ga1.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "城西的" not in html and reg_user.name not in html, url
    db.refresh(pending)
    db.refresh(reg)
    assert pending.status == "pending_review" and reg.status == "pending"
    assert _count(db, Claim) == 0


# --- registrations --------------------------------------------------------------------------

def test_registration_approve_gives_member_role(client, db, world):
    user, reg = _register(db, world, skills="理发,维修")
    login(client, world.admin)
    html = client.get("/admin/registrations").get_data(as_text=True)
    assert user.name in html and "理发" in html and "个人报到" in html
    resp = client.post(f"/admin/registrations/{reg.id}/approve")
    assert resp.status_code == 302
    db.refresh(reg)
    assert reg.status == "approved"
    assert _count(db, RoleGrant, user_id=user.id, role="member", org_id=world.ca.id) == 1
    page = client.get("/admin/registrations").get_data(as_text=True)
    # Out of the pending list; shown under 最近通过 while it can still be undone.
    pending, recent = page.split('id="recent-approved"')
    assert user.name not in pending and user.name in recent
    # Deciding twice is an illegal change: 409 with the reason.
    resp = client.post(f"/admin/registrations/{reg.id}/approve", headers=HX)
    assert resp.status_code == 409 and "已经处理过" in resp.get_data(as_text=True)


def test_registration_approve_htmx_returns_the_row(client, db, world):
    _user, reg = _register(db, world, role="unit_admin", unit_name="区图书馆")
    login(client, world.admin)
    resp = client.post(f"/admin/registrations/{reg.id}/approve", headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert f'id="reg-{reg.id}"' in html and "已通过" in html
    assert db.get(Unit, reg.unit_id).status == "approved"


def test_registration_reject_needs_reason(client, db, world):
    user, reg = _register(db, world)
    login(client, world.admin)
    resp = client.post(f"/admin/registrations/{reg.id}/reject", data={"reason": ""})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请填写这一项" in html and 'class="field-error"' in html
    resp = client.post(f"/admin/registrations/{reg.id}/reject", data={"reason": "x" * 201},
                       headers=HX)
    assert resp.status_code == 422 and "最多 200 个字" in resp.get_data(as_text=True)
    db.refresh(reg)
    assert reg.status == "pending" and reg.reason is None
    resp = client.post(f"/admin/registrations/{reg.id}/reject", data={"reason": "不在本社区居住"})
    assert resp.status_code == 302
    db.refresh(reg)
    assert reg.status == "rejected" and reg.reason == "不在本社区居住"
    assert _count(db, RoleGrant, user_id=user.id, role="member") == 0


def test_unknown_registration_is_404(client, world):
    login(client, world.admin)
    assert client.post("/admin/registrations/99999/approve").status_code == 404


# --- dispatch -------------------------------------------------------------------------------

def test_dispatch_is_an_offer_the_member_accepts(client, db, world, make_wish):
    w = make_wish("published")
    login(client, world.admin)
    page = client.get(f"/admin/wishes/{w.id}/dispatch").get_data(as_text=True)
    assert "接受后才算认领" in page and world.member3.name in page and world.unit.name in page
    assert world.member_b.name not in page  # another community's member
    resp = client.post(f"/admin/wishes/{w.id}/dispatch",
                       data={"target": f"member:{world.member3.id}"})
    assert resp.status_code == 302
    c = _claim_of(db, w, world.member3)
    assert c.status == "offered" and c.via == "dispatch"
    login(client, world.member3)
    html = client.get("/orders").get_data(as_text=True)
    assert "待答复的派单" in html and f"/claims/{c.id}/accept" in html
    resp = client.post(f"/claims/{c.id}/accept", headers=HX)
    assert resp.status_code == 200 and "<html" not in resp.get_data(as_text=True)
    db.refresh(c)
    assert c.status == "active"
    # Answering twice is refused.
    assert client.post(f"/claims/{c.id}/decline", headers=HX).status_code == 409


def test_dispatch_declined_frees_the_place(client, db, world, make_wish):
    w = make_wish("published")
    login(client, world.admin)
    client.post(f"/admin/wishes/{w.id}/dispatch", data={"target": f"member:{world.member2.id}"})
    c = _claim_of(db, w, world.member2)
    login(client, world.member)  # not the member the offer went to
    assert client.post(f"/claims/{c.id}/decline").status_code == 403
    login(client, world.member2)
    resp = client.post(f"/claims/{c.id}/decline")
    assert resp.status_code == 302
    db.refresh(c)
    db.refresh(w)
    assert c.status == "declined" and w.status == "published" and w.taken == 0


def test_dispatch_to_a_unit_notifies_its_admins(client, db, world, make_wish):
    w = make_wish("published")
    login(client, world.admin)
    resp = client.post(f"/admin/wishes/{w.id}/dispatch",
                       data={"target": f"unit:{world.unit.id}", "note": "请安排会修水管的同志"},
                       headers=HX)
    assert resp.status_code == 200 and "已通知单位管理员" in resp.get_data(as_text=True)
    assert _count(db, WishEvent, wish_id=w.id, action="dispatch") == 1


def test_dispatch_bad_inputs_write_nothing(client, db, world, make_wish):
    w = make_wish("published")
    login(client, world.admin)
    for data, text in (({}, "请选择一名党员或一个单位"),
                       ({"target": "member:abc"}, "请选择一名党员或一个单位"),
                       ({"target": f"member:{world.member_b.id}"}, "请选择已在本社区报到的党员"),
                       ({"target": f"unit:{world.unit_b.id}"}, "请选择已向本社区报到的单位"),
                       ({"target": f"member:{world.member.id}", "note": "长" * 201}, "最多 200 个字")):
        resp = client.post(f"/admin/wishes/{w.id}/dispatch", data=data)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 422, data
        assert text in html and 'class="field-error"' in html, (data, text)
    assert _count(db, Claim, wish_id=w.id) == 0
    assert _count(db, WishEvent, wish_id=w.id, action="dispatch") == 0
    db.refresh(w)
    assert w.taken == 0


def test_dispatch_of_a_wish_not_published_is_409(client, db, world, make_wish):
    w = make_wish("pending_review")
    login(client, world.admin)
    assert client.get(f"/admin/wishes/{w.id}/dispatch").status_code == 409
    resp = client.post(f"/admin/wishes/{w.id}/dispatch",
                       data={"target": f"member:{world.member.id}"})
    assert resp.status_code == 409 and "等待社区审核" in resp.get_data(as_text=True)
    assert _count(db, Claim, wish_id=w.id) == 0


def test_registration_row_for_pending_unit_shows_unit(client, db, world):
    _register(db, world, role="unit_admin", unit_name="区图书馆", phone="13900000202")
    login(client, world.admin)
    html = client.get("/admin/registrations").get_data(as_text=True)
    assert "单位报到" in html and "区图书馆" in html
    assert _count(db, Registration, status="pending") == 1


def test_boosted_navigation_gets_the_whole_page(client, world, make_wish):
    w = make_wish("pending_review")
    login(client, world.admin)
    html = client.get(f"/admin/wishes/{w.id}/review",
                      headers={**HX, "HX-Boosted": "true"}).get_data(as_text=True)
    assert "<html" in html and "通过并发布" in html
    frag = client.get("/admin/wishes", headers=HX).get_data(as_text=True)
    assert "<html" not in frag and w.title in frag


def test_numbers_too_big_for_the_database_are_refused_not_crashes(client, db, world, make_wish):
    big = "9" * 25
    w = make_wish("published")
    login(client, world.admin)
    resp = client.post(f"/admin/wishes/{w.id}/dispatch", data={"target": f"member:{big}"})
    assert resp.status_code == 422 and "请选择一名党员或一个单位" in resp.get_data(as_text=True)
    assert client.post(f"/admin/wishes/{big}/dispatch").status_code == 404
    assert client.get(f"/admin/wishes/{big}/review").status_code == 404
    assert client.post(f"/admin/registrations/{big}/approve").status_code == 404
    for query in (f"grid={big}", "grid=²", "grid=-1", "status=%00"):
        assert client.get(f"/admin/wishes?{query}").status_code == 422, query  # refused, never a 500
    assert client.get("/admin/wishes?cursor=zzz").status_code == 422
    assert _count(db, Claim) == 0
