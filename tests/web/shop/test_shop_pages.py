"""The points shop on the web: a unit offers, the office lists, a member reserves (htmx), the
office hands over after scanning the member's code; the accounts download."""
import html
import io
import re

import openpyxl
from sqlalchemy import select

from tests.conftest import login
from tests.shoputil import earn
from webapp.models import ShopExchange, ShopGoods, utcnow
from webapp.services.shop import exchange


def test_offer_list_reserve_scan_hand_over(client, db, world):
    earn(db, world.ca, world.member, 25, when=utcnow())
    login(client, world.unit_admin)
    r = client.post("/shop/offer", data={"name": "x", "price": "０", "stock": ""})
    assert r.status_code == 422 and 'id="err-name"' in r.text and 'id="err-price"' in r.text
    assert db.scalar(select(ShopGoods.id)) is None
    r = client.post("/shop/offer", data={"name": "洗衣液", "price": "10", "stock": "2",
                                          "monthly_limit": "1"})
    assert r.status_code == 302
    g = db.scalar(select(ShopGoods))
    assert (g.status, g.unit_id) == ("offered", world.unit.id)

    login(client, world.admin)
    assert "洗衣液" in client.get("/shop/office").text
    assert client.post(f"/shop/goods/{g.id}/receive").status_code == 302
    assert client.post(f"/shop/goods/{g.id}/restock", data={"quantity": "x"}).status_code == 422

    login(client, world.member)
    page = client.get("/shop/")
    assert "由 区人民医院 捐赠" in page.text and 'id="balance">25<' in page.text
    r = client.post(f"/shop/goods/{g.id}/reserve", headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="shop-shelf">')
    assert 'id="balance">15<' in r.text and "剩 1 件" in r.text
    again = client.post(f"/shop/goods/{g.id}/reserve", headers={"HX-Request": "true"})
    assert again.status_code == 409 and "每人每月最多兑换" in again.text
    code = client.get("/shop/code")
    assert code.status_code == 200 and code.headers["Cache-Control"] == "no-store"

    login(client, world.admin)
    token = exchange.code_for(world.member.id)
    r = client.get(f"/shop/m/{token}")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/shop/members/{world.member.id}")
    x = db.scalar(select(ShopExchange))
    r = client.post(f"/shop/exchanges/{x.id}/hand-over", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "已领取" in r.text and 'id="balance">15<' in r.text
    assert client.post(f"/shop/exchanges/{x.id}/hand-over").status_code == 409
    assert client.get("/shop/m/forged").status_code == 404


def test_accounts_page_and_xlsx(client, db, world):
    earn(db, world.ca, world.member, 7, when=utcnow())
    login(client, world.admin)
    page = client.get(f"/shop/accounts?community={world.ca.id}")
    assert page.status_code == 200 and "李志愿" in page.text
    f = client.get(f"/shop/accounts.xlsx?community={world.ca.id}")
    assert f.headers["Content-Type"].startswith("application/vnd.openxml")
    rows = list(openpyxl.load_workbook(io.BytesIO(f.data)).active.iter_rows(values_only=True))
    assert ["李志愿", 7, 0, 0, 7] in [list(r[:5]) for r in rows]


def test_accounts_page_lists_its_members_a_page_at_a_time(client, db, world, monkeypatch):
    from webapp.services.shop import accounts
    for m in (world.member, world.member2, world.member3):
        earn(db, world.ca, m, 5, when=utcnow())
    monkeypatch.setattr(accounts, "PAGE", 2)
    login(client, world.admin)
    first = client.get(f"/shop/accounts?community={world.ca.id}")
    assert first.status_code == 200 and 'rel="next"' in first.text and 'rel="prev"' not in first.text
    assert ("张党员" in first.text, "李志愿" in first.text, "陈党员" in first.text) == (True, True, False)
    assert ">15<" in first.text  # the totals row is the whole period's
    nxt = re.search(r'href="([^"]+)" rel="next"|rel="next" href="([^"]+)"', first.text)
    second = client.get(html.unescape(next(g for g in nxt.groups() if g)))
    assert second.status_code == 200 and "陈党员" in second.text and "张党员" not in second.text
    assert 'rel="prev"' in second.text and ">15<" in second.text
    assert client.get(f"/shop/accounts?community={world.ca.id}&page=x").status_code == 422


def test_a_past_period_says_it_is_shown_as_known_now(client, db, world):
    earn(db, world.ca, world.member, 5, when=utcnow())
    login(client, world.admin)
    now = client.get(f"/shop/accounts?community={world.ca.id}")
    past = client.get(f"/shop/accounts?community={world.ca.id}&period=2025-03")
    assert 'id="as-known-now"' not in now.text and 'id="as-known-now"' in past.text
    world.admin.locale = "en"
    db.commit()
    english = client.get(f"/shop/accounts?community={world.ca.id}&period=2025-03")
    assert "shown as known today" in english.text


def test_unit_report_counts_donations(client, db, world):
    from tests.shoputil import list_goods
    list_goods(db, world, now=utcnow(), stock=4)
    login(client, world.admin)
    r = client.get(f"/ledger/units/{world.unit.id}/report")
    assert 'id="donations-line"' in r.text and "共 4 件" in r.text


def test_a_photo_is_checked_by_its_bytes_and_served_with_its_type(client, db, world):
    import io as _io
    from tests.shoputil import PNG
    login(client, world.unit_admin)
    fields = {"name": "保温杯", "price": "5", "stock": "1"}
    bad = client.post("/shop/offer", data={**fields, "photo": (_io.BytesIO(b"<svg onload=x>"),
                                                                "cup.png")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and 'id="err-photo"' in bad.text
    big = client.post("/shop/offer", data={**fields, "photo": (
        _io.BytesIO(PNG + b"\0" * (1024 * 1024)), "big.png")}, content_type="multipart/form-data")
    assert big.status_code == 422 and "1 MB" in big.text
    assert db.scalar(select(ShopGoods.id)) is None
    ok = client.post("/shop/offer", data={**fields, "photo": (_io.BytesIO(PNG), "cup.png")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    g = db.scalar(select(ShopGoods))
    r = client.get(f"/shop/goods/{g.id}/photo")
    assert r.status_code == 200 and r.mimetype == "image/png" and r.data == PNG
