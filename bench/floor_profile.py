"""Per-request cost in the test client, and where it goes (not a test).

    python bench/floor_profile.py [--profile web|api|menu|bare] [--n 2000] [--top 25] [--db URL]

Times, in one process on one database (a fresh SQLite file unless --db): bare Flask (bench/hello.py), the two
no-op signed-in routes of bench/floor.py (session cookie, bearer token) and the member's menu
(20,000 background wishes like bench/load.py), in turns; prints ms per request and the ratios.
With --profile, runs cProfile over one of them and prints the top functions by cumulative and
by own time: the profile that guides each change recorded in bench/RESULTS.md.
"""
import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-prof-"))


def build(wishes: int, url: str | None):
    """The floor app (Wishgrid + no-op routes) on a seeded database; a cookie and a token."""
    tmp = Path(tempfile.mkdtemp(prefix="wishgrid-prof-"))
    os.environ["DATABASE_URL"] = url or f"sqlite:///{tmp / 'prof.sqlite3'}"
    os.environ["SECRET_KEY"] = "bench-secret"
    os.environ["RATELIMIT_ENABLED"] = os.environ.get("RATELIMIT_ENABLED", "1")  # as deployed
    from bench.scale import build_world, seed_wishes
    from webapp.extensions import db
    from webapp.models import User
    from webapp.services.people import accounts
    import bench.floor as floor
    app = floor.app
    with app.app_context():
        db.drop_all()
        db.create_all()
        layout, member = build_world()
        seed_wishes(layout, 0, wishes, random.Random(11))
        token = accounts.issue_token(db.session, db.session.get(User, member))
        db.session.commit()
        ser = app.session_interface.get_signing_serializer(app)
        cookie = ser.dumps({"_user_id": f"{member}.0", "_fresh": True})
        db.engine.dispose()
    return app, cookie, token


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", choices=["bare", "web", "api", "menu"])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--wishes", type=int, default=20000)
    ap.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    args = ap.parse_args()
    from bench.hello import app as hello
    app, cookie, token = build(args.wishes, args.db)
    bare_c = hello.test_client()
    c = app.test_client()
    c.set_cookie("session", cookie)
    auth = {"Authorization": f"Bearer {token}"}
    cases = {
        "bare": lambda: bare_c.get("/"),
        "web": lambda: c.get("/bench/floor/web"),
        "api": lambda: c.get("/bench/floor/api", headers=auth),
        "menu": lambda: c.get("/menu"),
    }
    for name, fn in cases.items():  # warm up, and check every case answers 200
        for _ in range(20):
            r = fn()
        assert r.status_code == 200, (name, r.status_code, r.headers.get("Location"))
    if args.profile:
        fn = cases[args.profile]
        n = args.n if args.profile != "menu" else max(args.n // 10, 50)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            fn()
        prof.disable()
        st = pstats.Stats(prof)
        print(f"cProfile of {args.profile} × {n} (times are totals over all requests)")
        st.sort_stats("cumulative").print_stats(args.top)
        st.sort_stats("tottime").print_stats(args.top)
        return 0
    times = {k: [] for k in cases}
    for _turn in range(7):
        for name, fn in cases.items():
            n = args.n // 10 if name == "menu" else args.n // 4
            t = time.perf_counter()
            for _ in range(n):
                fn()
            times[name].append((time.perf_counter() - t) / n * 1000)
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in med.items():
        print(f"  {k:5s} {v:7.3f} ms/request")
    print(f"  web floor / bare (req/s) = {med['bare'] / med['web']:.2f};  "
          f"api / bare = {med['bare'] / med['api']:.2f};  menu / web floor = "
          f"{med['web'] / med['menu']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
