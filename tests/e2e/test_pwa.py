"""The installable app in a real browser: installability, service worker control, offline page,
offline wish drafts sent exactly once (on `online` and on background sync), push → notification
→ click opens the wish."""
import json
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import func, select

from tests.e2e.conftest import (ARGS, CHROMIUM, PHONE, DevTools, settled,
                                shot, sw_ready, ui_login)
from webapp.models import Wish

POST_URL = "/wishes/new"


def _wishes_with(db, uuid: str) -> int:
    db.rollback()  # end the read snapshot: the server wrote in another connection
    return db.scalar(select(func.count()).select_from(Wish).where(Wish.client_uuid == uuid))


def test_installable_and_controlled(pw, site, tmp_path):
    # Chromium never offers installation in incognito, and every new_context() is one:
    # a profile on disk, as on a phone.
    ctx = pw.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=ARGS, headless=True,
        base_url=site.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.goto("/login")
    sw_ready(page)
    cdp = ctx.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == [], errors
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest")
    data = json.loads(page.evaluate("fetch('/manifest.webmanifest').then(r => r.text())"))
    assert data["name"] == "网格微心愿" and data["display"] == "standalone"
    assert data["theme_color"] == "#C8102E" and data["lang"] == "zh-CN"
    assert {i["purpose"] for i in data["icons"]} == {"any", "maskable"}
    # The service worker answers from the root scope and is never HTTP-cached.
    resp = page.request.get("/sw.js")
    assert resp.headers["cache-control"] == "no-cache"
    assert resp.headers["service-worker-allowed"] == "/"
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == site.url + "/"
    ctx.close()


def test_shell_precached_pages_never_cached(new_context, world):
    ctx = new_context()
    page = ctx.new_page()
    ui_login(page, world.resident)
    sw_ready(page)
    cached = page.evaluate("""async () => {
        const out = [];
        for (const name of await caches.keys()) {
          for (const req of await (await caches.open(name)).keys()) out.push([name, new URL(req.url).pathname + new URL(req.url).search]);
        }
        return out; }""")
    names = {n for n, _ in cached}
    # Static files go by fingerprinted names (webapp/web/assets.py): compare without the hash.
    urls = {re.sub(r"\.[0-9a-f]{10}(\.\w+)$", r"\1", u) for _, u in cached}
    assert any(re.fullmatch(r"wishgrid-shell-[0-9a-f]{12}", n) for n in names), names
    assert {"/static/css/app.css", "/static/js/offline-drafts.js", "/offline?lang=zh_CN",
            "/static/icons/icon-192.png"} <= urls
    assert any(u.startswith("/static/vendor/htmx-") for u in urls)
    # No page with personal data or a CSRF token ever lands in a cache; nothing in localStorage.
    for _, url in cached:
        assert url.startswith(("/static/", "/offline", "/manifest", "/__wishgrid/")), url
    page.goto("/my/wishes")
    page.goto("/")
    assert page.evaluate("localStorage.length") == 0


def test_offline_navigation_shows_offline_page(new_context, site, world, make_wish):
    wish = make_wish("published")
    ctx = new_context()
    page = ctx.new_page()
    ui_login(page, world.member)
    sw_ready(page)
    ctx.set_offline(True)
    page.goto("/menu")
    assert page.get_by_role("heading", level=1).inner_text() == "当前没有网络"
    assert "csrf" not in page.content().lower()
    shot(page, "offline")
    # An htmx request offline gets the inline notice; the card stays as it was.
    ctx.set_offline(False)
    page.goto("/menu")
    claim = page.locator(f"#wish-{wish.id} [data-action=claim]")
    ctx.set_offline(True)
    page.locator("#net-status").filter(has_text="填写的心愿会先保存在本机").wait_for()  # in words
    claim.click()
    page.locator("#net-status").filter(has_text="操作没有发送").wait_for()  # the worker's notice
    assert claim.is_visible()
    assert site.count("POST", f"/wishes/{wish.id}/claim") == 0
    ctx.set_offline(False)
    claim.click()  # back online the same button works
    page.locator(f"#wish-{wish.id}").filter(has_text="您已认领").wait_for()
    assert site.count("POST", f"/wishes/{wish.id}/claim") == 1


