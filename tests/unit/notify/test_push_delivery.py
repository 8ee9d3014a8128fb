"""Outbox delivery against a loopback push service: encryption, 410, Retry-After, quiet hours."""
import base64
import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from tests.unit.pushkit import Browser, PushService
from sqlalchemy import func, select

from jobs import tasks
from webapp.models import Notification, Outbox, PushSubscription
from webapp.services.notify import inbox, push
from webapp.services.notify.notify import notify

SH = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=SH).astimezone(timezone.utc)


@pytest.fixture
def svc():
    s = PushService()
    yield s
    s.close()


@pytest.fixture
def device(db, svc):
    """Subscribe a user's browser to the loopback service; returns (Browser, subscription)."""
    def make(user, name="phone"):
        b = Browser()
        sub = inbox.subscribe(db, user, b.subscription(svc.endpoint(name)), "pytest",
                              allow_insecure=True)
        return b, sub
    return make


def deliver(db, now):
    return tasks.deliver_outbox(db, now)


def outbox(db):
    return db.scalars(select(Outbox).order_by(Outbox.id)).all()


def test_payload_is_encrypted_for_the_browser_and_says_title_body_url(db, world, make_wish, svc,
                                                                       device):
    wish = make_wish("published")
    browser, _sub = device(world.resident)
    notify(db, [world.resident.id], "wish_claimed", wish, now=NOON)
    db.commit()
    stats = deliver(db, NOON)
    assert stats["sent"] == 1 and svc.count() == 1
    path, headers, body = svc.received[0]
    assert path == "/push/phone"
    msg = browser.decrypt(body)
    assert msg["title"] == "心愿已被认领"
    assert "帮忙买菜送上楼" in msg["body"]
    assert msg["url"] == f"/wishes/{wish.id}" and msg["tag"] == f"wish-{wish.id}"
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) == push.TTL > 0          # an offline phone still gets it
    assert headers["authorization"].startswith("vapid t=")
    (row,) = outbox(db)
    assert row.status == "sent" and row.attempts == 1 and row.leased_until is None
    assert db.get(PushSubscription, row.subscription_id).last_success_at is not None
    assert deliver(db, NOON + timedelta(minutes=5))["sent"] == 0  # never twice
    assert svc.count() == 1


def test_each_device_gets_its_own_copy_and_claims_are_fresh_per_push(db, world, make_wish, svc,
                                                                     device):
    """Two endpoints on different origins: each JWT carries its own audience (fresh claims)."""
    wish = make_wish("published")
    phone = Browser()
    inbox.subscribe(db, world.member, phone.subscription(svc.endpoint("a")), None, True)
    tablet = Browser()
    inbox.subscribe(db, world.member, tablet.subscription(svc.endpoint("b", host="localhost")),
                    None, True)
    notify(db, [world.member.id], "claim_dispatched", wish, now=NOON)
    db.commit()
    assert deliver(db, NOON)["sent"] == 2
    by_path = {p: (h, b) for p, h, b in svc.received}
    assert phone.decrypt(by_path["/push/a"][1])["title"] == "社区派单"
    assert tablet.decrypt(by_path["/push/b"][1])["title"] == "社区派单"

    def aud(h):
        jwt = h["authorization"].split("t=")[1].split(",")[0]
        part = jwt.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))["aud"]
    assert aud(by_path["/push/a"][0]) == f"http://127.0.0.1:{svc.port}"
    assert aud(by_path["/push/b"][0]) == f"http://localhost:{svc.port}"


def test_410_removes_the_subscription_and_drops_its_pushes(db, world, make_wish, svc, device):
    wish = make_wish("published")
    _b, sub = device(world.resident)
    sub_id = sub.id
    svc.plan["/push/phone"] = [(410, {})]
    notify(db, [world.resident.id], "wish_claimed", wish, now=NOON)
    notify(db, [world.resident.id], "wish_started", wish, now=NOON)
    db.commit()
    stats = deliver(db, NOON)
    assert stats["gone"] == 2
    assert db.get(PushSubscription, sub_id) is None
    assert {r.status for r in outbox(db)} == {"dropped"}
    assert svc.count() == 1  # the second push was not attempted against a dead endpoint
    assert db.scalar(select(func.count(Notification.id))) >= 2  # the inbox keeps both


