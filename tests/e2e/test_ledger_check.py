"""The ledger's whole-chain check in a real browser: the admin asks for it, the section says it
waits and asks for itself again (htmx under the site's CSP) until the job has run, then shows
the result in place, with no reload."""
from playwright.sync_api import expect

from tests.e2e.conftest import shot, ui_login
from webapp.models import utcnow
from webapp.services.ledger import chain, checks


def test_the_page_follows_the_jobs_check_by_itself(new_context, db, world, make_wish, site,
                                                   monkeypatch):
    monkeypatch.setattr(chain, "QUICK_CHECK", 1)  # the page re-hashes 1 entry: the chain has 2
    make_wish("closed", estimated_hours=1.5)
    make_wish("closed", estimated_hours=1.5)
    page = new_context().new_page()
    ui_login(page, world.admin)
    page.goto("/ledger/")
    section = page.locator("#chain")
    expect(section).to_contain_text("全部记录还没有校验过")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="校验全部记录").click()
    expect(section).to_contain_text("本页会自动更新")
    site.clear()
    site.wait_for("GET", "/ledger/chain")  # the section polls while the check waits
    assert checks.check_due(db, utcnow()) == 1  # what the job process runs
    expect(section).to_contain_text("全部 2 条于", timeout=20_000)
    expect(section).to_contain_text("无异常")
    expect(page.get_by_role("button", name="校验全部记录")).to_be_visible()
    shot(page, "ledger-chain-checked")