def _fill_wish(page, title: str) -> None:
    page.get_by_label("标题").fill(title)
    page.get_by_label("详细说明").fill("楼道灯坏了，晚上看不清台阶。")
    page.locator("#f-category").select_option(label="助老助残")


def _open_wish_form(new_context, user):
    """A phone signed in as `user` on the post-a-wish form, under the service worker."""
    ctx = new_context()
    page = ctx.new_page()
    ui_login(page, user)
    page.goto(POST_URL)
    sw_ready(page)
    _form_shown(page)
    return ctx, page


def _form_shown(page) -> None:
    """The wish form is on the page while the phone is still online, or the test says what is."""
    try:
        page.get_by_label("标题").wait_for(state="visible")
    except PlaywrightTimeout:
        try:
            body = page.locator("body").inner_text(timeout=2_000)[:300]
        except PlaywrightTimeout:
            body = "(no answer from the page)"
        raise AssertionError(f"no wish form on {page.url}: {body!r}") from None


def _draft_offline(ctx, page, title: str, console_errors) -> str:
    """Go offline, fill the form in and submit: the page keeps a draft; returns its UUID.
    Whether the page sees `navigator.onLine` false before it posts is a race with the emulated
    network: when it posts anyway, the browser logs the failed load (the draft is kept the same
    way), so a cut network's own error is not counted against the page."""
    console_errors.offline_ok = True
    ctx.set_offline(True)
    _fill_wish(page, title)
    uuid = page.locator("input[name=client_uuid]").input_value()
    page.get_by_role("button", name="提交心愿").click()
    page.locator("[data-draft-status]").filter(has_text="网络恢复后自动发送").wait_for()
    return uuid


def test_offline_draft_sent_once_when_back_online(new_context, site, db, world, console_errors):
    ctx, page = _open_wish_form(new_context, world.resident)
    uuid = _draft_offline(ctx, page, "离线时发的心愿", console_errors)
    assert re.fullmatch(r"[0-9a-f-]{36}", uuid)
    shot(page, "resident-offline-draft-saved")
    stored = page.evaluate("WishgridDrafts.all()")
    assert [d["uuid"] for d in stored] == [uuid]
    assert site.count("POST", POST_URL) == 0 and _wishes_with(db, uuid) == 0

    ctx.set_offline(False)  # fires `online` in the page
    site.wait_for("POST", POST_URL, 1)
    settled(page)
    assert page.evaluate("WishgridDrafts.all()") == []
    assert _wishes_with(db, uuid) == 1
    # The next load and another `online` find nothing left to send.
    page.reload()
    settled(page)
    ctx.set_offline(True)
    ctx.set_offline(False)
    settled(page)
    assert site.count("POST", POST_URL) == 1
    assert _wishes_with(db, uuid) == 1
    wish = db.scalar(select(Wish).where(Wish.client_uuid == uuid))
    assert wish.title == "离线时发的心愿" and wish.resident_id == world.resident.id


def test_offline_draft_sent_once_on_background_sync(new_context, site, db, world, console_errors):
    ctx, page = _open_wish_form(new_context, world.resident)
    blank = ctx.new_page()  # DevTools from a tab without the app, which outlives the app's tab
    devtools = DevTools(ctx, blank)
    rid = devtools.registration_id(blank, site.url)
    uuid = _draft_offline(ctx, page, "后台同步发的心愿", console_errors)
    # Close the app (no page left to replay), come back online, let background sync send it.
    page.close()
    ctx.set_offline(False)
    # Chromium may also fire the sync by itself (it asks the OS, not the emulated network,
    # whether the phone is online); either way only the worker sends, and only once.
    early = site.count("POST", POST_URL)
    assert early <= 1, [e for e in site.log if e[0] == "POST"]
    devtools.cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": site.url, "registrationId": rid, "tag": "wish-drafts", "lastChance": False})
    site.wait_for("POST", POST_URL, 1)
    assert _wishes_with(db, uuid) == 1, site.log
    # A second sync event and the next load send nothing more.
    devtools.cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": site.url, "registrationId": rid, "tag": "wish-drafts", "lastChance": True})
    page = ctx.new_page()
    page.goto(site.url + POST_URL)
    settled(page)
    assert page.evaluate("WishgridDrafts.all()") == []
    assert site.count("POST", POST_URL) == 1 and _wishes_with(db, uuid) == 1
    assert [e[2] for e in site.log if e[0] == "POST" and e[1] == POST_URL] == ["worker"]


