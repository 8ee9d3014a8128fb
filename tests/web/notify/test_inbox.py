"""The inbox, its badge, notification settings and the push subscription endpoints."""
import base64
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import login
from tests.unit.pushkit import Browser
from webapp.models import Notification, NotificationPreference, PushSubscription, utcnow
from webapp.services.notify.notify import notify


@pytest.fixture
def inbox_of(db, world, make_wish):
    """Three messages for the resident (oldest first) and one for somebody else."""
    wish = make_wish("published")  # the resident already has "wish_approved"
    t = utcnow()
    notify(db, [world.resident.id], "wish_claimed", wish, now=t + timedelta(seconds=1))
    notify(db, [world.resident.id], "wish_started", wish, now=t + timedelta(seconds=2))
    notify(db, [world.member.id], "claim_dispatched", wish, now=t)
    db.commit()
    return wish


def mine(db, user):
    return db.scalars(select(Notification).where(Notification.user_id == user.id)
                      .order_by(Notification.id)).all()


def test_inbox_needs_login(client):
    r = client.get("/inbox")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_inbox_lists_own_messages_newest_first(client, world, inbox_of):
    login(client, world.resident)
    r = client.get("/inbox")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]
    titles = [t for t in ("服务已开始", "心愿已被认领", "心愿已发布") if t in html]
    assert titles == ["服务已开始", "心愿已被认领", "心愿已发布"]
    assert html.index("服务已开始") < html.index("心愿已被认领") < html.index("心愿已发布")
    assert "社区派单" not in html  # somebody else's message


