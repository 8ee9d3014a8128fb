"""The member pages through the test client: menu, claim, unit claim, orders, start, done."""
import re

from sqlalchemy import func, select

from tests.conftest import login
from webapp.models import Claim, Wish, WishEvent

HX = {"HX-Request": "true"}


def _count(db, model, **where):
    return db.scalar(select(func.count()).select_from(model).filter_by(**where))


def _claim_of(db, wish, user):
    return db.scalar(select(Claim).where(Claim.wish_id == wish.id, Claim.volunteer_id == user.id))


# --- the menu -------------------------------------------------------------------------------

def test_menu_lists_own_grid_first_with_masked_names(client, world, make_wish):
    other = make_wish(resident=world.resident2, title="七号楼修水龙头")  # grid A2
    own = make_wish(title="一号楼陪同就医")  # grid A1, the member's own grid
    login(client, world.member)
    resp = client.get("/menu")
    assert resp.status_code == 200 and "HX-Request" in resp.headers["Vary"]
    html = resp.get_data(as_text=True)
    assert html.index(own.title) < html.index(other.title)
    assert "王**" in html and "王小明" not in html
    assert world.resident.phone not in html


def test_menu_filters_and_htmx_returns_only_the_list(client, world, make_wish):
    make_wish(title="一号楼陪同就医")
    make_wish(title="一号楼送一个书包", kind="wish", category=world.categories["物资心愿"].id)
    login(client, world.member)
    resp = client.get("/menu?kind=wish&category=&grid=", headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "HX-Request" in resp.headers["Vary"]
    assert "<html" not in html and "送一个书包" in html and "陪同就医" not in html
    # Without htmx the same query is a whole page with the filter form kept.
    page = client.get("/menu?kind=wish").get_data(as_text=True)
    assert "<html" in page and "陪同就医" not in page
    assert re.search(r'<option value="wish" selected', page)


def test_menu_pages_with_load_more_and_next_link(client, app, world, make_wish):
    for i in range(3):
        make_wish(title=f"心愿第{i}个")
    login(client, world.member)
    app.config["MENU_PAGE_SIZE"] = 2
    try:
        page = client.get("/menu").get_data(as_text=True)
        assert "下一页" in page and "加载更多" in page
        nxt = re.search(r'data-hx-get="(/menu\?cursor=[^"]+)"', page).group(1).replace("&amp;", "&")
        frag = client.get(nxt, headers=HX).get_data(as_text=True)
        assert "<html" not in frag and frag.count('class="card wish-card"') == 1
        assert "加载更多" not in frag  # the last page has no "more" button
        # Without JS the cursor link gives the next page as a full page.
        assert "心愿第0个" in client.get(nxt).get_data(as_text=True)
    finally:
        app.config["MENU_PAGE_SIZE"] = 20


def test_menu_for_unapproved_user_says_what_to_do(client, world):
    login(client, world.resident)
    html = client.get("/menu").get_data(as_text=True)
    assert "报到" in html


def test_menu_needs_login(client, world):
    resp = client.get("/menu")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


# --- claiming -------------------------------------------------------------------------------

def test_claim_without_js_redirects_to_wish_with_flash(client, db, world, make_wish):
    w = make_wish()
    login(client, world.member)
    resp = client.post(f"/wishes/{w.id}/claim")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/wishes/{w.id}")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "认领成功" in page
    assert _claim_of(db, w, world.member).status == "active"


def test_claim_with_htmx_swaps_the_card(client, db, world, make_wish):
    w = make_wish()
    login(client, world.member)
    resp = client.post(f"/wishes/{w.id}/claim", headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert f'id="wish-{w.id}"' in html and "已认领" in html and "您已认领" in html
    db.refresh(w)
    assert w.status == "claimed" and w.taken == 1


def test_claim_when_full_is_409_with_reason_and_nothing_written(client, db, world, make_wish):
    w = make_wish(capacity=1)
    login(client, world.member)
    assert client.post(f"/wishes/{w.id}/claim", headers=HX).status_code == 200
    login(client, world.member3)
    resp = client.post(f"/wishes/{w.id}/claim", headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "<html" not in html
    assert "认领满员" in html or "名额不够" in html
    assert _claim_of(db, w, world.member3) is None
    # Without JS: a 409 page with the same reason.
    resp = client.post(f"/wishes/{w.id}/claim")
    assert resp.status_code == 409 and "满员" in resp.get_data(as_text=True)


def test_claim_when_not_enough_places_says_so(client, db, world, make_wish):
    w = make_wish(capacity=2)
    login(client, world.member)
    client.post(f"/wishes/{w.id}/claim", headers=HX)
    login(client, world.unit_admin)
    resp = client.post(f"/wishes/{w.id}/unit-claim",
                       data={"member_ids": [str(world.member2.id), str(world.member3.id)]})
    # member3 is not of the unit: refused with a message next to the field, nothing written.
    assert resp.status_code == 422
    assert "只能指派本单位" in resp.get_data(as_text=True)
    assert _count(db, Claim, wish_id=w.id) == 1


def test_claim_twice_is_409(client, world, make_wish):
    w = make_wish(capacity=2)
    login(client, world.member)
    client.post(f"/wishes/{w.id}/claim")
    resp = client.post(f"/wishes/{w.id}/claim", headers=HX)
    assert resp.status_code == 409 and "已经认领过" in resp.get_data(as_text=True)


def test_claim_by_resident_is_forbidden(client, db, world, make_wish):
    w = make_wish()
    login(client, world.resident2)
    assert client.post(f"/wishes/{w.id}/claim").status_code == 403
    assert _count(db, Claim, wish_id=w.id) == 0


def test_claim_of_unknown_wish_is_404(client, world):
    login(client, world.member)
    assert client.post("/wishes/999999/claim").status_code == 404
    assert client.post(f"/wishes/{'9' * 25}/claim").status_code == 404
    assert client.get(f"/menu?category={'9' * 25}&grid=x").status_code == 422  # refused, never a 500


# --- unit claim -----------------------------------------------------------------------------

def test_unit_claim_form_lists_only_approved_unit_members(client, world, make_wish):
    w = make_wish(capacity=2)
    login(client, world.unit_admin)
    html = client.get(f"/wishes/{w.id}/unit-claim").get_data(as_text=True)
    assert world.member.name in html and world.member2.name in html
    assert world.member3.name not in html  # no unit
    assert world.member_b.name not in html


def test_unit_claim_assigns_members(client, db, world, make_wish):
    w = make_wish(capacity=2)
    login(client, world.unit_admin)
    resp = client.post(f"/wishes/{w.id}/unit-claim",
                       data={"member_ids": [str(world.member.id), str(world.member2.id)]})
    assert resp.status_code == 302
    rows = db.scalars(select(Claim).where(Claim.wish_id == w.id)).all()
    assert sorted(c.volunteer_id for c in rows) == sorted([world.member.id, world.member2.id])
    assert all(c.via == "unit" and c.unit_id == world.unit.id for c in rows)
    db.refresh(w)
    assert w.status == "claimed"


def test_unit_claim_htmx_returns_card(client, world, make_wish):
    w = make_wish(capacity=2)
    login(client, world.unit_admin)
    resp = client.post(f"/wishes/{w.id}/unit-claim", data={"member_ids": [str(world.member.id)]},
                       headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html and "单位认领成功" in html
    # The form page's summary is now stale: the fragment removes it out of band.
    assert 'id="wish-summary" data-hx-swap-oob="delete"' in html


def test_unit_claim_bad_inputs_write_nothing(client, db, world, make_wish):
    w = make_wish(capacity=2)
    login(client, world.unit_admin)
    for data, text in (({}, "请至少指派"), ({"member_ids": ["abc"]}, "请从名单中勾选"),
                       ({"member_ids": ["9" * 25]}, "请从名单中勾选"),
                       ({"member_ids": ["²"]}, "请从名单中勾选"),
                       ({"member_ids": [str(world.member_b.id)]}, "只能指派本单位")):
        resp = client.post(f"/wishes/{w.id}/unit-claim", data=data)
        assert resp.status_code == 422, data
        assert text in resp.get_data(as_text=True)
    resp = client.post(f"/wishes/{w.id}/unit-claim", data={}, headers=HX)
    assert resp.status_code == 422 and "<html" not in resp.get_data(as_text=True)
    assert _count(db, Claim, wish_id=w.id) == 0
    db.refresh(w)
    assert w.taken == 0 and w.status == "published"


def test_unit_claim_needs_a_unit_admin_of_that_community(client, world, make_wish):
    w = make_wish()
    login(client, world.member)
    assert client.get(f"/wishes/{w.id}/unit-claim").status_code == 403
    login(client, world.unit_admin)
    assert client.post(f"/wishes/{w.id}/unit-claim",
                       data={"member_ids": [str(world.member.id)]}).status_code == 302


def test_unit_admin_of_another_community_cannot_unit_claim(client, db, world, make_wish,
                                                            make_user):
    w = make_wish(capacity=2)
    boss_b = make_user("东区书记", None, world.bb1, [("unit_admin", world.cb, world.unit_b)],
                       world.unit_b)
    login(client, boss_b)
    assert client.get(f"/wishes/{w.id}/unit-claim").status_code == 403
    resp = client.post(f"/wishes/{w.id}/unit-claim", data={"member_ids": [str(world.member.id)]})
    assert resp.status_code == 403 and world.member.name not in resp.get_data(as_text=True)
    assert _count(db, Claim, wish_id=w.id) == 0


def test_menu_shows_only_my_communities(client, world, make_wish):
    w = make_wish(title="城西的心愿")
    login(client, world.member_b)
    assert w.title not in client.get("/menu").get_data(as_text=True)
    assert client.post(f"/wishes/{w.id}/claim").status_code == 403


def test_unit_claim_on_a_full_wish_is_409(client, db, world, make_wish):
    w = make_wish(capacity=1)
    login(client, world.member3)
    client.post(f"/wishes/{w.id}/claim")
    login(client, world.unit_admin)
    assert client.get(f"/wishes/{w.id}/unit-claim").status_code == 409
    resp = client.post(f"/wishes/{w.id}/unit-claim", data={"member_ids": [str(world.member.id)]})
    assert resp.status_code == 409 and "满员" in resp.get_data(as_text=True)
    assert _claim_of(db, w, world.member) is None


def test_unit_page_shows_members_and_claims_without_recipient_data(client, world, make_wish):
    w = make_wish(capacity=2)
    login(client, world.unit_admin)
    client.post(f"/wishes/{w.id}/unit-claim", data={"member_ids": [str(world.member.id)]})
    html = client.get("/unit").get_data(as_text=True)
    assert world.member.name in html and w.title in html and "单位指派" in html
    assert world.resident.name not in html and "王**" not in html
    assert world.resident.phone not in html and "3单元502" not in html
    login(client, world.member)
    assert client.get("/unit").status_code == 403


# --- orders and the claim's life --------------------------------------------------------------

def test_whole_member_flow_claim_start_done(client, db, world, make_wish):
    w = make_wish()
    login(client, world.member)
    client.post(f"/wishes/{w.id}/claim")
    c = _claim_of(db, w, world.member)
    html = client.get("/orders").get_data(as_text=True)
    assert "待服务" in html and w.title in html and f"/claims/{c.id}/start" in html
    resp = client.post(f"/claims/{c.id}/start", headers=HX)
    assert resp.status_code == 200 and "服务中" in resp.get_data(as_text=True)
    html = client.get("/orders").get_data(as_text=True)
    assert f"/claims/{c.id}/done" in html
    form = client.get(f"/claims/{c.id}/done").get_data(as_text=True)
    assert "不含往返路上时间" in form
    resp = client.post(f"/claims/{c.id}/done", data={"hours": "1.5"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/orders")
    db.refresh(w)
    db.refresh(c)
    assert c.status == "done" and float(c.hours) == 1.5 and w.status == "done"
    html = client.get("/orders").get_data(as_text=True)
    assert "等待居民或网格员确认" in html


def test_done_bad_hours_show_message_and_write_nothing(client, db, world, make_wish):
    w = make_wish("in_service")
    c = _claim_of(db, w, world.member)
    login(client, world.member)
    for value, text in (("0", "0.1 到 12 小时"), ("100", "0.1 到 12 小时"), ("abc", "请填写数字"),
                        ("", "请填写"), ("13", "0.1 到 12 小时"), ("1.25", "一位小数")):
        resp = client.post(f"/claims/{c.id}/done", data={"hours": value})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 422, value
        assert text in html, (value, html[:2000])
        assert 'class="field-error"' in html and "不含往返路上时间" in html
    resp = client.post(f"/claims/{c.id}/done", data={"hours": "0"}, headers=HX)
    assert resp.status_code == 422 and "<html" not in resp.get_data(as_text=True)
    db.refresh(c)
    assert c.status == "started" and c.hours is None
    assert _count(db, WishEvent, wish_id=w.id, action="mark_done") == 0


def test_done_before_start_is_409(client, db, world, make_wish):
    w = make_wish("claimed")
    c = _claim_of(db, w, world.member)
    login(client, world.member)
    assert client.get(f"/claims/{c.id}/done").status_code == 409
    resp = client.post(f"/claims/{c.id}/done", data={"hours": "1"})
    assert resp.status_code == 409 and "请先开始服务" in resp.get_data(as_text=True)
    db.refresh(c)
    assert c.status == "active"


def test_done_form_of_someone_elses_claim_is_403(client, db, world, make_wish):
    w = make_wish("in_service")
    c = _claim_of(db, w, world.member)
    login(client, world.member2)
    assert client.get(f"/claims/{c.id}/done").status_code == 403
    assert client.post(f"/claims/{c.id}/done", data={"hours": "1"}).status_code == 403
    assert client.post(f"/claims/{c.id}/start").status_code == 403


def test_release_puts_the_wish_back_on_the_menu(client, db, world, make_wish):
    w = make_wish("claimed")
    c = _claim_of(db, w, world.member)
    login(client, world.member)
    resp = client.post(f"/claims/{c.id}/release", data={"next": "/orders"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/orders")
    db.refresh(w)
    assert w.status == "published" and w.taken == 0
    # Again: the claim is gone, so the release is an illegal change → 409 with the reason.
    resp = client.post(f"/claims/{c.id}/release", headers=HX)
    assert resp.status_code == 409 and "不能取消认领" in resp.get_data(as_text=True)


def test_release_ignores_outside_next(client, db, world, make_wish):
    w = make_wish("claimed")
    c = _claim_of(db, w, world.member)
    login(client, world.member)
    resp = client.post(f"/claims/{c.id}/release", data={"next": "//evil.example/x"})
    assert resp.headers["Location"].endswith("/orders")


def test_start_twice_is_409(client, db, world, make_wish):
    w = make_wish("claimed")
    c = _claim_of(db, w, world.member)
    login(client, world.member)
    assert client.post(f"/claims/{c.id}/start").status_code == 302
    resp = client.post(f"/claims/{c.id}/start", headers=HX)
    assert resp.status_code == 409 and "<html" not in resp.get_data(as_text=True)


def test_orders_empty_says_what_to_do(client, world):
    login(client, world.member3)
    assert "心愿菜单" in client.get("/orders").get_data(as_text=True)


def test_wish_not_found_for_claims(client, world):
    login(client, world.member)
    assert client.post("/claims/424242/start").status_code == 404
    assert client.get("/claims/424242/done").status_code == 404


def test_confirmed_orders_are_listed(client, db, world, make_wish):
    make_wish("closed")
    login(client, world.member)
    html = client.get("/orders").get_data(as_text=True)
    assert "已确认" in html and "1.5" in html
    assert db.scalar(select(func.count()).select_from(Wish)) == 1


def test_unit_page_lists_its_members_a_page_at_a_time(client, world, make_wish, make_user):
    """A unit of a district has a hundred members: 30 a page, by name, each with its claims."""
    from webapp.services.people.units import UNIT_PAGE
    extra = [make_user(f"单位党员{i:02d}", roles=[("member", world.ca, None)], unit=world.unit)
             for i in range(UNIT_PAGE + 2)]
    make_user("未确认党员", roles=[("member", world.ca, None)], unit=world.unit,
              unit_confirmed=False)  # not counted until the unit confirms them
    w = make_wish(capacity=1)
    login(client, world.unit_admin)
    last = extra[-1]  # by name (单 < 张 < 李): 单位党员31 is on the second page
    client.post(f"/wishes/{w.id}/unit-claim", data={"member_ids": [str(last.id)]})
    total = UNIT_PAGE + 2 + 2  # with world's 李志愿 and 张党员
    first = client.get("/unit").get_data(as_text=True)
    second = client.get("/unit?page=2").get_data(as_text=True)
    named = [m.name for m in extra] + [world.member.name, world.member2.name]
    on = {p: {n for n in named if f">{n}<" in html or f">{n}<br>" in html}
          for p, html in (("1", first), ("2", second))}
    assert len(on["1"]) == UNIT_PAGE and len(on["2"]) == total - UNIT_PAGE
    assert on["1"].isdisjoint(on["2"]) and on["1"] | on["2"] == set(named)
    assert f"共 {total} 名党员" in first and 'rel="next"' in first and 'rel="prev"' in second
    assert last.name in on["2"] and w.title in second and w.title not in first
    # A page past the last shows the last; a garbled page is refused: 422.
    past = client.get("/unit?page=99").get_data(as_text=True)
    assert {n for n in named if f">{n}<" in past or f">{n}<br>" in past} == on["2"]
    assert client.get("/unit?page=x").status_code == 422


def test_unit_page_lists_the_people_waiting_for_confirmation_a_page_at_a_time(
        client, world, make_user):
    """Hundreds may name a large unit at sign-up: 20 at a time, the longest waiting first, the
    total, a pager of its own that keeps the members' page; confirming one takes it off."""
    from webapp.services.people.units import UNIT_PAGE, WAITING_PAGE
    for i in range(UNIT_PAGE):  # with world's two: the members' list has a second page
        make_user(f"单位党员{i:02d}", roles=[("member", world.ca, None)], unit=world.unit)
    waiting = [make_user(f"待确认{i:02d}", roles=[("member", world.ca, None)], unit=world.unit,
                         unit_confirmed=False) for i in range(WAITING_PAGE + 3)]
    login(client, world.unit_admin)

    def listed(html: str) -> list[int]:
        return [int(x) for x in re.findall(r'<li data-user="(\d+)"', html)]
    first = client.get("/unit").get_data(as_text=True)
    assert listed(first) == [u.id for u in waiting[:WAITING_PAGE]]  # by sign-up, oldest first
    assert f"共 {WAITING_PAGE + 3} 人待确认" in first and "/unit?waiting=2" in first
    second = client.get("/unit?waiting=2&page=2").get_data(as_text=True)
    assert listed(second) == [u.id for u in waiting[WAITING_PAGE:]]
    assert "/unit?waiting=1&amp;page=2" in second or "/unit?page=2&amp;waiting=1" in second
    assert listed(client.get("/unit?waiting=99").get_data(as_text=True)) == listed(second)
    assert client.get("/unit?waiting=x").status_code == 422
    client.post(f"/unit/members/{waiting[0].id}/confirm")
    after = client.get("/unit").get_data(as_text=True)
    assert listed(after) == [u.id for u in waiting[1:WAITING_PAGE + 1]]
    assert f"共 {WAITING_PAGE + 2} 人待确认" in after