def test_offline_draft_waits_for_its_author(new_context, site, db, world, console_errors):
    """A draft kept offline is never posted as whoever is signed in on the phone next."""
    other = new_context()
    ui_login(other.new_page(), world.resident2)
    someone_else = other.cookies()
    ctx, page = _open_wish_form(new_context, world.resident)
    author = ctx.cookies()
    uuid = _draft_offline(ctx, page, "换了账号也不能代发的心愿", console_errors)
    # The phone changes hands before the network comes back.
    ctx.clear_cookies()
    ctx.add_cookies(someone_else)
    ctx.set_offline(False)
    site.wait_for("POST", POST_URL, 1)
    settled(page)
    assert _wishes_with(db, uuid) == 0
    assert [d["uuid"] for d in page.evaluate("WishgridDrafts.all()")] == [uuid]  # kept
    # Its author signs in again. Offline, and after any replay still holding the drafts' lock
    # (the worker's, on its own sync), so no answer to the other session can land afterwards.
    ctx.set_offline(True)
    page.evaluate("navigator.locks.request('wishgrid-drafts-replay', () => true)")
    posts = site.count("POST", POST_URL)
    ctx.clear_cookies()
    ctx.add_cookies(author)
    ctx.set_offline(False)
    site.wait_for("POST", POST_URL, posts + 1)
    settled(page)
    assert _wishes_with(db, uuid) == 1
    assert db.scalar(select(Wish.resident_id).where(Wish.client_uuid == uuid)) == world.resident.id
    assert page.evaluate("WishgridDrafts.all()") == []


def _phone_taking_pushes(new_context, site, user):
    """A phone signed in as `user`, notifications allowed, its worker active: (context, page,
    deliver), where deliver(data) pushes `data` and returns how many notifications are shown."""
    ctx = new_context()
    ctx.grant_permissions(["notifications"], origin=site.url)
    page = ctx.new_page()
    ui_login(page, user)
    sw_ready(page)
    devtools = DevTools(ctx, page)
    rid = devtools.registration_id(page, site.url)
    devtools.wait_activated(page, rid)
    return ctx, page, lambda data: devtools.push(page, site.url, rid, data)


def test_push_shows_notification_and_click_opens_wish(new_context, site, world, make_wish):
    wish = make_wish("claimed")
    ctx, page, deliver = _phone_taking_pushes(new_context, site, world.resident)
    url = f"/wishes/{wish.id}"
    payload = {"id": 1, "title": "心愿已被认领", "body": f"志愿者已认领您的心愿“{wish.title}”",
               "url": url, "tag": f"wish-{wish.id}", "urgent": False}
    assert deliver(json.dumps(payload, ensure_ascii=False)) == 1
    shown = page.evaluate("navigator.serviceWorker.ready.then(r => r.getNotifications())"
                          ".then(ns => ns.map(n => ({title: n.title, body: n.body, tag: n.tag,"
                          " data: n.data})))")
    assert shown == [{"title": "心愿已被认领", "body": payload["body"], "tag": f"wish-{wish.id}",
                      "data": {"url": url, "id": 1}}]
    # Headless chromium has no notification centre to click, and focus()/openWindow() need the
    # user activation only a real click grants: dispatch the click event in the worker and
    # stand in only for focus(); the handler's own choice of URL and navigate() run for real.
    worker = ctx.service_workers[0]
    worker.evaluate("""async () => {
        const [n] = await self.registration.getNotifications();
        WindowClient.prototype.focus = async function () { return this; };
        const waits = [];
        const ev = new NotificationEvent('notificationclick', { notification: n });
        Object.defineProperty(ev, 'waitUntil', { value: (p) => waits.push(p) });
        self.dispatchEvent(ev);
        await Promise.all(waits);
    }""")
    page.wait_for_url(site.url + url)
    assert page.get_by_role("heading", level=1).filter(has_text=wish.title).count() == 1
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.getNotifications())"
                         ".then(ns => ns.length)") == 0  # the click closed it


