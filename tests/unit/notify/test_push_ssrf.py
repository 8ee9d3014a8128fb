"""Push endpoints are requests we make for someone: only public https push services, checked when
the subscription is saved and again at delivery after name resolution (SSRF)."""
import socket
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from config import Config
from tests.conftest import login
from tests.unit.pushkit import Browser, PushService
from webapp.models import Outbox, PushSubscription
from webapp.services.errors import Invalid
from webapp.services.notify import endpoints, inbox, push
from webapp.services.notify.notify import notify

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=timezone.utc)
EVIL = [
    "https://169.254.169.254/latest/meta-data/",   # cloud metadata (IP literal)
    "https://10.0.0.1/push",                       # private range
    "https://[::1]/push", "https://[::ffff:127.0.0.1]/push",
    "https://localhost/push", "https://127.0.0.1/push",
    "https://user:pw@fcm.googleapis.com/x",        # userinfo
    "https://fcm.googleapis.com@10.0.0.1/x",
    "http://fcm.googleapis.com/x",                 # not https
    "https://fcm.googleapis.com:8443/x",           # another port
    "https://2130706433/x", "https://0x7f.1/x",    # 127.0.0.1 spelled as a number
    "https://internal.resolves.to.loopback/x",     # a name resolving to 127.0.0.1
    "https://metadata.resolves.to.link-local/x",
    "ftp://fcm.googleapis.com/x", "https:///nohost", "not a url",
]


REAL_RESOLVE = socket.getaddrinfo


def fake_resolve(host, port, *args, **kwargs):
    """DNS as the tests want it: two names point inward, the push services are public."""
    table = {"internal.resolves.to.loopback": "127.0.0.1",
             "metadata.resolves.to.link-local": "169.254.169.254",
             "fcm.googleapis.com": "142.250.1.95", "push.example": "93.184.216.34",
             "localhost": "127.0.0.1"}
    if host == "127.0.0.1":  # the loopback push service itself (urllib3 connecting)
        return REAL_RESOLVE(host, port, *args, **kwargs)
    if host not in table:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    monkeypatch.setattr(endpoints.socket, "getaddrinfo", fake_resolve)


def test_loopback_is_a_test_only_setting():
    assert Config.PUSH_ALLOW_LOOPBACK is False and Config.PUSH_ALLOWED_HOSTS == ""


@pytest.mark.parametrize("url", EVIL)
def test_saving_an_inward_endpoint_is_refused(db, world, url):
    with pytest.raises(Invalid) as e:
        inbox.subscribe(db, world.resident, Browser().subscription(url))
    assert "endpoint" in e.value.fields
    assert db.scalar(select(func.count(PushSubscription.id))) == 0


def test_public_push_services_are_accepted_and_the_allow_list_narrows_them(db, world):
    inbox.subscribe(db, world.resident, Browser().subscription("https://fcm.googleapis.com/a"))
    allow = endpoints.allowed_hosts("fcm.googleapis.com, .push.services.mozilla.com")
    inbox.subscribe(db, world.resident, Browser().subscription(
        "https://updates.push.services.mozilla.com/b"), allowed_hosts=allow)
    with pytest.raises(Invalid):
        inbox.subscribe(db, world.resident, Browser().subscription("https://push.example/c"),
                        allowed_hosts=allow)
    assert db.scalar(select(func.count(PushSubscription.id))) == 2


def test_the_web_endpoint_answers_422_with_a_clear_message(app, client, db, world, monkeypatch):
    monkeypatch.setitem(app.config, "PUSH_ALLOW_LOOPBACK", False)
    login(client, world.member)
    for url in ("https://169.254.169.254/x", "https://localhost/x", "http://127.0.0.1:9/x"):
        r = client.post("/push/subscriptions", json=Browser().subscription(url),
                        headers={"Accept": "application/json"})
        assert r.status_code == 422, url
        assert "公网 https" in r.json["error"]["fields"]["endpoint"]
    monkeypatch.setitem(app.config, "PUSH_ALLOWED_HOSTS", "fcm.googleapis.com")
    r = client.post("/push/subscriptions", json=Browser().subscription("https://push.example/x"),
                    headers={"Accept": "application/json"})
    assert r.status_code == 422
    assert client.post("/push/subscriptions", json=Browser().subscription(
        "https://fcm.googleapis.com/ok")).status_code == 201


