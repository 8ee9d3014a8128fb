"""The several-hosts fleet (docs/DEPLOY.md §2) under faults, started once for the module by
tests/fleet.py, the same code as scripts/fleet.sh: throwaway PostgreSQL, redis-server, nginx,
two gunicorn web hosts (2 workers each), two job hosts. Push and SMS go to the loopback doubles
(tests/unit/pushkit.py, smskit.py), which count what they receive.

Each test asserts that nothing acknowledged is lost and nothing happens twice. Requests meant
for one host go to it directly with the client address the proxy would pass; bursts go through
the proxy. The fleet owns its PostgreSQL cluster (not the test run's): one test restarts it.
"""
import json
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from config import TestConfig
from tests.fault.fleetkit import Client, claims_state, pg, seed_community
from tests.fleet import Fleet, wait_for
from tests.unit.pushkit import Browser, PushService
from tests.unit.smskit import SmsProvider
from webapp import create_app
from webapp.extensions import db

pytestmark = [pytest.mark.fleet, pytest.mark.slow]

TEMPLATES = {"reminder_before": {"code": "SMS_100", "params": {"title": "title", "time": "note"}}}
N_PUSH, N_SMS, SMS_PEOPLE = 500, 500, 50  # 1,000 notifications, half push, half SMS
MEASURED: dict = {}  # printed at the end of the module (and quoted in docs/DEPLOY.md)


@pytest.fixture(scope="module")
def fx():
    """The fleet, its community, the loopback push and SMS services."""
    browser = Browser()
    push = PushService(decode=lambda body: browser.decrypt(body)["id"])
    sms = SmsProvider()
    settings = sms.config("aliyun", SMS_TEMPLATES=TEMPLATES, SMS_PER_NUMBER_DAILY=N_SMS)
    extra = {k: (json.dumps(v) if isinstance(v, dict) else str(v)) for k, v in settings.items()}
    extra |= {"WISHGRID_TEST_PUSH_LOOPBACK": "1", "WISHGRID_DELIVER_SECONDS": "1",
              "SMS_ONLY_PROVEN_PHONES": "0"}
    fleet = Fleet(web_hosts=2, job_hosts=2, workers=2, threads=4, extra_env=extra,
                  seed_demo=False, sms_provider="aliyun")
    started = time.monotonic()
    app = None
    try:
        fleet.start()
        MEASURED["fleet start (s)"] = round(time.monotonic() - started, 1)

        class Cfg(TestConfig):
            SQLALCHEMY_DATABASE_URI = fleet.db_url
        for k, v in settings.items():
            setattr(Cfg, k, v)
        app = create_app(Cfg)
        with app.app_context():
            data = seed_community(db.session)
            data["export"] = _queue_export(db.session, data)
            db.session.remove()
        yield SimpleNamespace(fleet=fleet, app=app, data=data, push=push, sms=sms,
                              browser=browser, web=[fleet.web_url(0), fleet.web_url(1)])
    finally:
        if app is not None:
            with app.app_context():
                db.engine.dispose()
        fleet.stop()
        push.close()
        sms.close()
        print("\nfleet measurements:", json.dumps(MEASURED, ensure_ascii=False))


def _queue_export(session, data) -> int:
    """A ledger export for the job host to build (queued early: its job runs every 10 s)."""
    from webapp.models import User, utcnow
    from webapp.services.ledger import exports, periods
    admin = session.query(User).filter_by(phone=data["phones"]["admin"]).one()
    job = exports.request_ledger_export(session, admin, data["community"],
                                        periods.parse(None, utcnow(), "year"), "csv")
    return job.id


def test_one_job_host_holds_the_lock_the_other_waits_and_says_so(fx):
    f = fx.fleet
    holder = f.job_holding()
    assert holder is not None
    other = f.jobs[1 - holder]
    assert other.alive() and "job lock held" not in other.text()
    assert "another job process holds the lock; waiting" in other.text()
    with pg(f.db_url) as con:  # one granted advisory lock, one waiter: never two schedulers
        grants = sorted(g for (g,) in con.execute(
            "SELECT granted FROM pg_locks WHERE locktype = 'advisory' AND objid = %s",
            (0x57495348,)).fetchall())
    assert grants == [False, True]


