"""Benchmark: a whole district on one machine (issue 27 items 1-2; not a test).

    nice -n 19 python bench/district.py [--scale 0.02] [--demo-scale 0.001] [--runs 5]
                                        [--db URL] [--cache DIR] [--jobs]

Builds a district by bulk inserts (Core executemany; real hash chains for the ledger) that
respect every constraint: the full tree always (10 streets, 100 communities, 1,000 grids,
10,000 buildings, 300 units, their staff), and people, wishes and ledger entries times --scale
(1.0 = 500,000 residents, 30,000 members, 2,000,000 wishes in every state, 5,000,000 ledger
entries). Each size is built once and cached on disk (SQLite: --cache/district-<scale>.sqlite3;
PostgreSQL: --db names a server, the database district_<scale> is kept there). The "demo size"
is the same builder at --demo-scale (0.001: 500 residents, 2,000 wishes, 5,000 entries).

Then, for the main pages as the role that uses them, the median time at both sizes (two apps,
requests interleaved so load hits both alike), the growth ratio (target ≤ 1.5), and for the
slowest statement of each page at district size its plan (EXPLAIN QUERY PLAN / EXPLAIN).
--jobs also times each follow-up job over the district and the longest write transaction
(--job NAME: only that one, e.g. ledger_checks: one run of the job that re-hashes whole chains).
Pairings, visits and a finished evaluation round come from bench/district_pairs.py (added
to a cache built before them).
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-bench-"))

from sqlalchemy import event, insert, inspect, select, text  # noqa: E402

from config import TestConfig  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import (Category, LedgerChain, LedgerEntry, Org, RoleGrant, Unit, User,  # noqa: E402
                           Wish)
from webapp.services.ledger import ledger, periods  # noqa: E402

STREETS, COMMUNITIES, GRIDS, BUILDINGS, UNITS = 10, 10, 10, 10, 3  # per parent
FULL = {"residents": 500_000, "members": 30_000, "wishes": 2_000_000, "ledger": 5_000_000}
STATUS_MIX = [("closed", 60), ("published", 15), ("claimed", 5), ("in_service", 3),
              ("done", 3), ("confirmed", 4), ("pending_review", 5), ("withdrawn", 2),
              ("rejected", 1), ("expired", 2)]
TAKEN = {"claimed", "in_service", "done", "confirmed", "closed"}
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
BATCH = 20_000


def _bulk(model, rows):
    if rows:
        db.session.execute(insert(model), rows)


def build(scale: float) -> None:
    """The district at `scale` into the app's empty database (tables already created)."""
    s, rng = db.session, random.Random(27)
    now = datetime.now(timezone.utc)
    comms = []  # (community id, street id, [(grid id, [building ids])], [category ids], [unit ids])
    for si in range(STREETS):
        street = Org(kind="street", name=f"第{si + 1}街道", settings={})
        s.add(street)
        s.flush()
        for ci in range(COMMUNITIES):
            c = Org(kind="community", name=f"{si + 1}-{ci + 1}社区", parent_id=street.id,
                    street_id=street.id, settings={})
            s.add(c)
            s.flush()
            grids = []
            for gi in range(GRIDS):
                g = Org(kind="grid", name=f"第{gi + 1}网格", parent_id=c.id, street_id=street.id,
                        community_id=c.id, settings={})
                s.add(g)
                s.flush()
                bs = [Org(kind="building", name=f"{b + 1}号楼", parent_id=g.id, street_id=street.id,
                          community_id=c.id, grid_id=g.id, settings={}) for b in range(BUILDINGS)]
                s.add_all(bs)
                s.flush()
                grids.append((g.id, [b.id for b in bs]))
            cats = [Category(community_id=c.id, name=f"类别{k + 1}", position=k) for k in range(8)]
            units = [Unit(name=f"{si + 1}-{ci + 1}单位{u + 1}", community_id=c.id,
                          status="approved") for u in range(UNITS)]
            s.add_all(cats + units)
            s.flush()
            comms.append((c.id, street.id, grids, [k.id for k in cats], [u.id for u in units]))
    s.commit()
    n = {k: max(int(v * scale), 1) for k, v in FULL.items()}
    # People: residents and members spread over the buildings, then their roles; staff.
    users, grants, phone = [], [], iter(range(10**9))
    for i in range(n["residents"] + n["members"]):
        cid, _st, grids, _c, units = comms[i % len(comms)]
        gid, bids = grids[(i // len(comms)) % GRIDS]
        users.append({"name": f"居民{i}" if i < n["residents"] else f"党员{i}",
                      "phone": f"13{next(phone):09d}", "building_id": bids[i % BUILDINGS],
                      "community_id": cid,
                      "address": f"{i % 6 + 1}单元{i % 30 + 101}", "created_at": now,
                      "unit_id": units[i % UNITS] if i >= n["residents"] else None})
    for k in range(0, len(users), BATCH):
        _bulk(User, users[k:k + BATCH])
    s.commit()
    first = s.scalar(select(User.id).order_by(User.id))
    building_of = {}
    for cid, _st, grids, _c, _u in comms:
        for gid, bids in grids:
            for b in bids:
                building_of[b] = (cid, gid)
    for i, u in enumerate(users):
        cid = building_of[u["building_id"]][0]
        grants.append({"user_id": first + i, "role": "resident" if i < n["residents"] else "member",
                       "org_id": u["building_id"] if i < n["residents"] else cid, "active": True})
    for k in range(0, len(grants), BATCH):
        _bulk(RoleGrant, grants[k:k + BATCH])
    staff = []
    for ci, (cid, st, grids, _c, units) in enumerate(comms):
        staff.append(("community_admin", cid, None, grids[0][1][0]))
        staff += [("grid_worker", gid, None, bids[0]) for gid, bids in grids]
        staff += [("unit_admin", cid, u, grids[0][1][0]) for u in units]
        if ci % COMMUNITIES == 0:
            staff.append(("street_admin", st, None, None))
    for j, (role, org, unit, building) in enumerate(staff):
        u = User(name=f"{role}{j}", phone=f"17{j:09d}", building_id=building, unit_id=unit)
        s.add(u)
        s.flush()
        s.add(RoleGrant(user_id=u.id, role=role, org_id=org, unit_id=unit))
    s.commit()
    _wishes(n["wishes"], comms, first, n["residents"], rng)
    _ledger(n["ledger"], comms, first + n["residents"], n["members"], now)
    s.execute(text(TOTALS))
    s.execute(text(POINTS))
    s.execute(text(SERVICES))
    s.execute(text(MONTHS))
    s.commit()
    _shop_accounts(now)
    from bench import district_pairs  # pairings, visits, an evaluation round
    district_pairs.build(now)
    s.execute(text("ANALYZE"))
    s.commit()


# The ledger's summary (models.LedgerTotal), which ledger.append keeps line by line.
TOTALS = ("INSERT INTO ledger_totals (community_id, volunteer_id, hours) SELECT community_id, "
          "volunteer_id, sum(hours) FROM ledger_entries GROUP BY community_id, volunteer_id")
# And its points per member and month as the shop counts them (models.LedgerPoints).
POINTS = ("INSERT INTO ledger_points (community_id, volunteer_id, service_month, points) "
          "SELECT community_id, volunteer_id, service_month, sum(points) FROM ledger_entries "
          "WHERE volunteer_id IS NOT NULL AND (basis IS NULL OR basis != 'honour') "
          "GROUP BY community_id, volunteer_id, service_month")
# And its services (records netting above 0) and hours per member and month, as the national
# export counts them (models.LedgerServices).
SERVICES = ("INSERT INTO ledger_services (community_id, service_month, volunteer_id, services, "
            "hours) SELECT community_id, service_month, volunteer_id, "
            "sum(CASE WHEN h > 0 THEN 1 ELSE 0 END), sum(h) FROM (SELECT community_id, "
            "service_month, volunteer_id, record_id, sum(hours) AS h FROM ledger_entries "
            "WHERE record_id IS NOT NULL GROUP BY community_id, service_month, volunteer_id, "
            "record_id) AS per_record GROUP BY community_id, service_month, volunteer_id")

# And its net hours per community and month (models.LedgerMonth).
MONTHS = ("INSERT INTO ledger_months (community_id, service_month, hours) SELECT community_id, "
          "service_month, sum(hours) FROM ledger_entries GROUP BY community_id, service_month")


def _wishes(count, comms, first, residents, rng):
    statuses = [st for st, w in STATUS_MIX for _ in range(w)]
    for k in range(0, count, BATCH):
        rows = []
        for i in range(k, min(k + BATCH, count)):
            r = rng.randrange(residents)
            cid, _st, grids, cats, _u = comms[r % len(comms)]
            gid, bids = grids[(r // len(comms)) % GRIDS]
            status = statuses[rng.randrange(len(statuses))]
            created = EPOCH + timedelta(seconds=i * 30)
            rows.append({"kind": "service", "title": f"帮忙修水龙头{i}", "description": "厨房漏水",
                         "category_id": cats[i % 8], "estimated_hours": 1, "capacity": 1,
                         "taken": 1 if status in TAKEN else 0, "status": status,
                         "resident_id": first + r, "posted_by_id": first + r, "on_behalf": False,
                         "community_id": cid, "grid_id": gid, "building_id": bids[r % BUILDINGS],
                         "escalation_level": 0, "created_at": created, "updated_at": created,
                         "published_at": None if status in ("pending_review", "withdrawn",
                                                            "rejected")
                         else created + timedelta(minutes=30)})
        _bulk(Wish, rows)
        db.session.commit()


def _ledger(count, comms, first_member, members, now):
    per = max(count // len(comms), 1)
    t0, span = datetime(2025, 1, 1, 2, tzinfo=timezone.utc), 700 * 86400
    for ci, (cid, _st, grids, cats, units) in enumerate(comms):
        prev, rows = ledger.GENESIS, []
        for seq in range(1, per + 1):
            vol = first_member + (ci + len(comms) * (seq % max(members // len(comms), 1))) % members
            day = t0 + timedelta(seconds=(seq * span) // per)
            h = Decimal(1 + seq % 6) / 2
            row = {"community_id": cid, "seq": seq, "volunteer_id": vol,
                   "unit_id": units[seq % UNITS] if seq % 3 else None, "wish_id": None,
                   "record_id": None, "grid_id": grids[seq % GRIDS][0], "category_id": cats[seq % 8],
                   "service_date": day, "service_month": periods.month_key(day), "hours": h,
                   "points": h, "kind": "entry", "reverses_id": None, "reason": None,
                   "actor_id": None, "created_at": now, "prev_hash": prev}
            row["hash"] = prev = ledger.entry_hash(row)
            rows.append(row)
            if len(rows) == BATCH:
                _bulk(LedgerEntry, rows)
                rows = []
        _bulk(LedgerEntry, rows)
        db.session.add(LedgerChain(community_id=cid, last_seq=per, last_hash=prev, cert_seq=0))
        db.session.commit()


PAGES = [  # (role, path): the main pages as the role that uses them
    ("member", "/menu"), ("member", "/menu?q=修水龙头12"), ("member", "/orders"),
    ("member", "/ledger/me"), ("member", "/me"),
    ("resident", "/my/wishes"), ("resident", "/"),
    ("community_admin", "/admin/review"), ("community_admin", "/admin/wishes"),
    ("community_admin", "/admin/wishes?q=修水龙头12"), ("community_admin", "/admin/wishes?q=修水龙头"),
    # Searches too short for the indexes (a surname, a word every resident's name holds): each
    # once read every user of the district (session 20)
    ("community_admin", "/admin/wishes?q=王"), ("community_admin", "/admin/wishes?q=居民"),
    ("community_admin", "/admin/registrations"), ("community_admin", "/admin/registrations?q=居民"),
    ("community_admin", "/staff/people"), ("community_admin", "/staff/people?q=王"),
    ("community_admin", "/staff/people?q=居民12"),
    ("community_admin", "/staff/people?q=139"), ("community_admin", "/staff/people?q=居民"),
    ("community_admin", "/ledger/"),
    ("community_admin", "/ledger/tallies"), ("community_admin", "/staff/backlog"),
    ("grid_worker", "/residents/new?q=居民1"), ("street_admin", "/ledger/street"),
    ("street_admin", "/staff/log"), ("unit_admin", "/ledger/unit"),
    # 积分台账 of last month (the catalogue opens the current one): a past period
    ("community_admin", "/shop/accounts?period=" + periods.current("month", periods.current(
        "month", datetime.now(timezone.utc)).start - timedelta(days=1)).key),
]


# The staff's lists are kept per data version of their communities (menu_cache.staff_list), and
# PAGES times a repeat view. Timed here as well on a miss, the first view after any change to
# the community: the list's cache emptied before each request.
MISSES = [("community_admin", "/admin/review"), ("community_admin", "/admin/wishes"),
          ("community_admin", "/admin/wishes?q=修水龙头12"),
          ("community_admin", "/admin/wishes?q=修水龙头"), ("community_admin", "/admin/wishes?q=居民")]


def app_for(scale: float, args):
    """An app on the cached district of this scale, building it first if need be."""
    if args.db:
        from sqlalchemy import create_engine, make_url
        base = make_url(args.db)
        name = f"district_{str(scale).replace('.', '_')}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            fresh = not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                    {"n": name})
            if fresh:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = base.set(database=name).render_as_string(hide_password=False)
    else:
        path = Path(args.cache) / f"district-{scale}.sqlite3"
        fresh = not path.exists()
        url = f"sqlite:///{path}"

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
    app = create_app(Cfg)
    with app.app_context():
        from bench import district_pairs  # pairings, visits, an evaluation round
        if fresh:
            t = time.perf_counter()
            db.create_all()
            build(scale)
            print(f"built scale {scale} in {time.perf_counter() - t:.0f} s ({url.split('@')[-1]})",
                  flush=True)
        elif district_pairs.needed():  # a cache built before them gets them without a rebuild
            t = time.perf_counter()
            n = district_pairs.build()
            print(f"added {n} to scale {scale} in {time.perf_counter() - t:.0f} s", flush=True)
        _kept_counts()
        _scoped_search()
        _pieces()
        _clustered()
        _indexes()
        app.counts = {m.__tablename__: db.session.scalar(text(
            f"SELECT COUNT(*) FROM {m.__tablename__}")) for m in (User, Wish, LedgerEntry)}
        app.viewers = {role: db.session.scalar(select(RoleGrant.user_id).where(
            RoleGrant.role == role).order_by(RoleGrant.id)) for role, _p in PAGES}
        db.session.remove()
    return app


def _shop_accounts(now) -> None:
    """Each member's kept points account (models.ShopAccount), as the shop's writes keep it."""
    from webapp.services.shop import kept
    for org in db.session.scalars(select(Org).where(Org.kind == "community")).all():
        kept.rebuild(db.session, org, now)
        db.session.commit()


# Indexes the models declared once and no longer do (a wider one took their place).
RETIRED = ("ix_role_grants_org_id", "ix_pairings_created_by_id")


def _indexes() -> None:
    """A cache built before an index the models now declare gets it (once, then its table is
    analysed so the planner knows it); a RETIRED index is dropped."""
    db.session.remove()
    with db.engine.begin() as conn:
        for name in RETIRED:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        have = inspect(conn)
        for table in db.metadata.sorted_tables:
            found = {i["name"] for i in have.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in found:
                    index.create(conn)
                    conn.exec_driver_sql(f"ANALYZE {table.name}")


def _clustered() -> None:
    """A SQLite cache built before a table was declared without rowid (the kept summaries,
    clustered by their key) gets it rebuilt so (once)."""
    if db.engine.dialect.name != "sqlite":
        return
    db.session.remove()
    for table in db.metadata.sorted_tables:
        if table.dialect_options["sqlite"]["with_rowid"] is not False:
            continue
        with db.engine.begin() as conn:
            ddl = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :t"),
                              {"t": table.name})
            if "WITHOUT ROWID" in ddl.upper():
                continue
            started = time.perf_counter()
            conn.exec_driver_sql(f"ALTER TABLE {table.name} RENAME TO old_{table.name}")
            for (index,) in conn.execute(text(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    "AND tbl_name = :t"), {"t": f"old_{table.name}"}).all():
                conn.exec_driver_sql(f"DROP INDEX {index}")
            table.create(conn)
            columns = ", ".join(c.name for c in table.columns)
            conn.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) "
                                 f"SELECT {columns} FROM old_{table.name}")
            conn.exec_driver_sql(f"DROP TABLE old_{table.name}")
            conn.exec_driver_sql(f"ANALYZE {table.name}")
            print(f"{table.name} clustered by its key in {time.perf_counter() - started:.0f} s",
                  flush=True)


def _scoped_search() -> None:
    """A SQLite cache built before its title index was keyed by community (models/search.py,
    SCOPED) gets that index rebuilt (once)."""
    from webapp.models.search import SCOPED, create_ddl, fts
    if db.engine.dialect.name != "sqlite":
        return
    db.session.remove()
    for table in SCOPED:
        t = fts(table)
        with db.engine.begin() as conn:
            if conn.scalar(text("SELECT 1 FROM sqlite_master WHERE name = :v"), {"v": t + "_src"}):
                continue
            started = time.perf_counter()
            for old in (f"TRIGGER IF EXISTS {t}_ai", f"TRIGGER IF EXISTS {t}_ad",
                        f"TRIGGER IF EXISTS {t}_au", f"TABLE IF EXISTS {t}"):
                conn.exec_driver_sql(f"DROP {old}")
            for statement in create_ddl("sqlite"):
                if f" {t}" in statement or f"{t}(" in statement:
                    conn.exec_driver_sql(statement)
            print(f"{t} keyed by community in {time.perf_counter() - started:.0f} s", flush=True)


def _pieces() -> None:
    """A cache built before the indexes of one- and two-character pieces (models/search.py:
    SQLite's tables, PostgreSQL's GIN indexes), or before PostgreSQL's tagged trigrams, gets
    them (once)."""
    from webapp.models.search import SEARCHED, create_ddl, grams
    db.session.remove()
    if db.engine.dialect.name == "postgresql":  # its GIN indexes over the pieces' expression
        with db.engine.begin() as conn:
            for statement in create_ddl("postgresql"):
                if statement.startswith("CREATE OR REPLACE FUNCTION"):
                    conn.exec_driver_sql(statement)
                    continue
                if "_pieces ON" not in statement and "_tagged ON" not in statement:
                    continue
                _c, _i, _if, _n, _e, index, _on, table = statement.split(" ")[:8]
                if not conn.scalar(text("SELECT 1 FROM pg_class WHERE relname = :n"),
                                   {"n": index}):
                    started = time.perf_counter()
                    conn.exec_driver_sql(statement)
                    conn.exec_driver_sql(f"ANALYZE {table}")
                    print(f"{index} added in {time.perf_counter() - started:.0f} s", flush=True)
        return
    for table in SEARCHED:
        g = grams(table)
        with db.engine.begin() as conn:
            if conn.scalar(text("SELECT 1 FROM sqlite_master WHERE name = :g"), {"g": g}):
                continue
            started = time.perf_counter()
            for statement in create_ddl("sqlite"):
                if f" {g}" in statement or f"{g}(" in statement:
                    conn.exec_driver_sql(statement)
            print(f"{g} added in {time.perf_counter() - started:.0f} s", flush=True)


def _kept_counts() -> None:
    """A cache built before the buildings kept their household and people counts or visited
    pairings per year, or the ledger its points or services per member and month or its hours per
    community and month, gets them (once)."""
    from sqlalchemy import inspect as inspect_db
    from webapp.services.pairing import tally
    from webapp.models import LedgerMonth, LedgerPoints, LedgerServices
    db.session.remove()
    # The buildings' kept counts first: every read of an org below names them.
    have = {c["name"] for c in inspect_db(db.engine).get_columns("orgs")}
    missing = [c for c in ("households", "unpaired", "people", "not_activated") if c not in have]
    with db.engine.begin() as conn:
        for column in missing:
            conn.exec_driver_sql(f"ALTER TABLE orgs ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
    for model, fill in ((LedgerPoints, POINTS), (LedgerServices, SERVICES), (LedgerMonth, MONTHS)):
        with db.engine.begin() as conn:  # the table alone (no search DDL re-run), then its rows
            model.__table__.create(conn, checkfirst=True)
            if conn.scalar(text(f"SELECT 1 FROM {model.__tablename__} LIMIT 1")) is None:
                t = time.perf_counter()
                conn.execute(text(fill))
                print(f"{model.__tablename__} added in {time.perf_counter() - t:.0f} s",
                      flush=True)
    from webapp.models import LedgerCheck, ShopAccount, ShopLapse
    with db.engine.begin() as conn:
        for model in (ShopAccount, ShopLapse, LedgerCheck):  # LedgerCheck: empty until checked
            model.__table__.create(conn, checkfirst=True)
        empty = conn.scalar(text("SELECT 1 FROM shop_accounts LIMIT 1")) is None
    if empty:
        t = time.perf_counter()
        _shop_accounts(datetime.now(timezone.utc))
        print(f"shop accounts added in {time.perf_counter() - t:.0f} s", flush=True)
    else:  # what the job process does after a month's first instant lapses points
        from webapp.services.shop import kept
        kept.refresh_due(db.session, datetime.now(timezone.utc))
        db.session.commit()
    from webapp.models import BuildingVisits
    from webapp.services.pairing import visited
    with db.engine.begin() as conn:
        BuildingVisits.__table__.create(conn, checkfirst=True)
        empty = conn.scalar(text("SELECT 1 FROM building_visits LIMIT 1")) is None
    if empty and db.session.scalar(text("SELECT 1 FROM visits LIMIT 1")):
        t = time.perf_counter()
        visited.recount(db.session, db.session.scalars(select(Org.id).where(
            Org.kind == "building")).all())
        db.session.commit()
        print(f"visited per building and year added in {time.perf_counter() - t:.0f} s",
              flush=True)
    if not missing:
        return
    t = time.perf_counter()
    tally.recount_all(db.session)
    db.session.commit()
    print(f"kept building counts ({', '.join(missing)}) added in "
          f"{time.perf_counter() - t:.0f} s", flush=True)


def client_as(app, role):
    c = app.test_client()
    with c.session_transaction() as sess:  # the login fixture's way: no password round trip
        with app.app_context():
            gen = db.session.get(User, app.viewers[role]).session_gen
            db.session.remove()
        sess["_user_id"], sess["_fresh"] = f"{app.viewers[role]}.{gen}", True
    return c


def slowest_statement(app, client, path):
    """The slowest SQL statement of one request: (ms, statement, parameters). Each SELECT the
    request sent is run again and timed until its last row is fetched: timed in the request,
    a statement ends at its first row, and on SQLite most of its work can come after that."""
    sent = []

    def note(_conn, _c, stmt, params, _ctx, many):
        if not many and stmt.lstrip().upper().startswith("SELECT"):
            sent.append((stmt, params))
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    worst = [0.0, "", None]
    with engine.connect() as conn:
        for stmt, params in sent:
            times = []
            for _ in range(3):
                t = time.perf_counter()
                conn.exec_driver_sql(stmt, params).fetchall()
                times.append((time.perf_counter() - t) * 1000)
            if statistics.median(times) > worst[0]:
                worst[:] = [statistics.median(times), stmt, params]
        conn.rollback()
    return worst


def plan(app, stmt, params) -> str:
    with app.app_context():
        conn = db.session.connection()
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + stmt, params or ()).all()
            out = "; ".join(r[-1] for r in rows)
        else:
            rows = conn.exec_driver_sql("EXPLAIN " + stmt, params or {}).all()
            out = "; ".join(r[0].strip() for r in rows[:6])
        db.session.remove()
    return out


def pages(small, big, runs: int, which=PAGES, miss: bool = False) -> list[dict]:
    """Each page of `which` at both sizes (`miss`: the wish lists' cache emptied first)."""
    clients = {(app, role): client_as(app, role) for app in (small, big)
               for role in {r for r, _p in which}}
    samples = {(id(app), path): [] for app in (small, big) for _r, path in which}
    for rnd in range(runs + 1):
        for role, path in which:
            for app in (small, big):
                if miss:
                    app.extensions["wishgrid_menu"].clear()
                t = time.perf_counter()
                r = clients[(app, role)].get(path)
                if r.status_code != 200:
                    raise SystemExit(f"{path} as {role}: {r.status_code}")
                if rnd:  # one warm-up round
                    samples[(id(app), path)].append(time.perf_counter() - t)
    out = []
    for role, path in which:
        a = statistics.median(samples[(id(small), path)]) * 1000
        b = statistics.median(samples[(id(big), path)]) * 1000
        if miss:
            big.extensions["wishgrid_menu"].clear()
        ms, stmt, params = slowest_statement(big, clients[(big, role)], path)
        out.append({"role": role, "path": path + (" (miss)" if miss else ""), "demo": a,
                    "district": b, "ratio": b / a,
                    "sql_ms": ms, "plan": plan(big, stmt, params) if stmt else ""})
    return out


def _year_end_lapse(sqlite_file, longest, statements) -> None:
    """The shop accounts' job at the year's end, when every account holding this year's points
    (the default rule) lapses at once; then the cache's accounts are rebuilt as of now."""
    from webapp.services.shop import kept
    year = datetime.now(timezone.utc).astimezone(periods.LOCAL_TZ).year
    at = datetime(year + 1, 1, 1, 0, 30, tzinfo=periods.LOCAL_TZ).astimezone(timezone.utc)
    longest[0], statements[0] = 0.0, 0
    t = time.perf_counter()
    if sqlite_file:
        from bench.lockprobe import LockProbe
        with LockProbe(sqlite_file) as probe:
            n = kept.refresh_due(db.session, at)
        web = f"; a web writer meanwhile: {probe.summary()}"
    else:
        n, web = kept.refresh_due(db.session, at), ""
    print(f"  job refresh_due (shop accounts, the year's lapse): {n} acts in "
          f"{time.perf_counter() - t:.1f} s; longest write transaction {longest[0] * 1000:.0f} "
          f"ms; {statements[0]} statements{web}", flush=True)
    _shop_accounts(datetime.now(timezone.utc))  # back to today's accounts for the pages


def ledger_checks(session, now) -> int:
    """One run of the job that re-hashes whole chains: the first LEDGER_CHECKS_PER_RUN due."""
    from flask import current_app
    from webapp.services.ledger import checks
    return checks.run_due(session, now, timedelta(hours=24),
                          current_app.config["LEDGER_CHECKS_PER_RUN"])


def jobs(app, only=()) -> None:
    """Each follow-up job over the district: its duration, its longest write transaction (one
    that took SQLite's write lock or changed a row; the reads that find the work are not counted,
    a reader does not block the web's writes), the SQL statements it sent and its longest garbage
    collection (a full one of this process, which holds the page runs too, can land in a batch)."""
    import gc
    from webapp.services.notify import followup
    longest, statements, wrote, pause, gc_began = [0.0], [0], [False], [0.0], [0.0]
    writes = ("BEGIN IMMEDIATE", "INSERT", "UPDATE", "DELETE")

    def began(session, _tx, conn):
        session.info["began"] = time.perf_counter()
        wrote[0] = False

    def ended(session):
        t = session.info.pop("began", None)
        if t is not None and wrote[0]:
            longest[0] = max(longest[0], time.perf_counter() - t)

    def sent(_conn, _cursor, statement, *_a):
        statements[0] += 1  # what the machine's load cannot change
        wrote[0] = wrote[0] or statement.lstrip().upper().startswith(writes)
    def collected(phase, _info):
        if phase == "start":
            gc_began[0] = time.perf_counter()
        else:
            pause[0] = max(pause[0], time.perf_counter() - gc_began[0])
    # Three days on, at 09:00 Beijing the day after: every escalation is due, and the daily digest
    # (which waits for 08:00 local) runs whatever the hour of the bench.
    day = (datetime.now(timezone.utc) + timedelta(days=4)).astimezone(followup.LOCAL_TZ).date()
    later = datetime(day.year, day.month, day.day, 9, tzinfo=followup.LOCAL_TZ).astimezone(
        timezone.utc)
    gc.collect()
    gc.freeze()  # as `python -m jobs` does once started: the code's objects leave the collector
    with app.app_context():
        s = db.session()
        event.listen(s, "after_begin", began)
        event.listen(s, "after_commit", ended)
        event.listen(db.engine, "before_cursor_execute", sent)
        gc.callbacks.append(collected)
        sqlite_file = db.engine.url.database if db.engine.dialect.name == "sqlite" else None
        for fn in (followup.escalate, followup.confirm_overdue, followup.schedule_reminders,
                   followup.fire_reminders, followup.skills_match, followup.daily_digest,
                   ledger_checks):
            if only and fn.__name__ not in only:
                continue
            longest[0], statements[0], pause[0] = 0.0, 0, 0.0
            t = time.perf_counter()
            if sqlite_file:  # what a web worker's write waited for meanwhile (bench/lockprobe.py)
                from bench.lockprobe import LockProbe
                with LockProbe(sqlite_file) as probe:
                    n = fn(db.session, later)
                web = f"; a web writer meanwhile: {probe.summary()}"
            else:
                n, web = fn(db.session, later), ""
            print(f"  job {fn.__name__}: {n} acts in {time.perf_counter() - t:.1f} s; longest "
                  f"write transaction {longest[0] * 1000:.0f} ms; {statements[0]} statements; "
                  f"longest GC {pause[0] * 1000:.0f} ms{web}", flush=True)
        gc.callbacks.remove(collected)
        db.session.rollback()
        if not only or "year_end_lapse" in only:
            _year_end_lapse(sqlite_file, longest, statements)
        db.session.remove()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--scale", type=float, default=0.02)
    p.add_argument("--demo-scale", type=float, default=0.001)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--db", default="", help="a PostgreSQL server URL (default: SQLite files)")
    p.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "wishgrid-district"))
    p.add_argument("--jobs", action="store_true")
    p.add_argument("--jobs-only", action="store_true", help="the jobs, not the pages")
    p.add_argument("--build-only", action="store_true", help="build (or find) both sizes, stop")
    p.add_argument("--catalogue", action="store_true", help="instead of PAGES: every page of "
                   "tests/page_catalogue.py and every GET of /api/v1 (bench/district_pages.py)")
    p.add_argument("--searches", action="store_true", help="instead of PAGES: the searches "
                   "alone, without their pages (bench/district_search.py)")
    p.add_argument("--only", action="append", default=[], metavar="TEXT",
                   help="with --catalogue: only the pages whose path contains TEXT (repeatable)")
    p.add_argument("--job", action="append", default=[], metavar="NAME",
                   help="with --jobs: only this job (escalate, ledger_checks, year_end_lapse…)")
    a = p.parse_args()
    a.jobs = a.jobs or a.jobs_only
    Path(a.cache).mkdir(parents=True, exist_ok=True)
    small, big = app_for(a.demo_scale, a), app_for(a.scale, a)
    print(f"demo size {small.counts} | district size (scale {a.scale}) {big.counts}")
    if a.build_only:
        return
    if a.searches:
        from bench.district_search import report, searches
        report(searches(small, big, a.runs))
        return
    print(f"{'role':16} {'page':32} {'demo ms':>8} {'district ms':>11} {'ratio':>6}  slowest SQL "
          f"at district size: ms, plan")
    measure = pages
    if a.catalogue:
        from bench.district_pages import catalogue as measure, summary
    rows = [] if a.jobs_only else (measure(small, big, a.runs, a.only) if a.catalogue
                                   else measure(small, big, a.runs)
                                   + measure(small, big, a.runs, MISSES, miss=True))
    for r in rows:
        print(f"{r['role']:16} {r['path']:32} {r['demo']:8.1f} {r['district']:11.1f} "
              f"{r['ratio']:6.2f}  {r['sql_ms']:.1f} ms: {r['plan'][:160]}", flush=True)
    if a.catalogue and rows:
        summary(rows)
    if a.jobs:  # on a copy: the jobs commit (escalations, notifications) and the cache stays as built
        if a.db:
            jobs(big, a.job)
        else:
            import shutil
            copy = Path(a.cache) / f"district-{a.scale}-jobs.sqlite3"
            # The copy's -wal and -shm go with it: a WAL left by the last run would be replayed
            # into the fresh copy, and the jobs would find their work already done.
            sidecars = [copy, *(copy.with_name(copy.name + s) for s in ("-wal", "-shm"))]
            for f in sidecars:
                f.unlink(missing_ok=True)
            with big.app_context():  # what the cache's WAL still holds (a table just added)
                with db.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copyfile(Path(a.cache) / f"district-{a.scale}.sqlite3", copy)

            class Cfg(TestConfig):
                SQLALCHEMY_DATABASE_URI = f"sqlite:///{copy}"
            jobs(create_app(Cfg), a.job)
            for f in sidecars:
                f.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
