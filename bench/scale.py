"""Benchmark: menu latency at 10k, 100k and 1M wishes (not a test).

    python bench/scale.py [--sizes 10000,100000,1000000] [--db URL]

Seeds wishes in bulk (Core executemany), growing the same database from one size to the
next, and at each size times the member's menu page (GET /menu through the test client:
query, cards, template) on the first page and five pages deep, plus the bare service call.
Prints the query plans of the menu's statements at the largest size. Target: growth ≤ 1.5×
from 10k to 1M (the keyset scan reads a page of index entries whatever the table holds).
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-bench-"))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402

from config import TestConfig  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Category, Org, RoleGrant, User, Wish  # noqa: E402
from webapp.services.wishes import menu  # noqa: E402

COMMUNITIES, GRIDS, BUILDINGS = 20, 10, 4
# Of all wishes ever posted, most are long closed; the menu shows the published ones.
STATUS_MIX = [("closed", 70), ("published", 15), ("claimed", 5), ("in_service", 3),
              ("confirmed", 4), ("pending_review", 2), ("withdrawn", 1)]
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)


def build_world():
    """Orgs, categories, a resident per community and the measuring member (grid 1 of 1)."""
    s = db.session
    street = Org(kind="street", name="基准街道", settings={})
    s.add(street)
    s.flush()
    layout = []
    for i in range(COMMUNITIES):
        c = Org(kind="community", name=f"社区{i + 1}", parent_id=street.id, street_id=street.id,
                settings={})
        s.add(c)
        s.flush()
        cat = Category(community_id=c.id, name="助老助残", position=0)
        s.add(cat)
        resident = User(phone=f"1380000{i:04d}", name=f"居民{i}")
        s.add(resident)
        s.flush()
        for g in range(GRIDS):
            grid = Org(kind="grid", name=f"网格{g + 1}", parent_id=c.id, street_id=street.id,
                       community_id=c.id, settings={})
            s.add(grid)
            s.flush()
            for b in range(BUILDINGS):
                bld = Org(kind="building", name=f"{b + 1}号楼", parent_id=grid.id,
                          street_id=street.id, community_id=c.id, grid_id=grid.id, settings={})
                s.add(bld)
                s.flush()
                layout.append((c.id, grid.id, bld.id, cat.id, resident.id))
    first_building = layout[0][2]
    member = User(phone="13900000000", name="基准党员", building_id=first_building)
    s.add(member)
    s.flush()
    s.add(RoleGrant(user_id=member.id, role="member", org_id=layout[0][0]))
    s.commit()
    return layout, member.id


def seed_wishes(layout, start: int, count: int, rng: random.Random, batch: int = 20000):
    """Insert `count` wishes in bulk; times spread over three years, newest last."""
    statuses = [s for s, w in STATUS_MIX for _ in range(w)]
    table = Wish.__table__
    done = 0
    while done < count:
        rows = []
        for k in range(min(batch, count - done)):
            n = start + done + k
            cid, gid, bid, cat, res = layout[rng.randrange(len(layout))]
            status = statuses[rng.randrange(len(statuses))]
            created = EPOCH + timedelta(seconds=n * 90 + rng.randrange(60))
            rows.append({
                "kind": "service", "title": f"帮忙修水龙头{n}", "description": "厨房水龙头漏水",
                "category_id": cat, "estimated_hours": 1, "capacity": 1,
                "taken": 1 if status in ("claimed", "in_service", "confirmed", "closed") else 0,
                "status": status, "resident_id": res, "posted_by_id": res, "on_behalf": False,
                "community_id": cid, "grid_id": gid, "building_id": bid,
                "escalation_level": 0, "created_at": created, "updated_at": created,
                "published_at": None if status in ("pending_review", "withdrawn")
                else created + timedelta(minutes=30),
            })
        if db.engine.dialect.name == "postgresql":
            # COPY: an order of magnitude faster than INSERT for a million rows.
            cols = list(rows[0])
            raw = db.session.connection().connection.driver_connection
            with raw.cursor() as cur, cur.copy(
                    f"COPY wishes ({', '.join(cols)}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row([row[c] for c in cols])
        else:
            db.session.execute(insert(table), rows)
        db.session.commit()
        done += len(rows)


def probes(app, member_id: int) -> dict:
    """Callables for one size: the menu page (first, sixth) and the bare service call."""
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = f"{member_id}.0", True

    def page(cursor=None):
        r = client.get("/menu", query_string={"cursor": cursor} if cursor else None)
        assert r.status_code == 200, r.status_code

    # Cursor five pages deep, found through the service (the page carries it in a link).
    with app.app_context():
        user = db.session.get(User, member_id)
        cur = None
        for _ in range(5):
            _items, cur = menu.list_wishes(db.session, user, view="menu", cursor=cur)
        db.session.remove()

    def service():
        with app.app_context():
            menu.list_wishes(db.session, db.session.get(User, member_id), view="menu")
            db.session.remove()
    return {"page1": page, "page6": lambda: page(cur), "service": service}


def measure_interleaved(all_probes: dict, runs: int) -> dict:
    """Median seconds per (size, probe); sizes alternate every round so load hits all alike."""
    samples = {size: {k: [] for k in p} for size, p in all_probes.items()}
    for rnd in range(runs + 2):
        for size, p in all_probes.items():
            for key, fn in p.items():
                t = time.perf_counter()
                fn()
                if rnd >= 2:  # two warm-up rounds
                    samples[size][key].append(time.perf_counter() - t)
    return {size: {k: statistics.median(v) for k, v in d.items()} for size, d in samples.items()}


def make_app(url: str):
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
    return create_app(Cfg)


def clone(app, url: str, n: int) -> str:
    """A copy of `app`'s database to grow into the next size (file copy / CREATE … TEMPLATE)."""
    with app.app_context():
        engine = db.engine
        src = engine.url
        if src.get_backend_name() == "sqlite":
            with engine.connect() as c:
                c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            dest = Path(src.database).with_name(f"scale{n}.sqlite3")
            shutil.copy(src.database, dest)
            return f"sqlite:///{dest}"
        engine.dispose()
        name = f"{src.database}_{n}"
        admin = create_engine(src, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            c.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{src.database}"')
        admin.dispose()
        return src.set(database=name).render_as_string(hide_password=False)


def explain(app, member_id: int) -> list[str]:
    """The plans of the statements one menu page runs against `wishes`."""
    out, seen = [], []
    with app.app_context():
        engine = db.engine

        def grab(conn, cursor, statement, params, context, executemany):
            if statement.lstrip().upper().startswith("SELECT") and "FROM wishes" in statement:
                seen.append((statement, params))
        event.listen(engine, "before_cursor_execute", grab)
        try:
            user = db.session.get(User, member_id)
            _items, cur = menu.list_wishes(db.session, user, view="menu")
            menu.list_wishes(db.session, user, view="menu", cursor=cur)
        finally:
            event.remove(engine, "before_cursor_execute", grab)
        raw = engine.raw_connection()
        try:
            c = raw.cursor()
            for statement, params in seen[:3]:
                prefix = ("EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite"
                          else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ")
                c.execute(prefix + statement, params)
                plan = [" ".join(str(x) for x in row[-1:]) for row in c.fetchall()]
                out.append(statement.split("FROM wishes", 1)[1].split("ORDER BY")[0].strip()
                           [:160] + "\n      " + "\n      ".join(plan))
        finally:
            raw.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='wishgrid-scale-')) / 'scale.sqlite3'}"
    rng = random.Random(7)
    apps, have = {}, 0
    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        layout, member_id = build_world()
        backend = db.engine.url.get_backend_name()
    print(f"database: {backend}  ({COMMUNITIES} communities × {GRIDS} grids; "
          f"menu of community 1, own grid first; one database per size, measured in turns)")
    for i, size in enumerate(sizes):
        if i:
            app = make_app(clone(app, url, size))
        t = time.perf_counter()
        with app.app_context():
            seed_wishes(layout, have, size - have, rng)
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            db.session.remove()
        print(f"  seeded {size:>9,} wishes in {time.perf_counter() - t:6.1f}s")
        have = size
        apps[size] = app
    results = measure_interleaved({s: probes(a, member_id) for s, a in apps.items()}, args.runs)
    for size in sizes:
        r = results[size]
        print(f"{size:>9,} wishes: menu page 1 {r['page1'] * 1000:6.2f} ms · page 6 "
              f"{r['page6'] * 1000:6.2f} ms · list_wishes {r['service'] * 1000:6.2f} ms")
    first, last = results[sizes[0]], results[sizes[-1]]
    print(f"\ngrowth {sizes[0]:,} → {sizes[-1]:,} (medians of {args.runs} turns):")
    ok = True
    for key in ("page1", "page6", "service"):
        ratio = last[key] / first[key]
        ok &= ratio <= 1.5
        print(f"  {key:8s} ×{ratio:.2f}  (target ≤ 1.5)  {'OK' if ratio <= 1.5 else 'MISSED'}")
    print("\nquery plans at the largest size:")
    for plan in explain(apps[sizes[-1]], member_id):
        print("  " + plan)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
