"""axe-core on every main page, in normal and elder mode: no serious or critical violations.
Each page is also saved as a phone-sized screenshot under test-artifacts/screenshots/."""
import pytest

from tests.e2e.conftest import AXE, shot, ui_login

# Runs once, in the SQLite pass of scripts/test.sh: accessibility of the pages depends on templates and CSS.
pytestmark = pytest.mark.engine_neutral(run_on="postgresql")  # balances the two passes

RUN_AXE = """async () => {
  const r = await axe.run(document, { resultTypes: ['violations'] });
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }));
}"""


def _pages(role: str, w: dict) -> list[tuple[str, str]]:
    """(name, url) of the main pages a role sees, with real data behind them."""
    return {
        "guest": [("landing", "/"), ("login", "/login"), ("register", "/register"),
                  ("offline-page", "/offline")],
        "resident": [("home", "/"), ("new-wish", "/wishes/new"), ("my-wishes", "/my/wishes"),
                     ("wish-detail", f"/wishes/{w['done']}"),
                     ("confirm", f"/wishes/{w['done']}/confirm"), ("inbox", "/inbox"),
                     ("notification-settings", "/settings/notifications"), ("me", "/me")],
        "member": [("menu", "/menu"), ("orders", "/orders"), ("done-form", w["done_form"]),
                   ("wish-detail", f"/wishes/{w['in_service']}"), ("my-ledger", "/ledger/me"),
                   ("inbox", "/inbox"), ("me", "/me")],
        "admin": [("review-queue", "/admin/review"),
                  ("review-form", f"/admin/wishes/{w['pending']}/review"),
                  ("wishes", "/admin/wishes"), ("registrations", "/admin/registrations"),
                  ("dispatch", f"/admin/wishes/{w['published']}/dispatch"),
                  ("ledger", "/ledger/"), ("settings", "/admin/settings"), ("me", "/me")],
        "grid_worker": [("review-queue", "/admin/review"), ("new-resident", "/residents/new"),
                        ("post-for-resident", "/wishes/new"), ("me", "/me")],
        "unit_admin": [("unit", "/unit"), ("unit-ledger", "/ledger/unit"), ("menu", "/menu")],
        "street_admin": [("street", "/ledger/street"), ("wishes", "/admin/wishes")],
    }[role]


@pytest.fixture
def wishes(db, world, make_wish):
    """A wish in each state the main pages show."""
    from sqlalchemy import select

    from webapp.models import Claim
    in_service = make_wish("in_service", title="陪同去社区医院复诊")
    claim = db.scalar(select(Claim).where(Claim.wish_id == in_service.id))
    return {
        "published": make_wish("published", title="帮忙搬一下旧衣柜").id,
        "pending": make_wish("pending_review", title="教我用手机挂号").id,
        "done": make_wish("done", title="修理卫生间漏水").id,
        "in_service": in_service.id,
        "done_form": f"/claims/{claim.id}/done",
    }


@pytest.mark.parametrize("role", ["guest", "resident", "member", "admin", "grid_worker",
                                  "unit_admin", "street_admin"])
def test_axe_main_pages_normal_and_elder(new_context, db, world, wishes, role):
    user = {"guest": None, "resident": world.resident, "member": world.member,
            "admin": world.admin, "grid_worker": world.grid_worker,
            "unit_admin": world.unit_admin, "street_admin": world.street_admin}[role]
    found = {}
    for elder in (False, True):
        if user is not None:
            db.rollback()  # a fresh transaction: the server wrote since our last read
            user.elder_mode = elder
            db.commit()
        elif elder:
            continue  # elder mode is a per-user setting; guests have none
        # bypass_csp only so axe itself can be injected; the pages are the real ones.
        ctx = new_context(bypass_csp=True)
        page = ctx.new_page()
        if user is not None:
            ui_login(page, user)
        for name, url in _pages(role, wishes):
            resp = page.goto(url)
            assert resp.ok, (role, url, resp.status)
            if elder:
                assert page.locator("body[data-elder='1']").count() == 1, url
                size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
                assert size >= 20, (url, size)
            page.add_script_tag(path=str(AXE))
            bad = page.evaluate(RUN_AXE)
            if bad:
                found[f"{url}{' (elder)' if elder else ''}"] = bad
            shot(page, f"{role}-{name}{'-elder' if elder else ''}")
        ctx.close()
    assert not found, found


def test_elder_mode_tap_targets_and_contrast(new_context, db, world, wishes):
    world.resident.elder_mode = True
    db.commit()
    page = new_context().new_page()
    ui_login(page, world.resident)
    page.goto("/my/wishes")
    small = page.evaluate("""() => [...document.querySelectorAll(
        'main a.btn, main button, .tabbar a, input:not([type=hidden]), select')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
      .filter(([, h]) => h < 48)""")
    assert small == [], small
    tab_icons = page.evaluate("""() => [...document.querySelectorAll('.tab-icon')]
      .filter((el) => getComputedStyle(el).display !== 'none').length""")
    assert tab_icons == 0  # the simpler menu: words only


HEADINGS_AND_FOCUS = """async () => {
  const levels = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
    .filter((h) => h.offsetParent !== null).map((h) => Number(h.tagName[1]));
  const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1] + 1);
  const el = [...document.querySelectorAll(
    'main a[href], main button, main input:not([type=hidden]), main summary, .tabbar a')]
    .find((e) => e.checkVisibility());
  let outline = 'none';
  if (el) { el.focus({ focusVisible: true }); outline = getComputedStyle(el).outlineStyle; }
  return { h1: levels.filter((l) => l === 1).length, first: levels[0], skips, outline };
}"""


@pytest.mark.parametrize("role", ["resident", "member", "admin"])
def test_headings_in_order_and_focus_visible(new_context, world, wishes, role):
    user = {"resident": world.resident, "member": world.member, "admin": world.admin}[role]
    page = new_context().new_page()
    ui_login(page, user)
    problems = {}
    for _name, url in _pages(role, wishes):
        page.goto(url)
        page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies
        r = page.evaluate(HEADINGS_AND_FOCUS)
        if r["h1"] != 1 or r["first"] != 1 or r["skips"] or r["outline"] == "none":
            problems[url] = r
    assert not problems, problems


def test_language_and_elder_mode_remembered_per_user(new_context, world):
    page = new_context().new_page()
    ui_login(page, world.resident)
    page.goto("/me")
    page.get_by_label("语言 / Language").select_option("en")
    page.locator("input[name=elder_mode]").check()
    page.locator("form[action='/me/preferences'] button[type=submit]").click()
    page.wait_for_url("**/me")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("body").get_attribute("data-elder") == "1"
    shot(page, "resident-me-english-elder")
    # Another phone, a fresh session: the choice follows the user.
    other = new_context(locale="zh-CN").new_page()
    ui_login_en = other.goto("/login")
    assert ui_login_en.ok
    other.get_by_label("手机号").fill(world.resident.phone)
    other.get_by_label("密码").fill("wishgrid-test")
    other.get_by_role("button", name="登录").click()
    other.wait_for_url(lambda url: "/login" not in url)
    other.goto("/me")
    assert other.locator("html").get_attribute("lang") == "en"
    assert other.locator("body").get_attribute("data-elder") == "1"
    assert other.get_by_role("heading", level=2, name="Display settings").count() == 1
