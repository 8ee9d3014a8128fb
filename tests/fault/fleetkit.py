"""Helpers of the fleet's fault tests: a small HTTP client with cookies and a client address
of its own, the community the tests use, and the database's view of claims."""
import html
import http.client
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import psycopg
from sqlalchemy import select

from tests.fault.helpers import seed
from tests.fleet import wait_for
from webapp.extensions import db

PASSWORD = "fleet-pass-1"
N_PUSH, N_SMS, SMS_PEOPLE = 500, 500, 50  # 1,000 notifications, half push, half SMS
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class Client:
    """One browser (or API caller): its cookies, and its address as the proxy would pass it
    (X-Forwarded-For, trusted through PROXY_COUNT=1), so each test has its own client IP."""

    def __init__(self, ip: str, token: str | None = None):
        self.ip, self.token = ip, token
        self.cookies: dict[str, str] = {}

    def request(self, base: str, method: str, path: str, form: dict | None = None,
                body: dict | None = None, timeout: float = 30):
        """(status, headers with lower-case names, body text); OSError when the host is gone."""
        url = urlsplit(base)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
        headers = {"X-Forwarded-For": self.ip, "Accept-Language": "zh-CN"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if form is not None:
            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode(errors="replace")
        except http.client.HTTPException as e:  # a response cut off by a kill
            raise ConnectionError(repr(e)) from e
        finally:
            conn.close()
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                self._cookie(value)
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, text

    def _cookie(self, header: str) -> None:
        first, *attrs = header.split(";")
        name, _eq, value = first.strip().partition("=")
        gone = not value or any(a.strip().lower() == "max-age=0" for a in attrs)
        if gone:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, base: str, path: str):
        return self.request(base, "GET", path)

    def csrf(self, base: str, path: str) -> str:
        """The CSRF token of the form at `path`."""
        status, _h, text = self.get(base, path)
        assert status == 200, (path, status)
        m = CSRF.search(text)
        assert m, f"no CSRF token on {path}"
        return m.group(1) or m.group(2)

    def post(self, base: str, path: str, form: dict, csrf_from: str | None = None):
        """POST a form with the CSRF token of the page it is on."""
        token = self.csrf(base, csrf_from or path)
        return self.request(base, "POST", path, form=dict(form, csrf_token=token))

    def login(self, base: str, phone: str, password: str = PASSWORD) -> None:
        status, headers, text = self.post(base, "/login", {"phone": phone, "password": password})
        assert status == 302, (status, text[-500:])

    def signed_in(self, base: str) -> bool:
        """/me answers the page (signed in) or sends to the sign-in page."""
        status, headers, _t = self.get(base, "/me")
        assert status in (200, 302), status
        return status == 200 and "login" not in headers.get("location", "")


def seed_community(session, wish_count: int = 12, capacity: int = 3) -> dict:
    """The community of the fleet's tests (tests/fault/helpers.seed), with passwords for its
    resident, admin and first volunteers (hashed at the test's low argon2 cost: the hosts
    verify with the cost stored in the hash)."""
    from webapp.models import RoleGrant, User
    from webapp.services.people import passwords
    data = seed(session, members=30, wish_count=wish_count, capacity=capacity, closed=1)
    people = {"resident": "13800000001", "admin": "13800000002"}
    people.update({f"vol{i}": f"1390000{i:04d}" for i in range(4)})
    for phone in people.values():
        user = session.query(User).filter_by(phone=phone).one()
        user.password_hash = passwords.hash_password(PASSWORD)
        user.must_change_password = False
    # Volunteers 4-29 live in the building too (resident role): they book the meeting room.
    for i in range(4, 30):
        user = session.query(User).filter_by(phone=f"1390000{i:04d}").one()
        session.add(RoleGrant(user_id=user.id, role="resident", org_id=user.building_id))
    session.commit()
    return data | {"phones": people, "resource": _resource(session, data["community"])}


def _resource(session, community_id: int) -> int:
    """The community's own meeting room, open every day 09:00–12:00 for 8, no approval."""
    from webapp.models import User
    from webapp.schemas.lists import ResourceInput
    from webapp.services.lists import resources
    admin = session.query(User).filter_by(phone="13800000002").one()
    r = resources.create(session, admin, ResourceInput.model_validate(dict(
        community_id=community_id, unit_id=None, kind="venue", name="社区会议室",
        description="开会、活动", place="社区服务中心二楼", needs_approval=False,
        slots=[{"weekday": d, "start": "09:00", "end": "12:00", "capacity": 8}
               for d in range(1, 8)])))
    return r.id


def bookings_state(url: str, resource_id: int) -> dict:
    """Per slot-day: (capacity, taken, live bookings); and every booking id."""
    with pg(url) as con:
        uses = con.execute(
            "SELECT u.id, u.capacity, u.taken, (SELECT count(*) FROM bookings b "
            "WHERE b.use_id = u.id AND b.live) FROM slot_uses u "
            "JOIN resource_slots s ON s.id = u.slot_id WHERE s.resource_id = %s",
            (resource_id,)).fetchall()
        ids = {r[0] for r in con.execute("SELECT id FROM bookings")}
    return {"uses": {u: (c, t, n) for u, c, t, n in uses}, "booking_ids": ids}