def test_503_with_retry_after_reschedules_then_delivers(db, world, make_wish, svc, device):
    wish = make_wish("published")
    browser, _sub = device(world.resident)
    svc.plan["/push/phone"] = [(503, {"Retry-After": "120"})]
    notify(db, [world.resident.id], "wish_done", wish, now=NOON)
    db.commit()
    assert deliver(db, NOON)["retry"] == 1
    (row,) = outbox(db)
    assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
    assert row.next_attempt_at == NOON + timedelta(seconds=120)
    assert deliver(db, NOON + timedelta(seconds=119))["sent"] == 0
    assert svc.count() == 1
    assert deliver(db, NOON + timedelta(seconds=120))["sent"] == 1
    assert browser.decrypt(svc.received[-1][2])["title"] == "请确认服务"
    db.refresh(row)
    assert row.status == "sent" and row.attempts == 2


def test_server_errors_back_off_and_give_up_after_bounded_attempts(db, world, make_wish, svc,
                                                                   device):
    wish = make_wish("published")
    device(world.resident)
    svc.plan["/push/phone"] = [(500, {})] * 50
    notify(db, [world.resident.id], "wish_done", wish, now=NOON)
    db.commit()
    now = NOON
    for attempt in range(1, push.MAX_ATTEMPTS + 1):
        deliver(db, now)
        (row,) = outbox(db)
        db.refresh(row)
        assert row.attempts == attempt
        if attempt < push.MAX_ATTEMPTS:
            assert row.status == "pending"
            assert row.next_attempt_at - now == push.backoff(attempt)
            now = row.next_attempt_at
    assert row.status == "failed"
    assert svc.count() == push.MAX_ATTEMPTS
    assert deliver(db, now + timedelta(days=1))["sent"] == 0 and svc.count() == push.MAX_ATTEMPTS


@pytest.mark.parametrize("status", [400, 413])
def test_client_errors_are_dropped_and_the_device_kept(db, world, make_wish, svc, device, status,
                                                       caplog):
    wish = make_wish("published")
    _b, sub = device(world.resident)
    svc.plan["/push/phone"] = [(status, {})]
    notify(db, [world.resident.id], "wish_done", wish, now=NOON)
    db.commit()
    assert deliver(db, NOON)["dropped"] == 1
    (row,) = outbox(db)
    assert row.status == "dropped" and str(status) in row.last_error
    assert db.get(PushSubscription, sub.id) is not None
    assert any("dropped" in r.getMessage() for r in caplog.records)


def test_quiet_hours_hold_a_push_until_seven_unless_urgent(db, world, make_wish, svc, device):
    wish = make_wish("published")
    browser, _sub = device(world.resident)
    late = datetime(2026, 11, 23, 23, 30, tzinfo=SH).astimezone(timezone.utc)
    morning = datetime(2026, 11, 24, 7, 0, tzinfo=SH).astimezone(timezone.utc)
    notify(db, [world.resident.id], "wish_claimed", wish, now=late)
    notify(db, [world.resident.id], "wish_withdrawn", wish, now=late, urgent=True)
    db.commit()
    held = [r for r in outbox(db) if r.next_attempt_at == morning]
    assert len(held) == 1
    assert deliver(db, late)["sent"] == 1  # only the urgent one
    assert browser.decrypt(svc.received[0][2])["title"] == "心愿已撤回"
    assert deliver(db, morning - timedelta(minutes=1))["sent"] == 0
    assert deliver(db, morning)["sent"] == 1
    assert browser.decrypt(svc.received[1][2])["title"] == "心愿已被认领"


def test_a_muted_event_stays_in_the_inbox_only(db, world, make_wish, svc, device):
    wish = make_wish("published")
    device(world.resident)
    form = {"events": [e for e in inbox.PREF_EVENTS if e != "wish_claimed"],
            "quiet_enabled": None, "skills_match": None}
    inbox.save_preferences(db, world.resident, form)
    notify(db, [world.resident.id], "wish_claimed", wish, now=NOON)
    notify(db, [world.resident.id], "wish_started", wish, now=NOON)
    db.commit()
    assert [r.notification.event for r in outbox(db)] == ["wish_started"]
    assert db.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == world.resident.id, Notification.event == "wish_claimed")) == 1


