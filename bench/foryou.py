"""Benchmark: 为你推荐 (the ranked menu) against the plain menu (not a test).

    python bench/foryou.py [--size 10000] [--runs 30] [--db URL]

Builds bench/scale.py's world (20 communities, the measuring member in grid 1), seeds `size`
wishes, gives the member skills and free times, and times GET /menu and GET /menu/foryou
through the test client, interleaved so that background load hits both alike. Prints the
ratio; the target (issue 29 §3) is ranked ≤ 1.5 × plain.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-bench-"))

from bench.scale import build_world, make_app, seed_wishes  # noqa: E402
from webapp.extensions import db  # noqa: E402
from sqlalchemy import update  # noqa: E402

from webapp.models import Org, User  # noqa: E402

TARGET = 1.5


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--db", default=None)
    ap.add_argument("--cold", action="store_true",
                    help="bump the community's data version before every request (a busy "
                         "community: every cache misses, for both pages)")
    args = ap.parse_args()
    url = args.db or f"sqlite:///{os.environ['WISHGRID_INSTANCE']}/foryou.sqlite3"
    app = make_app(url)
    with app.app_context():
        db.create_all()
        layout, member_id = build_world()
        seed_wishes(layout, 0, args.size, random.Random(7))
        member = db.session.get(User, member_id)
        member.skills, member.availability = "维修、助老", ["2pm", "6am", "7am"]
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = f"{member_id}.0", True
    probes = {"plain": "/menu", "ranked": "/menu/foryou"}
    samples = {k: [] for k in probes}
    for rnd in range(args.runs + 2):
        for key, path in probes.items():
            if args.cold:
                with app.app_context():
                    db.session.execute(update(Org).where(Org.kind == "community")
                                       .values(data_version=Org.data_version + 1))
                    db.session.commit()
                    db.session.remove()
            t = time.perf_counter()
            r = client.get(path)
            assert r.status_code == 200, (path, r.status_code)
            if rnd >= 2:  # two warm-up rounds
                samples[key].append(time.perf_counter() - t)
    med = {k: statistics.median(v) * 1000 for k, v in samples.items()}
    ratio = med["ranked"] / med["plain"]
    print(f"database {url.split(':')[0]}, {args.size} wishes, {args.runs} runs each"
          f"{', cold (every cache misses)' if args.cold else ', warm'}")
    print(f"plain menu  /menu         p50 {med['plain']:.1f} ms")
    print(f"ranked      /menu/foryou  p50 {med['ranked']:.1f} ms")
    print(f"ranked / plain = {ratio:.2f}  (target ≤ {TARGET})  "
          f"{'OK' if ratio <= TARGET else 'MISSED'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
