"""Home, wish detail (privacy), profile and the shared layout: tabs, bell, errors, htmx."""
import re

from sqlalchemy import func, select

from tests.conftest import login
from webapp.web import nav
from webapp.models import Disclosure, Notification
from webapp.services.wishes import claims

HX = {"HX-Request": "true"}


def _count(db, model, **where):
    return db.scalar(select(func.count()).select_from(model).filter_by(**where))


# --- anonymous ------------------------------------------------------------------------------

def test_anonymous_home_is_the_landing_page(client, db):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/login"' in html and 'href="/register"' in html
    assert 'class="tabbar"' in html  # the guest bar: 首页 · 我的


def test_anonymous_is_sent_to_login_and_htmx_gets_hx_redirect(client, world, make_wish):
    w = make_wish("published")
    for path in ("/me", f"/wishes/{w.id}", "/my/wishes", "/wishes/new"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/login?next=")
    resp = client.get("/my/wishes", headers=HX)
    assert resp.status_code == 401 and resp.headers["HX-Redirect"] == "/login?next=/my/wishes"


# --- layout ---------------------------------------------------------------------------------

def test_base_layout_has_htmx_config_csrf_header_and_no_inline_script_or_style(client, world):
    login(client, world.resident)
    html = client.get("/me").get_data(as_text=True)
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html).group(1)
    import json
    cfg = json.loads(meta)
    assert cfg["historyCacheSize"] == 0 and cfg["includeIndicatorStyles"] is False

    def first_rule(status):  # how htmx 2 picks: the first rule whose regex matches
        return next(r for r in cfg["responseHandling"] if re.search(r["code"], status))
    for status in ("200", "403", "409", "422"):
        assert first_rule(status)["swap"] is True and not first_rule(status).get("error")
    for status in ("204", "404", "500", "503"):
        assert first_rule(status)["swap"] is False
    assert re.search(r'<body data-hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', html)
    assert re.search(r"htmx-2\.0\.11\.min(\.[0-9a-f]+)?\.js", html)  # fingerprinted when built
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert " style=" not in html and "<style" not in html


def test_tab_bar_per_role_marks_the_current_tab(client, world):
    login(client, world.resident)
    html = client.get("/me").get_data(as_text=True)
    tabs = re.findall(r'<a href="([^"]+)"( aria-current="page")? class="tab', html)
    assert ("/me", ' aria-current="page"') in tabs
    assert [t for t in tabs if t[1]] == [("/me", ' aria-current="page"')]  # exactly one
    labels = re.findall(r'<span class="tab-label">([^<]+)</span>', html)
    expected = [str(label) for ep, label, _ in nav.TABS["resident"]
                if ep in client.application.view_functions]
    assert labels == expected and labels[:3] == ["首页", "发心愿", "我的心愿"]


def test_tabs_whose_endpoint_is_missing_are_skipped(app, client, world, monkeypatch):
    monkeypatch.setitem(nav.TABS, "resident",
                        nav.TABS["resident"] + [("nowhere.page", "不存在", "?")])
    login(client, world.resident)
    html = client.get("/me").get_data(as_text=True)
    assert "不存在" not in html and "我的" in html


def test_bell_shows_unread_count(client, db, world, make_wish):
    make_wish("published")  # approval notifies the resident
    login(client, world.resident)
    unread = _count(db, Notification, user_id=world.resident.id, read_at=None)
    assert unread >= 1
    html = client.get("/me").get_data(as_text=True)
    assert re.search(rf'class="bell"[^>]*aria-label="消息：{unread} 条未读"', html)


def test_member_home_redirects_to_first_tab(client, world):
    login(client, world.member2)
    resp = client.get("/")
    first = next(ep for ep, _l, _i in nav.TABS["member"] if ep in client.application.view_functions)
    assert resp.status_code == 302
    with client.application.test_request_context():
        from flask import url_for
        assert resp.headers["Location"] == url_for(first)


def test_resident_home_shows_post_entry_and_recent_wishes(client, world, make_wish):
    make_wish("pending_review", title="修一下门锁")
    login(client, world.resident)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/wishes/new"' in html and "修一下门锁" in html
    assert re.search(r'<a href="/" aria-current="page"', html)


def test_elder_mode_and_language_are_saved(client, db, world):
    login(client, world.resident)
    assert 'data-elder="1"' not in client.get("/me").get_data(as_text=True)
    resp = client.post("/me/preferences", data={"locale": "en", "elder_mode": "1"})
    assert resp.status_code == 302
    assert "lang=en" in resp.headers["Set-Cookie"]
    db.refresh(world.resident)
    assert world.resident.elder_mode and world.resident.locale == "en"
    html = client.get("/me").get_data(as_text=True)
    assert 'data-elder="1"' in html and '<html lang="en">' in html
    resp = client.post("/me/preferences", data={"locale": "zh_CN"})
    db.refresh(world.resident)
    assert not world.resident.elder_mode and world.resident.locale == "zh_CN"
    assert client.post("/me/preferences", data={"locale": "xx"}).status_code == 400


def test_me_shows_roles_and_pending_registration(client, db, world):
    from webapp.schemas.inputs import Register
    from webapp.services.people import accounts
    user, reg = accounts.register(db, Register(
        consent=True, phone="13600000009", name="新党员", password="secret-123", role="member",
        building_id=world.ba1.id, unit_id=world.unit.id))
    login(client, user)
    html = client.get("/me").get_data(as_text=True)
    assert "个人报到" in html and "待审核" in html and "城西社区" in html
    assert "居民" in html and "区人民医院" in html