def test_push_acknowledgement_marks_the_notification_delivered(new_context, site, app, db, world,
                                                              make_wish):
    """The worker shows a real outbox push and POSTs its ack token: the row becomes delivered,
    the device counts as working, and the staff's timeline says 已送达."""
    from webapp.models import Outbox, PushSubscription
    from webapp.services.notify import push
    from webapp.services.notify.notify import notify
    wish = make_wish("published")
    sub = PushSubscription(user_id=world.resident.id, endpoint="https://push.example/e2e",
                           p256dh="x", auth="y")
    db.add(sub)
    db.commit()
    (n,) = notify(db, [world.resident.id], "wish_claimed", wish, urgent=True)
    db.commit()
    row = db.scalar(select(Outbox).where(Outbox.notification_id == n.id))
    data = push.payload(n, row.id, app.config["SECRET_KEY"])
    _ctx, page, deliver = _phone_taking_pushes(new_context, site, world.resident)
    assert deliver(data) == 1
    site.wait_for("POST", "/push/ack")
    assert ("POST", "/push/ack", None, None, "204 NO CONTENT") in site.log
    db.rollback()  # end the read snapshot: the server wrote in another connection
    assert db.get(Outbox, row.id).delivery == "delivered"
    assert db.get(PushSubscription, sub.id).last_ack_at is not None
    staff = new_context().new_page()
    ui_login(staff, world.grid_worker)
    staff.goto(f"/wishes/{wish.id}")
    assert staff.locator("#deliveries li[data-state=delivered]").filter(has_text="已送达").count() == 1


def test_offline_page_in_the_users_language(new_context, db, world):
    world.member.locale = "en"
    db.commit()
    ctx = new_context()
    page = ctx.new_page()
    ui_login(page, world.member)
    sw_ready(page)
    # pwa.js tells the worker the page's language; wait until the worker has stored it.
    assert page.evaluate("""async () => {
        for (let i = 0; i < 200; i++) {
          const hit = await (await caches.open('wishgrid-prefs')).match('/__wishgrid/lang');
          if (hit && (await hit.text()) === 'en') return true;
          await new Promise((r) => setTimeout(r, 25));
        }
        return false; }""")
    ctx.set_offline(True)
    page.goto("/orders")
    assert page.get_by_role("heading", level=1).inner_text() == "You are offline"
    assert page.locator("html").get_attribute("lang") == "en"


def test_weak_signal_post_is_kept_by_the_worker(new_context, site, db, world):
    """The phone claims to be online but the request dies (weak signal): the service worker
    keeps the posted form as a draft instead of losing it, and it is sent once later."""
    ctx, page = _open_wish_form(new_context, world.resident)
    page.evaluate("Object.defineProperty(Navigator.prototype, 'onLine', "
                  "{get: () => true, configurable: true})")
    ctx.set_offline(True)
    _fill_wish(page, "信号不好时发的心愿")
    uuid = page.locator("input[name=client_uuid]").input_value()
    page.get_by_role("button", name="提交心愿").click()  # htmx POST → worker → network error
    page.locator("#net-status").filter(has_text="网络恢复后自动发送").wait_for()
    assert [d["uuid"] for d in page.evaluate("WishgridDrafts.all()")] == [uuid]
    assert site.count("POST", POST_URL) == 0
    assert page.get_by_label("标题").input_value() == "信号不好时发的心愿"  # the form stays
    ctx.set_offline(False)
    site.wait_for("POST", POST_URL, 1)
    settled(page)
    assert _wishes_with(db, uuid) == 1
    assert page.evaluate("WishgridDrafts.all()") == []


def test_push_buttons_wait_for_their_script(new_context, world, console_errors):
    """开启通知 and 发送测试通知 do nothing without push.js: disabled until it has wired them."""
    console_errors.offline_ok = True  # the script is cut on purpose below
    page = new_context(service_workers="block").new_page()
    ui_login(page, world.resident)
    page.route("**/js/push.*js", lambda route: route.abort())
    page.goto("/settings/notifications")
    assert page.locator("#push-enable").is_disabled()
    assert page.locator("#push-test-btn").is_disabled()
    page.unroute("**/js/push.*js")
    page.reload()
    page.wait_for_function("!document.getElementById('push-test-btn').disabled")
    assert page.locator("#push-test-btn").is_enabled()
