"""Delivery you can see: push acknowledgements, the test notification, the Tencent status
callback, silent devices, the settings page's SMS section, staff's 已送达/未送达, the ledger's
month of SMS and a phoneless resident's SMS contact."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import login
from webapp.models import Notification, NotificationPreference, Outbox, PushSubscription, User, utcnow
from webapp.services.notify import channels, push, receipts
from webapp.services.notify.notify import notify

TEMPLATES = {"wish_claimed": {"code": "SMS_1", "params": {"title": "title"}},
             "wish_approved": {"code": "SMS_2", "params": {"title": "title"}}}


@pytest.fixture
def sms_on(app):
    saved = dict(app.config)
    app.config.update(SMS_PROVIDER="tencent", SMS_ACCESS_KEY_ID="k", SMS_ACCESS_KEY_SECRET="s",
                      SMS_TEMPLATES=TEMPLATES, SMS_CALLBACK_TOKEN="cb-token")
    yield
    app.config.clear()
    app.config.update(saved)


def _device(db, user, **kw):
    sub = PushSubscription(user_id=user.id, endpoint=f"https://push.example/{user.id}",
                           p256dh="x", auth="y", **kw)
    db.add(sub)
    db.commit()
    return sub


def _sent_push(db, user, sub, event="wish_claimed", wish=None, when=None):
    (n,) = notify(db, [user.id], event, wish, urgent=True)
    db.commit()
    row = db.scalar(select(Outbox).where(Outbox.notification_id == n.id, Outbox.channel == "push",
                                         Outbox.subscription_id == sub.id))
    row.status, row.sent_at = "sent", when or utcnow()
    db.commit()
    return n, row


def test_ack_marks_the_push_delivered_and_the_device_working(client, db, world, app):
    sub = _device(db, world.resident, silent_pushes=2)
    n, row = _sent_push(db, world.resident, sub)
    token = push.ack_token(row.id, app.config["SECRET_KEY"])
    assert f'"ack": "{token}"' in push.payload(n, row.id, app.config["SECRET_KEY"])
    assert client.post("/push/ack", json={"ack": token}).status_code == 204  # no session needed
    db.expire_all()
    assert db.get(Outbox, row.id).delivery == "delivered"
    sub = db.get(PushSubscription, sub.id)
    assert sub.last_ack_at is not None and sub.silent_pushes == 0
    assert channels.working_push(db, [world.resident.id]) == {world.resident.id}


def test_only_real_arrivals_count(client, db, world, app):
    sub = _device(db, world.resident)
    _n, row = _sent_push(db, world.resident, sub)
    login(client, world.resident)  # even signed in, a guessed or altered token counts for nothing
    for bad in (f"{row.id}.deadbeef", f"{row.id + 1}." + push.ack_token(row.id, "x").split(".")[1],
                "", None, 5, "x" * 100):
        assert client.post("/push/ack", json={"ack": bad}).status_code == 404
    db.expire_all()
    assert db.get(Outbox, row.id).delivery is None


def test_silent_pushes_switch_a_person_to_sms(db, world, sms_on):
    sub = _device(db, world.resident, last_ack_at=utcnow() - timedelta(days=2))
    db.add(NotificationPreference(user_id=world.resident.id, quiet_start=None, quiet_end=None))
    db.commit()
    old = utcnow() - timedelta(hours=2)
    for _ in range(3):
        _sent_push(db, world.resident, sub, event="wish_approved", when=old)
    assert receipts.sweep_silent(db, utcnow()) == 3
    db.expire_all()
    assert db.get(PushSubscription, sub.id).silent_pushes == 3
    (n,) = notify(db, [world.resident.id], "wish_approved")  # not a must-not-miss event
    db.commit()
    chans = sorted(r.channel for r in db.scalars(select(Outbox).where(Outbox.notification_id == n.id)))
    assert chans == ["sms"]  # the silent device is skipped and SMS stands in


def test_test_notification_reports_arrival(client, db, world, app):
    sub = _device(db, world.resident, silent_pushes=5)  # a silent device still gets the test
    login(client, world.resident)
    r = client.post("/settings/notifications/test")
    assert r.status_code == 201
    status_url = r.get_json()["status_url"]
    assert client.get(status_url).get_json() == {"id": r.get_json()["id"], "devices": 1,
                                                 "delivered": False, "sent": 0}
    row = db.scalar(select(Outbox).where(Outbox.notification_id == r.get_json()["id"]))
    assert row.subscription_id == sub.id and row.next_attempt_at <= utcnow()  # urgent
    client.post("/push/ack", json={"ack": push.ack_token(row.id, app.config["SECRET_KEY"])})
    assert client.get(status_url).get_json()["delivered"] is True
    login(client, world.resident2)
    assert client.get(status_url).status_code == 404  # someone else's test


def test_tencent_callback_marks_sms_delivered_or_failed(client, db, world, sms_on):
    notify(db, [world.resident.id, world.resident2.id], "wish_claimed", urgent=True)
    db.commit()
    rows = list(db.scalars(select(Outbox).where(Outbox.channel == "sms").order_by(Outbox.id)))
    for i, r in enumerate(rows):
        r.status, r.provider_ref, r.sent_at = "sent", f"2640:{i}", utcnow()
    db.commit()
    body = [{"user_receive_time": "2026-03-02 10:00:00", "nationcode": "86",
             "mobile": rows[0].phone, "report_status": "SUCCESS", "errmsg": "DELIVRD",
             "description": "用户短信送达成功", "sid": "2640:0"},
            {"user_receive_time": "2026-03-02 10:00:00", "nationcode": "86",
             "mobile": rows[1].phone, "report_status": "FAIL", "errmsg": "MK:0001",
             "description": "空号", "sid": "2640:1"}]
    assert client.post("/sms/receipts/tencent?token=wrong", json=body).status_code == 403
    r = client.post("/sms/receipts/tencent?token=cb-token", json=body)
    assert r.status_code == 200 and r.get_json() == {"result": 0, "errmsg": "OK"}
    db.expire_all()
    assert [db.get(Outbox, r.id).delivery for r in rows] == ["delivered", "undelivered"]


def test_settings_page_says_sms_is_off_without_a_provider(client, db, world):
    login(client, world.resident)
    page = client.get("/settings/notifications").get_data(as_text=True)
    assert 'id="sms-off"' in page and "尚未开通短信服务" in page
    assert 'name="sms_events"' not in page and 'id="push-test-btn"' in page


def test_sms_opt_out_per_event_saved_from_settings(client, db, world, sms_on):
    login(client, world.resident)
    page = client.get("/settings/notifications").get_data(as_text=True)
    assert 'id="sms-off"' not in page and 'value="wish_claimed"' in page
    r = client.post("/settings/notifications", data={"sms_form": "1",
                                                     "sms_events": ["wish_approved"]})
    assert r.status_code == 302
    db.expire_all()
    assert db.get(NotificationPreference, world.resident.id).sms_off_events == ["wish_claimed"]
    notify(db, [world.resident.id], "wish_claimed")
    db.commit()
    assert db.scalars(select(Outbox).where(Outbox.channel == "sms")).all() == []


def test_staff_see_delivered_and_undelivered_on_the_timeline(client, db, world, make_wish):
    wish = make_wish("claimed")
    rows = list(db.scalars(select(Outbox).join(Notification).where(Notification.wish_id == wish.id)))
    assert rows == []  # nobody subscribed: inbox only
    sub = _device(db, world.resident)
    _n, row = _sent_push(db, world.resident, sub, wish=wish)
    row.delivery = "delivered"
    _n2, row2 = _sent_push(db, world.resident, sub, event="wish_started", wish=wish)
    row2.status = "failed"
    db.commit()
    login(client, world.grid_worker)
    page = client.get(f"/wishes/{wish.id}").get_data(as_text=True)
    assert 'id="deliveries"' in page and "已送达" in page and "未送达" in page
    login(client, world.resident)
    assert 'id="deliveries"' not in client.get(f"/wishes/{wish.id}").get_data(as_text=True)


def test_ledger_page_shows_the_months_sms_by_event(client, db, world, sms_on):
    notify(db, [world.resident.id, world.resident2.id], "wish_claimed")
    db.commit()
    login(client, world.admin)
    page = client.get("/ledger/").get_data(as_text=True)
    assert 'id="sms-month"' in page and "心愿已被认领" in page
    assert "今天已发 2 条，每日额度 100 条" in page


def test_admin_sets_the_daily_sms_budget(client, db, world):
    login(client, world.admin)
    assert client.post("/admin/settings", data={"sms_daily_budget": "20"}).status_code == 302
    from webapp.models import Org
    db.expire_all()
    assert db.get(Org, world.ca.id).settings["sms_daily_budget"] == 20


def test_grid_staff_set_a_phoneless_residents_contact_with_consent(client, db, world, sms_on):
    lone = User(phone=None, name="孤老", building_id=world.ba1.id)
    db.add(lone)
    db.commit()
    url = f"/residents/{lone.id}/sms-contact"
    login(client, world.member)
    assert client.get(url).status_code == 403
    login(client, world.grid_worker2)  # another grid's worker
    assert client.get(url).status_code == 403
    login(client, world.grid_worker)
    r = client.post(url, data={"phone": "13655556666", "name": "女儿"})
    assert r.status_code == 422 and "居民已同意" in r.get_data(as_text=True)
    assert client.post(url, data={"phone": "12", "consent": "1"}).status_code == 422
    assert client.post(url, data={"phone": "13655556666", "name": "女儿",
                                  "consent": "1"}).status_code == 302
    db.expire_all()
    u = db.get(User, lone.id)
    assert (u.sms_contact_phone, u.sms_contact_by_id) == ("13655556666", world.grid_worker.id)
    assert channels.destination(db, u) == "13655556666"
    client.post(url, data={"phone": ""})  # cleared: back to the grid worker
    db.expire_all()
    assert channels.destination(db, db.get(User, lone.id)) == world.grid_worker.phone