def test_read_one_read_all_and_the_badge(client, db, world, inbox_of):
    login(client, world.resident)
    assert 'data-unread="3"' in client.get("/inbox/count").get_data(as_text=True)
    first = mine(db, world.resident)[0]
    r = client.post(f"/inbox/{first.id}/read", headers={"HX-Request": "true"})
    assert r.status_code == 200 and f'id="n-{first.id}"' in r.get_data(as_text=True)
    assert r.headers["HX-Trigger"] == "inbox-changed"
    assert 'data-unread="2"' in client.get("/inbox/count").get_data(as_text=True)
    r = client.post(f"/inbox/{first.id}/read", data={"open": "1"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/wishes/{inbox_of.id}")
    r = client.post("/inbox/read-all")
    assert r.status_code == 302
    assert 'data-unread="0"' in client.get("/inbox/count").get_data(as_text=True)
    other = mine(db, world.member)[0]
    assert client.post(f"/inbox/{other.id}/read").status_code == 404
    db.refresh(other)
    assert other.read_at is None


def test_inbox_pages_back_with_a_cursor(client, db, world):
    for i in range(35):
        notify(db, [world.resident.id], "daily_digest", note=f"第{i}项")
    db.commit()
    login(client, world.resident)
    html = client.get("/inbox").get_data(as_text=True)
    assert "第34项" in html and "第5项" in html and "第4项" not in html
    before = re.search(r"/inbox\?before=(\d+)", html).group(1)
    more = client.get(f"/inbox?before={before}", headers={"HX-Request": "true"})
    text = more.get_data(as_text=True)
    assert "第4项" in text and "第0项" in text and "第5项" not in text and "<html" not in text


def test_settings_page_has_an_explicit_enable_button_and_no_inline_script(client, world):
    login(client, world.resident)
    html = client.get("/settings/notifications").get_data(as_text=True)
    assert 'id="push-enable"' in html and "开启通知" in html
    assert re.search(r"js/push(\.[0-9a-f]+)?\.js", html)  # fingerprinted when built
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # strict CSP: no inline code
    assert 'value="22:00"' in html and 'value="07:00"' in html


def test_settings_save_and_show_errors_next_to_the_field(client, db, world):
    login(client, world.resident)
    r = client.post("/settings/notifications", data={
        "events": ["wish_done", "wish_claimed"], "quiet_enabled": "1",
        "quiet_start": "23:00", "quiet_end": "06:00", "skills_match": "1"})
    assert r.status_code == 302
    p = db.get(NotificationPreference, world.resident.id)
    assert (p.quiet_start, p.quiet_end, p.skills_match) == ("23:00", "06:00", True)
    assert "wish_approved" in p.muted_events and "wish_done" not in p.muted_events
    r = client.post("/settings/notifications", data={"quiet_enabled": "1", "quiet_start": "9点",
                                                     "quiet_end": "06:00"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="err-quiet_start"' in html and 'value="9点"' in html
    db.refresh(p)
    assert p.quiet_start == "23:00"  # nothing half-written


def test_subscribe_and_unsubscribe_this_device(client, db, world):
    login(client, world.member)
    sub = Browser().subscription("https://fcm.googleapis.com/fcm/send/abc")
    r = client.post("/push/subscriptions", json=sub)
    assert r.status_code == 201
    row = db.scalar(select(PushSubscription))
    assert row.user_id == world.member.id and row.p256dh == sub["keys"]["p256dh"]
    assert client.post("/push/subscriptions", json=sub).status_code == 201  # idempotent
    assert db.scalar(select(func.count(PushSubscription.id))) == 1
    r = client.delete("/push/subscriptions", json={"endpoint": sub["endpoint"]})
    assert r.status_code == 200 and r.json == {"removed": True}
    assert db.scalar(select(func.count(PushSubscription.id))) == 0


def test_a_bad_subscription_is_a_422_with_fields(client, db, world):
    login(client, world.member)
    r = client.post("/push/subscriptions", json={"endpoint": "ftp://x", "keys": {}},
                    headers={"Accept": "application/json"})
    assert r.status_code == 422
    assert {"endpoint", "keys.p256dh", "keys.auth"} <= set(r.json["error"]["fields"])
    assert client.post("/push/subscriptions", data="not json",
                       headers={"Accept": "application/json"}).status_code == 422
    assert db.scalar(select(func.count(PushSubscription.id))) == 0


def test_subscriptions_need_login(client):
    sub = Browser().subscription("https://push.example/x")
    assert client.post("/push/subscriptions", json=sub).status_code in (302, 401)


def test_subscription_posts_need_the_csrf_header(app, client, db, world):
    login(client, world.member)
    sub = Browser().subscription("https://push.example/csrf")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        html = client.get("/settings/notifications").get_data(as_text=True)
        token = re.search(r'data-csrf="([^"]+)"', html).group(1)
        r = client.post("/push/subscriptions", json=sub, headers={"Accept": "application/json"})
        assert r.status_code == 400 and r.json["error"]["code"] == "csrf"
        r = client.post("/push/subscriptions", json=sub, headers={"X-CSRFToken": token})
        assert r.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_vapid_public_key_is_an_uncompressed_p256_point(client):
    r = client.get("/push/vapid-public-key")
    key = r.json["publicKey"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert r.status_code == 200 and len(raw) == 65 and raw[0] == 4
    assert client.get("/push/vapid-public-key").json["publicKey"] == key  # stable


def test_a_community_admin_chooses_at_once_or_digest_on_the_settings_page(client, db, world):
    """Issue 23 item 7: per event, on the notification settings page; residents see no choice."""
    from tests.conftest import login
    login(client, world.resident)
    assert 'id="timing"' not in client.get("/settings/notifications").text
    login(client, world.admin)
    page = client.get("/settings/notifications").text
    assert 'id="tm-wish_review_needed-now" name="timing_wish_review_needed" value="now" checked' in page
    r = client.post("/settings/notifications", data={
        "events": ["wish_claimed"], "timing_form": "1",
        "timing_wish_review_needed": "digest", "timing_registration_submitted": "now"})
    assert r.status_code == 302
    page = client.get("/settings/notifications").text
    assert 'value="digest" checked' in page.split('id="tm-wish_review_needed-digest"')[1][:80]
    assert 'id="tm-registration_submitted-now" name="timing_registration_submitted" value="now" checked' in page