# --- wish detail and privacy ----------------------------------------------------------------

def test_detail_shows_contact_to_active_claimer_and_logs_it(client, db, world, make_wish):
    w = make_wish("published", capacity=2)
    claims.claim(db, world.member, w.id)
    login(client, world.member)
    resp = client.get(f"/wishes/{w.id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "no-store" in resp.headers["Cache-Control"]
    assert "联系居民" in html and world.resident.phone in html and "3单元502" in html
    assert "登记心愿" in html and "审核通过" in html and "认领" in html  # timeline
    assert _count(db, Disclosure, wish_id=w.id, viewer_id=world.member.id, channel="web") == 1


def test_detail_hides_contact_from_other_member(client, db, world, make_wish):
    w = make_wish("published", capacity=2)
    claims.claim(db, world.member, w.id)
    login(client, world.member3)
    html = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert "联系居民" not in html and world.resident.phone not in html
    assert "3单元502" not in html and "王**" in html and "王小明" not in html
    assert _count(db, Disclosure, viewer_id=world.member3.id) == 0


def test_detail_of_unpublished_wish_is_forbidden_to_strangers(client, world, make_wish):
    w = make_wish("pending_review")
    login(client, world.member3)
    assert client.get(f"/wishes/{w.id}").status_code == 403
    login(client, world.admin_b)  # another community's admin
    assert client.get(f"/wishes/{w.id}").status_code == 403


def test_grid_staff_sees_contact_resident_sees_own_without_disclosure(client, db, world,
                                                                      make_wish):
    w = make_wish("pending_review")
    login(client, world.grid_worker)
    assert world.resident.phone in client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert _count(db, Disclosure, viewer_id=world.grid_worker.id, reason="grid_staff") == 1
    login(client, world.resident)
    html = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert "联系居民" not in html and 'data-action="withdraw"' in html
    assert _count(db, Disclosure, viewer_id=world.resident.id) == 0


def test_missing_wish_is_a_404_page_or_fragment(client, world):
    login(client, world.resident)
    resp = client.get("/wishes/999999")
    assert resp.status_code == 404 and "找不到这个心愿" in resp.get_data(as_text=True)
    frag = client.get("/wishes/999999", headers=HX)
    html = frag.get_data(as_text=True)
    assert frag.status_code == 404 and "<html" not in html and 'role="alert"' in html


# --- the card partial -----------------------------------------------------------------------

def test_card_has_one_primary_action_and_guards_missing_endpoints(app, client, world, make_wish):
    from webapp.web import ui
    w = make_wish("published")
    login(client, world.member3)
    with app.test_request_context():
        card = {"id": w.id, "my_claim_id": None, "actions": ["claim"]}
        act = ui.primary_action(card)
        if "member.claim" in app.view_functions:
            assert act["how"] == "htmx" and str(w.id) in act["url"]
        else:
            assert act is None
        assert ui.primary_action({"id": 1, "my_claim_id": None, "actions": ["nope"]}) is None
        # Claim actions need a claim id: without one the action is skipped, not a crash.
        assert ui.primary_action({"id": 1, "my_claim_id": None, "actions": ["start"]}) is None
    html = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert f'id="wish-{w.id}-detail"' in html


def test_card_partial_renders_claim_as_htmx_form(app, world, make_wish, db):
    from flask import render_template
    from flask_login import login_user
    from webapp.services.wishes import present
    w = make_wish("published")
    with app.test_request_context():
        login_user(world.member3)
        (card,) = present.cards(db, [w], world.member3)
        html = render_template("partials/_wish_card.html", card=card)
    assert html.count('<article class="card wish-card" id="wish-%d"' % w.id) == 1
    assert "助老助残" in html and "王**" in html and "第一网格 · 1号楼" in html
    assert "0/1 人" in html and "待认领" in html
    if "member.claim" in app.view_functions:
        assert re.search(rf'data-hx-post="[^"]+" data-hx-target="#wish-{w.id}" data-hx-swap="outerHTML"', html)
        assert html.count('data-action="') == 1


def test_me_offers_grid_staff_the_on_behalf_tools(client, world):
    login(client, world.grid_worker)
    html = client.get("/me").get_data(as_text=True)
    assert 'href="/wishes/new"' in html and 'href="/residents/new"' in html
    login(client, world.member2)  # no resident role: no posting entry
    assert 'href="/wishes/new"' not in client.get("/me").get_data(as_text=True)


def test_huge_ids_in_urls_are_404_not_500(client, world):
    login(client, world.admin)
    for url in ("/wishes/99999999999999999999999999", "/api/v1/wishes/99999999999999999999999"):
        assert client.get(url).status_code in (401, 404), url


def test_me_lists_the_pages_each_role_has_no_tab_for(client, world):
    login(client, world.admin)
    page = client.get("/me").get_data(as_text=True)
    for href in ("/admin/registrations", "/admin/settings", "/ledger/certificates"):
        assert f'href="{href}"' in page
    login(client, world.member)
    page = client.get("/me").get_data(as_text=True)
    assert 'href="/ledger/me"' in page and 'href="/admin/settings"' not in page
