"""axe-core on every main page, in normal and elder mode: no serious or critical violations.
Each page is also saved as a phone-sized screenshot under test-artifacts/screenshots/."""
import pytest

from tests.e2e.conftest import AXE, shot, ui_login

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
                  ("ledger", "/ledger/"), ("me", "/me")],
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


@pytest.mark.parametrize("role", ["guest", "resident", "member", "admin"])
def test_axe_main_pages_normal_and_elder(new_context, db, world, wishes, role):
    user = {"guest": None, "resident": world.resident, "member": world.member,
            "admin": world.admin}[role]
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