def test_a_session_from_host_1_works_on_host_2_until_logout_or_password_change(fx):
    w1, w2 = fx.web
    phones = fx.data["phones"]
    a = Client("10.0.1.1")
    a.login(w1, phones["vol0"])
    assert a.signed_in(w2) and a.signed_in(w1)
    status, _h, _t = a.post(w1, "/logout", {}, csrf_from="/me")
    assert status == 302
    assert not a.signed_in(w2)
    # A password change through host 1 ends the sessions of other devices on host 2.
    phone = phones["vol1"]
    laptop, phone_browser = Client("10.0.1.2"), Client("10.0.1.3")
    laptop.login(w1, phone)
    phone_browser.login(w2, phone)
    assert phone_browser.signed_in(w2)
    from tests.fault.fleetkit import PASSWORD
    status, _h, text = laptop.post(w1, "/me/password", {
        "current_password": PASSWORD, "new_password": "fleet-pass-2x",
        "new_password2": "fleet-pass-2x"})
    assert status in (302, 303), (status, text[-400:])
    assert laptop.signed_in(w2)  # the one who changed it stays in, on every host
    assert not phone_browser.signed_in(w2) and not phone_browser.signed_in(w1)


def _wrong_logins(ip: str, hosts, n: int) -> list[int]:
    c = Client(ip)
    out = []
    for i in range(n):
        status, _h, _t = c.post(hosts[i % len(hosts)], "/login",
                                {"phone": f"137{i:04d}{hash(ip) % 10000:04d}", "password": "x"})
        out.append(status)
    return out


def test_the_login_limit_counts_across_both_hosts(fx):
    statuses = _wrong_logins("10.0.2.1", fx.web, 11)
    assert statuses[:10] == [422] * 10, statuses  # LOGIN_RATE_LIMIT: 10 per minute per IP
    assert statuses[10] == 429, statuses
    # Whichever host: the next one is refused on the other host too.
    assert _wrong_logins("10.0.2.1", fx.web[::-1], 1) == [429]


def _send_code(c: Client, base: str, phone: str) -> int:
    from webapp.web.guard import solve
    status, _h, page = c.get(base, "/login/code")
    assert status == 200
    import html
    import re
    ch = json.loads(html.unescape(re.search(r'data-altcha="([^"]+)"', page).group(1)))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    status, _h, _t = c.request(base, "POST", "/login/code", form={
        "action": "send", "phone": phone, "altcha": solve(ch), "csrf_token": token})
    return status


def test_the_sms_code_limits_count_across_both_hosts(fx):
    w1, w2 = fx.web
    c = Client("10.0.3.1")
    assert _send_code(c, w1, "13711110000") == 200
    assert _send_code(c, w2, "13711110000") == 429  # CODE_LIMIT_PHONE: 1 a minute per number
    statuses = [_send_code(c, fx.web[i % 2], f"137111100{i:02d}") for i in range(1, 11)]
    # CODE_LIMIT_IP: 10 an hour per client IP, the first send included: the 11th is refused.
    assert statuses == [200] * 9 + [429], statuses


def _menu_taken(c: Client, base: str, title: str) -> str:
    import re
    status, _h, page = c.get(base, "/menu")
    assert status == 200
    at = page.index(f">{title}<")
    return re.search(r"(\d+)/(\d+) 人", page[at:]).group(0)


def test_a_claim_through_host_1_shows_on_host_2s_menu_at_the_next_request(fx):
    w1, w2 = fx.web
    viewer = Client("10.0.4.1")
    viewer.login(w2, fx.data["phones"]["vol2"])
    wid = fx.data["open"][-1]
    title = f"心愿{fx.data['open'].index(wid)}"
    assert _menu_taken(viewer, w2, title) == "0/3 人"
    assert _menu_taken(viewer, w2, title) == "0/3 人"  # now in host 2's caches
    claimer = Client("10.0.4.2", token=fx.data["tokens"][20])
    status, _h, _t = claimer.request(w1, "POST", f"/api/v1/wishes/{wid}/claims", body={})
    assert status == 201
    assert _menu_taken(viewer, w2, title) == "1/3 人"


def test_an_export_built_by_the_job_host_downloads_through_either_web_host(fx):
    job_id = fx.data["export"]

    def done():
        with pg(fx.fleet.db_url) as con:
            return con.execute("SELECT status FROM export_jobs WHERE id = %s",
                               (job_id,)).fetchone()[0] == "done"
    wait_for(done, 60, "the export job")
    bodies = []
    for base in fx.web:
        admin = Client("10.0.5.1")
        admin.login(base, fx.data["phones"]["admin"])
        status, headers, body = admin.get(base, f"/ledger/exports/{job_id}/file")
        assert status == 200, status
        bodies.append(body)
    assert bodies[0] == bodies[1] and "服务台账" in bodies[0]
    assert (fx.fleet.root / "exports" / f"export-{job_id}.csv").exists()  # the shared dir
