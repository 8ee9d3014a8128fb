"""The ledger page's half-year list in a real browser on a 360 px phone: the first names and a
link to the whole list that fits the screen and the finger (44 px, 56 in elder mode), in
normal, elder and English mode; the whole list pages through every member who owes the service."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot, ui_login
from webapp.services.ledger import duty

NARROW = {"width": 360, "height": 780}


@pytest.mark.parametrize("mode", ["normal", "elder", "english"])
def test_the_first_names_then_the_whole_list(new_context, db, world, make_user, mode,
                                             monkeypatch):
    monkeypatch.setattr(duty, "DUTY_PAGE", 10)  # three pages of the whole list
    for i in range(duty.SHOWN):
        make_user(f"党员{i:02d}", f"1371111{i:04d}", world.ba1, [("member", world.ca, None)],
                  world.unit)
    owing = duty.SHOWN + 2  # and 李志愿, 张党员
    world.admin.elder_mode, world.admin.locale = mode == "elder", "en" if mode == "english" else None
    db.commit()
    page = new_context(viewport=NARROW).new_page()
    ui_login(page, world.admin)  # the sign-in form in Chinese; the user's pages in their locale
    page.goto("/ledger/")
    link = page.get_by_role("link", name=f"See all {owing}" if mode == "english"
                            else f"查看全部 {owing} 人")
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    least = 56 if mode == "elder" else 44
    assert box["height"] >= least and box["width"] >= least, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert page.locator("#duty-h ~ ul li").count() == duty.SHOWN
    shot(page, f"ledger-duty-link-{mode}")
    link.click()
    names = page.locator("#duty-h ~ ul li")
    expect(names).to_have_count(10)
    seen = names.all_inner_texts()
    for n in (2, 3):
        with page.expect_navigation(url=f"**page={n}*", wait_until="domcontentloaded"):
            page.get_by_role("link", name="Next" if mode == "english" else "下一页").click()
        seen += page.locator("#duty-h ~ ul li").all_inner_texts()
    assert len(seen) == owing == len(set(seen))
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
