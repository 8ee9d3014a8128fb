"""Benchmark: the menu page and the claim endpoint under 50 concurrent clients (not a test).

    python bench/load.py [--db URL] [--clients 50] [--seconds 10] [--wishes 20000]

Starts gunicorn three times with the repository's gunicorn.conf.py and the same environment:
serving a bare Flask hello-world (bench/hello.py); Wishgrid with two no-op signed-in routes
(bench/floor.py: what any signed-in request costs before it does anything); and Wishgrid itself
on a seeded database. A small asyncio HTTP/1.1 client keeps `--clients` keep-alive connections
busy for `--seconds` against each, then fires a claim burst (every member claims every open
wish, in random order).
Targets (issue 15): signed-in no-op ≥ 0.5 of bare req/s; menu ≥ 0.5 of the signed-in no-op;
claim p99 ≤ 2 × the API no-op's p50 in the same run; exactly `capacity` winners per wish.
With `--clients` requests always in flight a claim's mean latency is at least
clients / (API floor req/s) (Little's law).
"""
import argparse
import asyncio
import os
import random
import runpy
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-load-"))

from sqlalchemy import func, insert, select, text  # noqa: E402

from bench.scale import EPOCH, build_world, seed_wishes  # noqa: E402
from config import TestConfig  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import LIVE_CLAIM_STATUSES, Claim, RoleGrant, User, Wish  # noqa: E402
from webapp.services.people import accounts  # noqa: E402

SECRET = "bench-secret"
CLAIM_WISHES, CAPACITY = 20, 5


def seed(url: str, members: int, wishes: int):
    """Background wishes (bulk), `members` volunteers of community 1, and wishes to claim."""
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = SECRET
    app = create_app(Cfg)
    rng = random.Random(11)
    with app.app_context():
        db.drop_all()
        db.create_all()
        layout, _member = build_world()
        seed_wishes(layout, 0, wishes, rng)
        cid, gid, bid, cat, res = layout[0]
        users = []
        for i in range(members):
            u = User(phone=f"1370000{i:04d}", name=f"党员{i}", building_id=bid)
            db.session.add(u)
            db.session.flush()
            db.session.add(RoleGrant(user_id=u.id, role="member", org_id=cid))
            users.append(u.id)
        db.session.commit()
        now = EPOCH + timedelta(days=2000)
        result = db.session.execute(insert(Wish.__table__).returning(Wish.__table__.c.id), [{
            "kind": "service", "title": f"周末陪老人聊天{i}", "description": "下午两点",
            "category_id": cat, "estimated_hours": 1, "capacity": CAPACITY, "taken": 0,
            "status": "published", "resident_id": res, "posted_by_id": res,
            "on_behalf": False, "community_id": cid, "grid_id": gid, "building_id": bid,
            "escalation_level": 0, "created_at": now, "updated_at": now, "published_at": now,
        } for i in range(CLAIM_WISHES)])
        claim_ids = [r[0] for r in result]
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        tokens = [accounts.issue_token(db.session, db.session.get(User, u)) for u in users]
        ser = app.session_interface.get_signing_serializer(app)
        cookies = [ser.dumps({"_user_id": f"{u}.0", "_fresh": True}) for u in users]
        db.engine.dispose()
    return claim_ids, tokens, cookies, app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app_uri: str, env: dict, port: int, log) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", app_uri], cwd=ROOT,
                            env=dict(env, BIND=f"127.0.0.1:{port}", ACCESS_LOG="/dev/null"),
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except urllib.error.HTTPError:
            return proc  # answering (a redirect or 404 is an answer)
        except OSError:
            time.sleep(0.05)  # polling until the server answers
    raise SystemExit(f"{app_uri} did not start")


def stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(30)


