"""The fleet (tests/fleet/: nginx, 2 web hosts, 2 job hosts, PostgreSQL, Redis) measured:
menu and claim requests per second through the proxy with one web host and with two (one run,
printed as a ratio), and the job host's takeover time, the median of 5 kills.

    nice -n 19 python bench/fleet.py [--seconds 8] [--clients 16] [--kills 5]

On 2 CPUs expect a ratio near 1: the load generator, nginx, every gunicorn worker and
PostgreSQL share the same two cores. The point is that nothing in the app serialises across
hosts; the run prints where the CPU went, which names the bottleneck.
"""
import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fault.fleetkit import Client, seed_community  # noqa: E402
from tests.fleet import Fleet, wait_for  # noqa: E402
from tests.unit.pushkit import Browser, PushService  # noqa: E402


def cpu_seconds(pids) -> float:
    """User + system CPU of these processes and their children (from /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        for p in [pid, *_children(pid)]:
            try:
                f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(f[11]) + int(f[12])) / tick
            except (OSError, IndexError):
                pass
    return total


def _children(pid) -> list[int]:
    out = []
    try:
        for t in Path(f"/proc/{pid}/task").iterdir():
            kids = (t / "children").read_text().split()
            for k in kids:
                out += [int(k), *_children(int(k))]
    except OSError:
        pass
    return out


def load(fleet, make_request, clients: int, seconds: float) -> dict:
    """`clients` threads, each on one kept-alive connection to the proxy, for `seconds`."""
    stop = time.monotonic() + seconds
    counts = {"ok": 0, "other": 0}
    lock = threading.Lock()

    def run(n):
        conn = http.client.HTTPConnection("127.0.0.1", fleet.proxy_port, timeout=30)
        ok = other = 0
        while time.monotonic() < stop:
            method, path, headers, body = make_request(n)
            try:
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                r.read()
                ok, other = (ok + 1, other) if r.status in (200, 201, 409) else (ok, other + 1)
            except (OSError, http.client.HTTPException):
                other += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", fleet.proxy_port, timeout=30)
        with lock:
            counts["ok"] += ok
            counts["other"] += other
    procs = {"nginx": [fleet.nginx.pid], "web": [w.pid for w in fleet.webs],
             "postgresql": [fleet.pg.pid], "bench (load generator)": [os.getpid()]}
    before = {k: cpu_seconds(v) for k, v in procs.items()}
    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    cpu = {k: round((cpu_seconds(v) - before[k]) / wall, 2) for k, v in procs.items()}
    return {"rps": round(counts["ok"] / wall, 1), "errors": counts["other"], "cpu_cores": cpu}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--kills", type=int, default=5)
    args = ap.parse_args()
    browser = Browser()
    push = PushService()  # counts; a body cut off by a kill is not decrypted
    fleet = Fleet(extra_env={"WISHGRID_TEST_PUSH_LOOPBACK": "1", "WISHGRID_DELIVER_SECONDS": "1"},
                  seed_demo=False, sms_provider="")
    results: dict = {}
    try:
        fleet.start(say=lambda m: print("==>", m, flush=True))
        from config import TestConfig
        from webapp import create_app
        from webapp.extensions import db

        class Cfg(TestConfig):
            SQLALCHEMY_DATABASE_URI = fleet.db_url
        app = create_app(Cfg)
        with app.app_context():
            # Enough open places that every claim of the run is a real one (201), not a 409.
            data = seed_community(db.session, wish_count=100, capacity=20)
            db.session.remove()
        viewers = []
        for i in range(4):
            c = Client(f"10.1.0.{i}")
            c.login(fleet.url, data["phones"][f"vol{i}"])
            viewers.append("; ".join(f"{k}={v}" for k, v in c.cookies.items()))

        def menu(n):
            return "GET", "/menu", {"Cookie": viewers[n % 4], "X-Forwarded-For": f"10.2.0.{n}"}, None
        claim_no = iter(range(10**9))
        tokens, wishes = data["tokens"][4:], data["open"]

        def claim(n):
            k = next(claim_no)
            return ("POST", f"/api/v1/wishes/{wishes[k % len(wishes)]}/claims",
                    {"Authorization": f"Bearer {tokens[(k // len(wishes)) % len(tokens)]}",
                     "Content-Type": "application/json", "X-Forwarded-For": f"10.3.0.{n}"}, b"{}")
        for hosts in (1, 2):
            fleet.use_web_hosts(hosts)
            load(fleet, menu, args.clients, 2)  # warm the workers' caches
            results[f"menu, {hosts} web host(s)"] = load(fleet, menu, args.clients, args.seconds)
            results[f"claims, {hosts} web host(s)"] = load(fleet, claim, args.clients, args.seconds)
            print(json.dumps(results, ensure_ascii=False, indent=1), flush=True)
        for kind in ("menu", "claims"):
            one, two = results[f"{kind}, 1 web host(s)"]["rps"], results[f"{kind}, 2 web host(s)"]["rps"]
            results[f"{kind} ratio 2/1"] = round(two / one, 2) if one else None
        results["job takeover (s), each kill"] = takeovers(fleet, app, push, browser, args.kills)
        results["job takeover (s), median"] = statistics.median(results["job takeover (s), each kill"])
    finally:
        fleet.stop()
        push.close()
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


def takeovers(fleet, app, push, browser, kills: int) -> list[float]:
    """Kill -9 the active job host while it delivers pushes; seconds until the other sends."""
    from webapp.extensions import db
    from webapp.models import NotificationPreference, User
    from webapp.services.notify import inbox
    from webapp.services.notify.notify import notify
    with app.app_context():
        u = User(phone="13600000009", name="推送")
        db.session.add(u)
        db.session.flush()
        db.session.add(NotificationPreference(user_id=u.id, quiet_start=None, quiet_end=None))
        db.session.commit()
        inbox.subscribe(db.session, u, browser.subscription(push.endpoint("bench")),
                        allow_insecure=True)
        out = []
        for k in range(kills):
            start = push.count()
            for i in range(400):
                notify(db.session, [u.id], "daily_digest", note=f"{k}-{i}")
            db.session.commit()
            wait_for(lambda: push.count() >= start + 50, 120, "deliveries")
            active = fleet.job_holding()
            fleet.jobs[active].kill9()
            killed, at_kill = time.monotonic(), push.count()
            wait_for(lambda: push.count() > at_kill + 1, 120, "the other job host")
            out.append(round(time.monotonic() - killed, 2))
            wait_for(lambda: push.count() >= start + 400, 120, "the rest")
            print(f"kill {k + 1}: taken over in {out[-1]} s", flush=True)
        db.session.remove()
    return out


if __name__ == "__main__":
    sys.exit(main())