def test_a_crashed_workers_lease_runs_out_and_the_push_goes_out_again(db, world, make_wish, svc,
                                                                      device):
    wish = make_wish("published")
    browser, _sub = device(world.resident)
    notify(db, [world.resident.id], "wish_claimed", wish, now=NOON)
    db.commit()
    # Worker A leases the row and "crashes" before recording (its pid is this live process,
    # so only the lease's expiry can free it).
    rows = push.claim_batch(db, NOON, "elsewhere:1:a")
    assert len(rows) == 1
    assert push.claim_batch(db, NOON, "elsewhere:2:b") == []  # leased: B cannot take it
    assert deliver(db, NOON + timedelta(seconds=30))["sent"] == 0
    assert deliver(db, NOON + push.LEASE + timedelta(seconds=1))["sent"] == 1
    assert browser.decrypt(svc.received[0][2])["tag"] == f"wish-{wish.id}"


def test_vapid_keys_are_generated_once_and_env_keys_win(tmp_path):
    v1, pub1 = push.load_vapid(str(tmp_path))
    v2, pub2 = push.load_vapid(str(tmp_path))
    assert pub1 == pub2 and (tmp_path / "vapid_private.pem").exists()
    raw = v1.private_key.private_numbers().private_value.to_bytes(32, "big")
    env = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    _v3, pub3 = push.load_vapid(str(tmp_path / "other"), env)
    assert pub3 == pub1 and not (tmp_path / "other").exists()
    assert len(base64.urlsafe_b64decode(pub1 + "=")) == 65


def test_two_workers_at_once_lease_disjoint_rows(app, db, world, make_wish, device):
    """Several job workers may share the outbox (SKIP LOCKED on PostgreSQL, a write lock on
    SQLite): no row is handed to both."""
    import threading

    from sqlalchemy.orm import Session
    wish = make_wish("published")
    device(world.resident)
    for _ in range(40):
        notify(db, [world.resident.id], "wish_claimed", wish, now=NOON)
    db.commit()
    got, barrier, engine = {}, threading.Barrier(2), db.get_bind()

    def work(name):
        with app.app_context(), Session(engine) as s:
            barrier.wait()
            got[name] = [r[0] for r in push.claim_batch(s, NOON, f"test:{name}", limit=25)]

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not set(got["a"]) & set(got["b"])
    assert len(got["a"]) + len(got["b"]) == 40
    owners = dict(db.execute(select(Outbox.id, Outbox.lease_owner)).all())
    assert all(owners[i] == "test:a" for i in got["a"])


def test_the_push_side_renews_only_its_own_batch_never_the_sms_threads_rows(db, world, make_wish,
                                                                             svc, device):
    """One job process delivers push and SMS in two threads under one lease owner. Every
    RECORD_EVERY sends the push side extends its batch's leases; it once extended every row of
    the owner, SMS rows included, locking them in another order than the SMS thread's own record:
    PostgreSQL found a deadlock, and the push side lost its record of 25 sends (sent again after
    the lease ran out; the fleet test saw 50 duplicates). Now it touches its batch only."""
    from webapp.models import utcnow
    wish = make_wish("published")
    device(world.resident)
    for _ in range(push.RECORD_EVERY + 5):
        notify(db, [world.resident.id], "wish_claimed", wish, now=NOON)
    held_until = NOON + timedelta(seconds=45)
    sms = Outbox(channel="sms", phone="13700000000", template="reminder_before", params={},
                 status="pending", next_attempt_at=NOON, created_at=utcnow(),
                 lease_owner=tasks.OWNER, leased_until=held_until)  # the SMS thread's row
    db.add(sms)
    db.commit()
    stats = deliver(db, NOON)
    assert stats["sent"] == push.RECORD_EVERY + 5  # the renewal happened (a record mid-batch)
    db.expire_all()
    row = db.get(Outbox, sms.id)
    assert (row.lease_owner, row.leased_until, row.status) == (tasks.OWNER, held_until, "pending")