async def request(reader, writer, method, path, headers, body=b""):
    """One HTTP/1.1 request on a keep-alive connection; returns (status, body)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    writer.write(head.encode() + b"\r\n" + body)
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("server closed the keep-alive connection")
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    data = await reader.readexactly(length) if length else b""
    return status, data


async def throughput(port, path, headers_for, clients, seconds):
    """Requests per second and latencies with `clients` connections busy for `seconds`."""
    stop_at = time.perf_counter() + seconds
    lat, statuses = [], {}

    async def client(i):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            try:
                status, _ = await request(reader, writer, "GET", path, headers_for(i))
            except (ConnectionError, asyncio.IncompleteReadError):
                # gunicorn recycles a worker (max_requests) or drops an idle connection.
                statuses["reconnect"] = statuses.get("reconnect", 0) + 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            lat.append(time.perf_counter() - t)
            statuses[status] = statuses.get(status, 0) + 1
        writer.close()
    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return len(lat) / (time.perf_counter() - t0), lat, statuses


async def claim_burst(port, tokens, wish_ids):
    """Every member claims every wish (random order), all at once; latencies and outcomes."""
    lat, outcomes = [], {}

    async def member(token):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        order = list(wish_ids)
        random.shuffle(order)
        for wid in order:
            t = time.perf_counter()
            try:
                status, _ = await request(reader, writer, "POST",
                                          f"/api/v1/wishes/{wid}/claims",
                                          {"Authorization": f"Bearer {token}",
                                           "Content-Type": "application/json"}, b"{}")
            except (ConnectionError, asyncio.IncompleteReadError):
                outcomes["dropped"] = outcomes.get("dropped", 0) + 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            lat.append(time.perf_counter() - t)
            outcomes[status] = outcomes.get(status, 0) + 1
        writer.close()
    t0 = time.perf_counter()
    await asyncio.gather(*(member(t) for t in tokens))
    return lat, outcomes, time.perf_counter() - t0


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--wishes", type=int, default=20000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wishgrid-load-"))
    url = args.db or f"sqlite:///{tmp / 'load.sqlite3'}"
    claim_ids, tokens, cookies, app = seed(url, args.clients, args.wishes)
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET, RATELIMIT_ENABLED="0",
               WISHGRID_INSTANCE=str(tmp / "instance"), LOG_LEVEL="warning")
    os.environ["DATABASE_URL"] = url  # gunicorn.conf.py picks the shape from it
    shape = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    log = open(tmp / "gunicorn.log", "ab")
    port = free_port()
    results = {}

    proc = start("bench.hello:app", env, port, log)
    try:
        rps, lat, st = asyncio.run(throughput(port, "/", lambda i: {}, args.clients, args.seconds))
        results["bare"] = (rps, lat, st)
    finally:
        stop(proc)
    session = lambda i: {"Cookie": f"session={cookies[i % len(cookies)]}"}  # noqa: E731
    bearer = lambda i: {"Authorization": f"Bearer {tokens[i % len(tokens)]}"}  # noqa: E731
    proc = start("bench.floor:app", env, port, log)
    try:
        for name, path, headers in (("floor (signed-in no-op)", "/bench/floor/web", session),
                                    ("floor (API token no-op)", "/bench/floor/api", bearer)):
            results[name] = asyncio.run(throughput(port, path, headers, args.clients, args.seconds))
    finally:
        stop(proc)
    proc = start("webapp:create_app()", env, port, log)
    try:
        results["menu"] = asyncio.run(throughput(port, "/menu", session, args.clients, args.seconds))
        lat_c, outcomes, took = asyncio.run(claim_burst(port, tokens, claim_ids))
    finally:
        stop(proc)

    with app.app_context():
        taken = dict(db.session.execute(select(Wish.id, Wish.taken).where(Wish.id.in_(claim_ids))).all())
        live = dict(db.session.execute(select(Claim.wish_id, func.count(Claim.id)).where(
            Claim.wish_id.in_(claim_ids), Claim.status.in_(LIVE_CLAIM_STATUSES))
            .group_by(Claim.wish_id)).all())
    bare, menu = results["bare"], results["menu"]
    print(f"server: gunicorn.conf.py on {url.split(':')[0]}: {shape['workers']} worker(s) × "
          f"{shape['threads']} threads; {args.clients} clients, {args.seconds:.0f}s per phase, "
          f"{args.wishes:,} wishes; {os.cpu_count()} CPUs shared with the client")
    for name, (rps, lat, st) in results.items():
        print(f"  {name:24s} {rps:8.1f} req/s ({rps / bare[0]:.2f} of bare)  "
              f"p50 {pct(lat, 50) * 1000:6.1f} ms  p99 {pct(lat, 99) * 1000:6.1f} ms  statuses {st}")
    web_floor = results["floor (signed-in no-op)"][0]
    api_floor = results["floor (API token no-op)"][0]
    api_p50 = pct(results["floor (API token no-op)"][1], 50) * 1000
    floor_ratio, menu_ratio = web_floor / bare[0], menu[0] / web_floor
    exact = all(taken[w] == CAPACITY == live.get(w, 0) for w in claim_ids)
    p99 = pct(lat_c, 99) * 1000
    print(f"  claim {len(lat_c)} requests in {took:.1f}s  p50 {pct(lat_c, 50) * 1000:.1f} ms  "
          f"p99 {p99:.1f} ms  outcomes {outcomes}")
    ok = lambda good: "OK" if good else "MISSED"  # noqa: E731
    print(f"\nsigned-in no-op / bare = {floor_ratio:.2f}  (target ≥ 0.5)  {ok(floor_ratio >= 0.5)}")
    print(f"menu / signed-in no-op = {menu_ratio:.2f}  (target ≥ 0.5)  {ok(menu_ratio >= 0.5)}"
          f"  (menu / bare = {menu[0] / bare[0]:.2f})")
    print(f"claim p99 = {p99:.1f} ms = {p99 / api_p50:.1f} × the API no-op's p50 {api_p50:.1f} ms"
          f"  (target ≤ 2×)  {ok(p99 <= 2 * api_p50)}")
    print(f"  bound: mean latency ≥ {args.clients} in flight / {api_floor:.0f} req/s (API no-op) "
          f"= {args.clients / api_floor * 1000:.0f} ms; measured mean "
          f"{statistics.fmean(lat_c) * 1000:.0f} ms")
    print(f"winners: {sum(live.values())} for {CLAIM_WISHES} wishes × capacity {CAPACITY}; "
          f"every wish exactly full: {ok(exact)}")
    return 0 if (floor_ratio >= 0.5 and menu_ratio >= 0.5 and p99 <= 2 * api_p50
                 and exact) else 1


if __name__ == "__main__":
    sys.exit(main())
