"""Fault-test helpers: a small seeded community, and a real gunicorn serving a file database."""
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from webapp.models import Category, RoleGrant, User
from webapp.schemas.inputs import WishInput
from webapp.services.people import accounts, orgs
from webapp.services.wishes import claims, wishes

ROOT = Path(__file__).resolve().parents[2]


def seed(session, members=30, wish_count=10, capacity=3, closed=1) -> dict:
    """A community with `members` volunteers (with API tokens), open wishes and closed ones."""
    street = orgs.add_org(session, "street", "测试街道")
    ca = orgs.add_org(session, "community", "城西社区", street)
    grid = orgs.add_org(session, "grid", "第一网格", ca)
    bld = orgs.add_org(session, "building", "1号楼", grid)
    cat = session.query(Category).filter_by(community_id=ca.id).first()

    def person(name, phone, role, org):
        u = User(phone=phone, name=name, building_id=bld.id, address="1单元101")
        session.add(u)
        session.flush()
        session.add(RoleGrant(user_id=u.id, role=role, org_id=org.id))
        return u
    resident = person("王小明", "13800000001", "resident", bld)
    admin = person("孙主任", "13800000002", "community_admin", ca)
    vols = [person(f"志愿者{i}", f"1390000{i:04d}", "member", ca) for i in range(members)]
    session.commit()
    open_ids, closed_ids = [], []
    for i in range(wish_count + closed):
        w = wishes.post(session, resident, WishInput(kind="service", title=f"心愿{i}",
                                                     category=cat.id, capacity=capacity))
        wishes.review(session, admin, w.id, "approve")
        (open_ids if i < wish_count else closed_ids).append(w.id)
    for wid in closed_ids:
        made = [claims.claim(session, v, wid)[0] for v in vols[:capacity]]
        for c in made:
            claims.start(session, session.merge(c.volunteer), c.id)
        for c in made:
            claims.mark_done(session, session.merge(c.volunteer), c.id, 1.5)
        wishes.confirm(session, resident, wid, 5, "很好")
    tokens = [accounts.issue_token(session, v) for v in vols]
    return {"open": open_ids, "closed": closed_ids, "tokens": tokens, "capacity": capacity,
            "community": ca.id}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(db_url: str, instance: Path, **extra) -> dict:
    return dict(os.environ, DATABASE_URL=db_url, WISHGRID_INSTANCE=str(instance),
                SECRET_KEY="fault-test", RATELIMIT_ENABLED="0", PYTHONUNBUFFERED="1", **extra)


def start_gunicorn(env: dict, port: int, log: Path, threads: int = 8) -> subprocess.Popen:
    """gunicorn with the repository's gunicorn.conf.py, in its own process group."""
    env = dict(env, BIND=f"127.0.0.1:{port}", WEB_THREADS=str(threads))
    return subprocess.Popen([sys.executable, "-m", "gunicorn"], cwd=ROOT, env=env,
                            stdout=open(log, "ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Poll until the server answers (or fail early if it died)."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json",
                                        timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(delay)  # polling an observable condition, with backoff
        delay = min(delay * 2, 0.5)
    raise AssertionError("server did not come up")


def post_json(port: int, path: str, token: str, body=None, timeout: float = 30):
    """POST JSON; returns (status, parsed body) or raises OSError when the server is gone."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST",
                                 data=json.dumps(body or {}).encode(),
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    try:
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read() or b"{}"), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}"), dict(e.headers)
    except http.client.HTTPException as e:  # a response cut off by the kill
        raise ConnectionError(repr(e)) from e