def _queue(db, world, endpoint: str) -> int:
    """A subscription stored as if it had passed an older check, with one push due."""
    b = Browser()
    sub = PushSubscription(user_id=world.resident.id, endpoint=endpoint, p256dh=b.p256dh,
                           auth=b.subscription(endpoint)["keys"]["auth"])
    db.add(sub)
    db.commit()
    notify(db, [world.resident.id], "wish_claimed", None, now=NOW)
    db.commit()
    return sub.id


@pytest.mark.parametrize("endpoint", [
    "https://169.254.169.254/x", "https://10.0.0.1/x", "https://localhost/x",
    "https://user:pw@fcm.googleapis.com/x", "http://fcm.googleapis.com/x",
    "https://internal.resolves.to.loopback/x", "https://metadata.resolves.to.link-local/x"])
def test_delivery_refuses_and_forgets_an_inward_endpoint_without_retrying(app, db, world, endpoint):
    sub_id = _queue(db, world, endpoint)
    sent = []
    sender = push.Sender(push.app_vapid(app)[0], "mailto:t@example.org")
    sender.http.request = lambda *a, **k: sent.append(a) or pytest.fail("connected to " + endpoint)
    stats = push.deliver(db, NOW, sender, "test-owner")
    assert stats["refused"] == 1 and stats["retry"] == 0 and not sent
    row = db.scalar(select(Outbox))
    assert row.status == "dropped" and "refused" in row.last_error
    assert db.get(PushSubscription, sub_id) is None
    assert push.deliver(db, NOW, sender, "test-owner")["refused"] == 0  # nothing left to retry


def test_delivery_checks_the_name_again_after_it_changed(app, db, world, monkeypatch):
    """Saved while the name was public, it now resolves inward (DNS rebinding): refused."""
    inbox.subscribe(db, world.resident, Browser().subscription("https://push.example/d"))
    notify(db, [world.resident.id], "wish_claimed", None, now=NOW)
    db.commit()
    monkeypatch.setattr(endpoints.socket, "getaddrinfo", lambda h, p, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", p))])
    sender = push.Sender(push.app_vapid(app)[0], "mailto:t@example.org")
    sender.http.request = lambda *a, **k: pytest.fail("connected")
    assert push.deliver(db, NOW, sender, "test-owner")["refused"] == 1
    assert db.scalar(select(func.count(PushSubscription.id))) == 0


def test_a_dns_failure_at_delivery_is_retried_not_dropped(app, db, world):
    _queue(db, world, "https://unknown.invalid/x")
    sender = push.Sender(push.app_vapid(app)[0], "mailto:t@example.org")
    stats = push.deliver(db, NOW, sender, "test-owner")
    assert stats["retry"] == 1 and stats["refused"] == 0
    assert db.scalar(select(func.count(PushSubscription.id))) == 1


def test_the_loopback_push_service_of_the_tests_still_works_only_when_allowed(app, db, world):
    svc = PushService()
    try:
        _queue(db, world, svc.endpoint("phone"))
        vapid = push.app_vapid(app)[0]
        strict = push.Sender(vapid, "mailto:t@example.org")
        assert push.deliver(db, NOW, strict, "o1")["refused"] == 1 and svc.count() == 0
        inbox.subscribe(db, world.resident, Browser().subscription(svc.endpoint("phone")),
                        allow_insecure=True)
        notify(db, [world.resident.id], "wish_claimed", None, now=NOW)
        db.commit()
        loose = push.Sender(vapid, "mailto:t@example.org", allow_loopback=True)
        assert push.deliver(db, NOW, loose, "o2")["sent"] == 1 and svc.count() == 1
    finally:
        svc.close()


def test_a_redirect_from_the_push_service_is_not_followed(app, db, world):
    svc = PushService()
    try:
        svc.plan["/push/r"] = [(307, {"Location": "http://169.254.169.254/x"})]
        inbox.subscribe(db, world.resident, Browser().subscription(svc.endpoint("r")),
                        allow_insecure=True)
        notify(db, [world.resident.id], "wish_claimed", None, now=NOW)
        db.commit()
        sender = push.Sender(push.app_vapid(app)[0], "mailto:t@example.org", allow_loopback=True)
        stats = push.deliver(db, NOW, sender, "o3")
        assert stats["dropped"] == 1 and svc.count() == 1  # one POST, no second hop
    finally:
        svc.close()
