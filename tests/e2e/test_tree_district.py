"""网格架构 of a big street in a real browser: a community opens in place when its row is opened
(htmx on the details' toggle, under the site's CSP), and a building renamed there is shown
again in its community, opened on its own."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot, ui_login


@pytest.fixture
def big(app):
    kept = app.config["TREE_NODES_AT_ONCE"]
    app.config["TREE_NODES_AT_ONCE"] = 4  # the world's street has 8 nodes, 城西社区 4
    yield
    app.config["TREE_NODES_AT_ONCE"] = kept


def test_a_community_opens_in_place_and_a_change_lands_there(new_context, db, world, big):
    page = new_context().new_page()
    ui_login(page, world.street_admin)
    page.goto("/staff/tree")
    building = page.locator(f"#rn-{world.ba1.id}")
    expect(building).to_have_count(0)
    page.locator(f"#org-{world.ca.id} > details > summary").click()
    expect(building).to_be_attached()  # loaded into the row just opened
    expect(page.locator(f"#org-{world.ca.id} .tree-lazy")).to_have_count(0)
    page.locator(f"#org-{world.ga1.id} > details > summary").click()
    page.locator(f"#org-{world.ba1.id} > details > summary").click()
    expect(building).to_be_visible()
    building.fill("1号楼（东）")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(f"#org-{world.ba1.id} form").first.get_by_role("button", name="改名").click()
    assert f"/staff/tree?node={world.ca.id}" in page.url
    expect(page.get_by_text("“1号楼（东）”已更新。")).to_be_visible()
    shot(page, "tree-community-opened")
