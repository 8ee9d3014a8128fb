"""The points shop in a real browser at 390×844 (issue 29): a unit's admin donates goods from
the unit's page, the office receives them, a member who earned points by a service exchanges
them (htmx, in place), shows the rotating exchange code, and the office opens it as a camera
would and hands the goods over; the stock and the points agree, and the ledger's hours stay."""
from decimal import Decimal
from urllib.parse import urlsplit

from sqlalchemy import func, select

from tests.e2e.conftest import shot, ui_login
from webapp.models import LedgerEntry, ShopExchange, ShopGoods
from webapp.services.shop import points


def _go(page, name: str, role: str = "button") -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role(role, name=name, exact=True).first.click()


def test_unit_donates_member_exchanges_office_hands_over(new_context, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5, volunteers=[world.member])  # 1.5 h → 1.5 points
    hours = db.scalar(select(func.sum(LedgerEntry.hours)))

    unit = new_context().new_page()
    ui_login(unit, world.unit_admin)
    unit.goto("/shop/offer")
    unit.get_by_label("物品名称").fill("洗衣液 2 kg")
    unit.get_by_label("所需积分").fill("1")
    unit.get_by_label("数量（件）").fill("2")
    _go(unit, "捐赠")
    assert "谢谢捐赠" in unit.content() and "待社区接收" in unit.locator("#given").inner_text()

    office = new_context().new_page()
    ui_login(office, world.admin)
    office.goto("/shop/office")
    _go(office, "已收到，上架")
    assert "剩 2 件" in office.locator("#shelf").inner_text()

    member = new_context().new_page()
    ui_login(member, world.member)
    member.goto("/shop/")
    assert member.locator("#balance").inner_text() == "1.5"
    assert "由 区人民医院 捐赠" in member.locator("#goods").inner_text()
    member.get_by_role("button", name="兑换", exact=True).click()  # htmx swaps the shelf
    member.locator("#balance").filter(has_text="0.5").wait_for()
    assert "剩 1 件" in member.locator("#goods").inner_text()
    assert "待领取" in member.locator("#my-exchanges").inner_text()
    shot(member, "shop-reserved")
    member.goto("/shop/code")
    assert member.locator(".checkin-qr svg").is_visible()
    code = urlsplit(member.locator(".checkin-qr").get_attribute("data-url")).path

    office.goto(code)  # the office's camera opens the member's code
    assert urlsplit(office.url).path == f"/shop/members/{world.member.id}"
    office.get_by_role("button", name="发放", exact=True).click()  # htmx, in place
    office.locator("#member-exchanges").filter(has_text="已领取").wait_for()
    shot(office, "shop-handed-over")

    db.rollback()  # a fresh snapshot: the server wrote in its own session
    g = db.scalar(select(ShopGoods))
    x = db.scalar(select(ShopExchange))
    assert (g.stock, g.donated, x.status, x.points) == (1, 2, "handed_over", Decimal(1))
    assert points.account(db, world.member.id, world.ca, x.handed_at).balance == Decimal("0.5")
    assert db.scalar(select(func.sum(LedgerEntry.hours))) == hours  # spending keeps the hours
