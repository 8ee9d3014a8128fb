"""我的订单: after an action the card is in its new group, with that group's buttons and counts."""
import re

from tests.conftest import login
from webapp.models import Claim

ORDERS = {"HX-Request": "true", "HX-Target": "orders-groups"}


def _group_of(html: str, claim_id: int) -> str:
    """The group (section id) holding the claim's card."""
    sections = re.findall(r'<section class="order-group" id="orders-(\w+)".*?</section>', html, re.S)
    for key, body in zip(sections, re.split(r'<section class="order-group"', html)[1:]):
        if f'data-claim="{claim_id}"' in body:
            return key
    return ""


def test_start_moves_the_card_to_in_service_with_done_not_release(client, db, world, make_wish):
    w = make_wish("claimed")
    c = db.query(Claim).filter_by(wish_id=w.id, volunteer_id=world.member.id).one()
    login(client, world.member)
    page = client.get("/orders").get_data(as_text=True)
    assert 'id="orders-groups"' in page and _group_of(page, c.id) == "active"
    assert 'data-hx-target="#orders-groups"' in page  # 取消认领
    assert 'data-hx-target="#orders-groups" data-hx-swap="innerHTML"' in page  # the card's 开始服务
    resp = client.post(f"/claims/{c.id}/start", headers=ORDERS)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "<html" not in html and "已开始服务" in html
    assert _group_of(html, c.id) == "started"
    assert 'id="orders-active"' not in html  # the emptied group is gone with its count
    assert 'data-action="release"' not in html and 'data-action="done"' in html
    assert re.search(r'服务中 <span class="badge">1</span>', html)


def test_release_from_orders_removes_the_card_and_a_stale_page_gets_the_truth(client, db, world,
                                                                              make_wish):
    w = make_wish("claimed")
    c = db.query(Claim).filter_by(wish_id=w.id, volunteer_id=world.member.id).one()
    login(client, world.member)
    html = client.post(f"/claims/{c.id}/release", headers=ORDERS).get_data(as_text=True)
    assert f'data-claim="{c.id}"' not in html and "已取消认领" in html
    # A second tap from a stale page: 409 with the reason, and the groups as they are now.
    resp = client.post(f"/claims/{c.id}/release", headers=ORDERS)
    assert resp.status_code == 409
    body = resp.get_data(as_text=True)
    assert "flash-error" in body and f'data-claim="{c.id}"' not in body


def test_card_swap_elsewhere_still_returns_the_card(client, db, world, make_wish):
    w = make_wish("claimed")
    c = db.query(Claim).filter_by(wish_id=w.id, volunteer_id=world.member.id).one()
    login(client, world.member)
    html = client.post(f"/claims/{c.id}/start",
                       headers={"HX-Request": "true", "HX-Target": f"wish-{w.id}"}).get_data(as_text=True)
    assert html.lstrip().startswith("<article") and f'id="wish-{w.id}"' in html


def test_grid_worker_lands_on_wishes_street_admin_on_communities(client, world):
    login(client, world.grid_worker)
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/wishes")
    html = client.get("/admin/wishes").get_data(as_text=True)
    assert "代为登记" in html and 'href="/admin/review"' not in html.split('class="tabbar')[-1]
    login(client, world.street_admin)
    html = client.get("/admin/wishes").get_data(as_text=True)
    assert "本街道各社区" in html and "本网格" not in html


def test_wish_list_and_menu_have_a_search_box(client, db, world, make_wish):
    make_wish("published", title="帮忙买菜送上楼")
    make_wish("published", title="陪同去医院复查", resident=world.resident2)
    login(client, world.admin)
    html = client.get("/admin/wishes?q=医院").get_data(as_text=True)
    assert 'role="search"' in html and "陪同去医院复查" in html and "帮忙买菜送上楼" not in html
    login(client, world.member)
    html = client.get("/menu?q=买菜").get_data(as_text=True)
    assert 'role="search"' in html and "帮忙买菜送上楼" in html and "陪同去医院复查" not in html