def pg(url: str):
    """A psycopg connection to the fleet's database (SQLAlchemy URL accepted)."""
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def job_lock_grants(url: str) -> list[bool]:
    """Each session that holds (True) or waits for (False) the job lock, as the server says."""
    from webapp.services.platform.singleton import JOB_LOCK_KEY
    with pg(url) as con:
        return sorted(g for (g,) in con.execute(
            "SELECT granted FROM pg_locks WHERE locktype = 'advisory' AND objid = %s",
            (JOB_LOCK_KEY,)).fetchall())


def claims_state(url: str, wish_ids) -> dict:
    """Per wish: (capacity, taken, live claims); and every claim id."""
    with pg(url) as con:
        rows = con.execute("SELECT id, capacity, taken FROM wishes WHERE id = ANY(%s)",
                           (list(wish_ids),)).fetchall()
        live = dict(con.execute(
            "SELECT wish_id, count(*) FROM claims WHERE status IN "
            "('offered','active','started','done') GROUP BY wish_id").fetchall())
        ids = {r[0] for r in con.execute("SELECT id FROM claims")}
    return {"wishes": {w: (c, t, live.get(w, 0)) for w, c, t in rows}, "claim_ids": ids}



def queue_export(session, data) -> int:
    """A ledger export for the job host to build (queued early: its job runs every 10 s)."""
    from webapp.models import User, utcnow
    from webapp.services.ledger import exports, periods
    admin = session.query(User).filter_by(phone=data["phones"]["admin"]).one()
    job = exports.request_ledger_export(session, admin, data["community"],
                                        periods.parse(None, utcnow(), "year"), "csv")
    return job.id


def wrong_logins(ip: str, hosts, n: int) -> list[int]:
    c = Client(ip)
    out = []
    for i in range(n):
        status, _h, _t = c.post(hosts[i % len(hosts)], "/login",
                                {"phone": f"137{i:04d}{hash(ip) % 10000:04d}", "password": "x"})
        out.append(status)
    return out


def send_code(c: Client, base: str, phone: str) -> int:
    from webapp.web.guard import solve
    status, _h, page = c.get(base, "/login/code")
    assert status == 200
    ch = json.loads(html.unescape(re.search(r'data-altcha="([^"]+)"', page).group(1)))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    status, _h, _t = c.request(base, "POST", "/login/code", form={
        "action": "send", "phone": phone, "altcha": solve(ch), "csrf_token": token})
    return status


def menu_taken(c: Client, base: str, title: str) -> str:
    status, _h, page = c.get(base, "/menu")
    assert status == 200
    at = page.index(f">{title}<")
    return re.search(r"(\d+)/(\d+) 人", page[at:]).group(0)


def burst(fx, jobs, kill, after: int, outcomes: dict):
    """Run `jobs` (client, path) through the proxy 30 at a time; call kill() after `after`
    acknowledgements. Records 201 ids, 409s, cut-offs and anything else."""
    lock, enough = threading.Lock(), threading.Event()

    def attempt(job):
        client, path = job
        try:
            status, _h, text = client.request(fx.fleet.url, "POST", path, body={})
        except OSError:
            status, text = "gone", ""
        with lock:
            if status == 201:
                outcomes["acked"].append(json.loads(text)["id"])
                if len(outcomes["acked"]) >= after:
                    enough.set()
            elif status in (409, 502, "gone"):
                outcomes[status] = outcomes.get(status, 0) + 1
            else:
                outcomes["other"].append((status, text[:200]))
    with ThreadPoolExecutor(max_workers=30) as pool:
        futures = [pool.submit(attempt, j) for j in jobs]
        wait_for(lambda: enough.is_set() or all(x.done() for x in futures), 60, "the burst")
        assert enough.is_set(), outcomes
        kill()
        for fut in futures:
            fut.result()


def queue_notifications(fx) -> tuple[set, set]:
    """500 pushes to one subscribed phone and 500 SMS to 50 numbers, written to the outbox as
    a web host writes them. Returns (notification ids pushed, SMS keys)."""
    from webapp.models import NotificationPreference, Outbox, User
    from webapp.services.notify import inbox
    from webapp.services.notify.notify import notify
    with fx.app.app_context():
        s = db.session
        texted = [User(phone=f"1370000{i:04d}", name=f"志愿者{i}") for i in range(SMS_PEOPLE)]
        pushed = User(phone="13600000001", name="推送")
        s.add_all([*texted, pushed])
        s.flush()
        for u in [*texted, pushed]:
            s.add(NotificationPreference(user_id=u.id, quiet_start=None, quiet_end=None))
        s.commit()
        inbox.subscribe(s, pushed, fx.browser.subscription(fx.push.endpoint("phone")),
                        allow_insecure=True)
        for i in range(N_PUSH):
            notify(s, [pushed.id], "daily_digest", note=f"第{i}条")
        for i in range(N_SMS // SMS_PEOPLE):
            notify(s, [u.id for u in texted], "reminder_before", note=f"第{i}次")
        s.commit()
        rows = s.execute(select(Outbox.id, Outbox.notification_id, Outbox.channel)).all()
        db.session.remove()
    push_ids = {n for _i, n, ch in rows if ch == "push"}
    sms_keys = {f"wg{i}" for i, _n, ch in rows if ch == "sms"}
    assert len(push_ids) == N_PUSH and len(sms_keys) == N_SMS
    return push_ids, sms_keys
