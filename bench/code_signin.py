"""Sign-in by SMS code (challenge page + send + verify) against password sign-in, in one run,
through the test client with the production argon2 cost; prints medians and the ratio
(target: a code sign-in costs no more than two password sign-ins).

Run: python bench/code_signin.py [--rounds 30]
The ALTCHA proof of work is solved outside the timed part (it runs on the person's phone)
and reported on its own line; limits are off so one number can sign in repeatedly.
"""
import argparse
import html
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import Config  # noqa: E402
from webapp import create_app  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wishgrid-bench-code-"))

    class Cfg(Config):
        TESTING = True
        WTF_CSRF_ENABLED = False
        RATELIMIT_ENABLED = False
        CODE_LIMITS_ENABLED = False
        SECRET_KEY = "bench"
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp / 'bench.sqlite3'}"
        SMS_TEMPLATES = {"code": {"code": "SMS_CODE", "params": {"code": "code"}}}

    app = create_app(Cfg)
    from sqlalchemy import select
    from webapp.web import guard
    from webapp.extensions import db
    from webapp.models import Outbox, User
    from webapp.services.people import orgs
    from webapp.services.people.passwords import hash_password
    with app.app_context():
        db.create_all()
        street = orgs.add_org(db.session, "street", "街道")
        com = orgs.add_org(db.session, "community", "社区", street)
        bld = orgs.add_org(db.session, "building", "1号楼", orgs.add_org(db.session, "grid", "网格", com))
        phone = "13800001234"
        db.session.add(User(phone=phone, name="测试", password_hash=hash_password("bench-pass-1"),
                            building_id=bld.id))
        db.session.commit()

        client = app.test_client()

        def password_signin() -> float:
            t = time.perf_counter()
            r = client.post("/login", data={"phone": phone, "password": "bench-pass-1"})
            dt = time.perf_counter() - t
            assert r.status_code == 302, r.status_code
            client.post("/logout")
            return dt

        solve_times = []

        def code_signin() -> float:
            t = time.perf_counter()
            page = client.get("/login/code").get_data(as_text=True)
            ch = json.loads(html.unescape(re.search(r'data-altcha="([^"]+)"', page).group(1)))
            paused = time.perf_counter()
            payload = guard.solve(ch)  # on the phone, not the server
            solve_times.append(time.perf_counter() - paused)
            resumed = time.perf_counter()
            r = client.post("/login/code", data={"action": "send", "phone": phone, "altcha": payload})
            assert r.status_code == 200, r.status_code
            code = db.session.scalar(select(Outbox.params).order_by(Outbox.id.desc()))["code"]
            r = client.post("/login/code", data={"action": "verify", "phone": phone, "code": code})
            dt = (paused - t) + (time.perf_counter() - resumed)
            assert r.status_code == 302, r.status_code
            client.post("/logout")
            return dt

        password_signin(), code_signin()  # warm up
        pw, cd = [], []
        for _ in range(args.rounds):  # in turns, so background load hits both alike
            pw.append(password_signin())
            cd.append(code_signin())
    p, c = statistics.median(pw), statistics.median(cd)
    print(f"password sign-in      median {p * 1000:7.1f} ms  ({args.rounds} rounds)")
    print(f"code sign-in (3 req.) median {c * 1000:7.1f} ms")
    print(f"ALTCHA solve (client) median {statistics.median(solve_times) * 1000:7.1f} ms (not in the ratio)")
    print(f"ratio code/password: {c / p:.2f}  (target ≤ 2.00: {'met' if c / p <= 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
