"""Benchmark: 1M ledger entries; a community's monthly tally and a 100k-row Excel export (not a test).

    python bench/ledger.py [--entries 1000000] [--communities 10] [--db path.sqlite3]

Builds the data with real hash chains (bulk executemany), then times tallies.tally() beside
the same aggregate as raw SQL on the same connection, and writes the ledger export at two sizes
under tracemalloc to show its memory stays flat. Targets: tally ≤ 100 ms and ≤ 1.5× raw SQL.
"""
import argparse
import itertools
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-bench-"))

from sqlalchemy import insert, text  # noqa: E402

from config import TestConfig  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Category, LedgerChain, LedgerEntry, Org, Unit, User  # noqa: E402
from webapp.services.ledger import exports, ledger, periods, tallies  # noqa: E402

RAW = ("SELECT volunteer_id, SUM(CASE WHEN kind = 'reversal' THEN -1 ELSE 1 END), "
       "SUM(hours), SUM(points) FROM ledger_entries WHERE community_id = :c "
       "AND service_month BETWEEN :a AND :b GROUP BY volunteer_id")
# What tallies.tally() runs: the same aggregate, rounded, names joined on, ordered.
SAME = ("SELECT a.k, coalesce(users.name, '（无）') AS label, a.s, a.h, a.p FROM ("
        "SELECT volunteer_id AS k, SUM(CASE WHEN kind = 'reversal' THEN -1 ELSE 1 END) AS s, "
        "ROUND(SUM(hours), 1) AS h, ROUND(SUM(points), 1) AS p FROM ledger_entries "
        "WHERE community_id = :c AND service_month BETWEEN :a AND :b GROUP BY volunteer_id) a "
        "LEFT JOIN users ON users.id = a.k ORDER BY a.h DESC, label")


def build(n_entries: int, n_comm: int, vols_per_comm: int = 400) -> list[int]:
    """Orgs, people and `n_entries` chained entries spread over 24 months; returns community ids."""
    s = db.session
    street = Org(kind="street", name="基准街道", settings={})
    s.add(street)
    s.flush()
    comms = []
    for i in range(n_comm):
        c = Org(kind="community", name=f"社区{i + 1}", parent_id=street.id, street_id=street.id,
                settings={})
        s.add(c)
        s.flush()
        grids = [Org(kind="grid", name=f"网格{g + 1}", parent_id=c.id, street_id=street.id,
                     community_id=c.id, settings={}) for g in range(5)]
        cats = [Category(community_id=c.id, name=f"类别{k + 1}", position=k) for k in range(8)]
        units = [Unit(name=f"单位{i}-{u}", community_id=c.id, status="approved") for u in range(10)]
        s.add_all(grids + cats + units)
        s.flush()
        comms.append((c.id, [g.id for g in grids], [k.id for k in cats], [u.id for u in units]))
    s.commit()
    users = [{"name": f"志愿者{i}", "phone": f"1{i:010d}", "active": True, "elder_mode": False,
              "created_at": datetime.now(timezone.utc)} for i in range(n_comm * vols_per_comm)]
    s.execute(insert(User), users)
    s.commit()
    first_user = s.scalar(text("SELECT MIN(id) FROM users"))
    per = n_entries // n_comm
    t0 = datetime(2025, 1, 1, 2, tzinfo=timezone.utc)
    span = 730 * 86400
    created = datetime(2026, 11, 20, tzinfo=timezone.utc)
    for ci, (cid, grids, cats, units) in enumerate(comms):
        prev, batch = ledger.GENESIS, []
        for seq in range(1, per + 1):
            vol = first_user + ci * vols_per_comm + (seq * 7919) % vols_per_comm
            day = t0 + timedelta(seconds=(seq * span) // per)
            h = Decimal(1 + seq % 6) / 2
            row = {"community_id": cid, "seq": seq, "volunteer_id": vol,
                   "unit_id": units[vol % 10] if vol % 3 else None, "wish_id": None,
                   "record_id": None, "grid_id": grids[seq % 5], "category_id": cats[seq % 8],
                   "service_date": day, "service_month": periods.month_key(day), "hours": h,
                   "points": h, "kind": "entry", "reverses_id": None, "reason": None,
                   "actor_id": None, "created_at": created, "prev_hash": prev}
            row["hash"] = prev = ledger.entry_hash(row)
            batch.append(row)
            if len(batch) == 50_000:
                s.execute(insert(LedgerEntry), batch)
                batch = []
        if batch:
            s.execute(insert(LedgerEntry), batch)
        s.add(LedgerChain(community_id=cid, last_seq=per, last_hash=prev, cert_seq=0))
        s.commit()
    s.execute(text("ANALYZE"))
    s.commit()
    return [c[0] for c in comms]


def timed(fn, runs: int = 30) -> float:
    """Median wall time in ms over `runs` calls (after one warm-up)."""
    fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def interleaved(fns: dict, runs: int = 100) -> dict:
    """{name: (median ms, best ms)}, the functions run in turn so machine load hits all alike."""
    times = {k: [] for k in fns}
    for f in fns.values():
        f()
    for _ in range(runs):
        for k, f in fns.items():
            t = time.perf_counter()
            f()
            times[k].append((time.perf_counter() - t) * 1000)
    return {k: (statistics.median(v), min(v)) for k, v in times.items()}


def export_rows(cid: int, limit: int, path: Path, measure: bool) -> tuple[float, float]:
    """Write `limit` ledger rows to xlsx; (seconds, peak MiB under tracemalloc or 0)."""
    everything = periods.Period("all", "year", 202501, 202612)
    sheet = exports.ledger_sheet(db.session, cid, everything, "社区1")
    sheet.rows, sheet.count = itertools.islice(sheet.rows, limit), limit
    if measure:
        tracemalloc.start()
    t = time.perf_counter()
    exports.write_xlsx(path, [sheet])
    secs = time.perf_counter() - t
    peak = 0.0
    if measure:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    db.session.rollback()
    return secs, peak


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--communities", type=int, default=10)
    ap.add_argument("--db", default=None)
    ap.add_argument("--reuse", action="store_true", help="keep the data already in --db")
    args = ap.parse_args()
    path = Path(args.db or Path(tempfile.mkdtemp(prefix="wishgrid-bench-")) / "bench.sqlite3")

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{path}")

    app = create_app(Cfg)
    with app.app_context():
        t = time.perf_counter()
        if args.reuse:
            comms = list(db.session.scalars(text(
                "SELECT DISTINCT community_id FROM ledger_entries ORDER BY 1")))
        else:
            db.drop_all()
            db.create_all()
            comms = build(args.entries, args.communities)
        build_s = time.perf_counter() - t
        n = db.session.scalar(text("SELECT COUNT(*) FROM ledger_entries"))
        print(f"database: {db.engine.dialect.name}  entries: {n:,}  communities: {len(comms)}  "
              + ("(reused)" if args.reuse else
                 f"built in {build_s:.1f} s ({n / build_s:,.0f} entries/s incl. hashing)"))

        cid, month = comms[0], periods.month(2026, 6)
        raw_rows = db.session.execute(text(RAW), {"c": cid, "a": month.first_month,
                                                  "b": month.last_month}).all()
        same_params = {"c": cid, "a": month.first_month, "b": month.last_month}
        res = tallies.tally(db.session, cid, "volunteer", month)
        assert len(res["rows"]) == len(raw_rows)
        assert round(res["total"]["hours"], 1) == round(sum(float(r[2]) for r in raw_rows), 1)
        t = interleaved({
            "raw": lambda: db.session.execute(text(RAW), same_params).all(),
            "same": lambda: db.session.execute(text(SAME), same_params).all(),
            "tally": lambda: tallies.tally(db.session, cid, "volunteer", month)})
        in_month = sum(r[1] for r in raw_rows)
        load = os.getloadavg()[0]
        print(f"monthly tally ({month.label}, {in_month:,} entries → {len(raw_rows)} members), "
              f"100 interleaved runs, load average {load:.1f} on {os.cpu_count()} CPUs:")
        for label, key in (("tallies.tally()", "tally"), ("raw SQL aggregate", "raw"),
                           ("raw SQL of tally's statement (+names, order)", "same")):
            print(f"  {label:<46} median {t[key][0]:6.2f} ms   best {t[key][1]:6.2f} ms")
        print(f"  ratio tally / raw aggregate: median {t['tally'][0] / t['raw'][0]:.2f}×  "
              f"best {t['tally'][1] / t['raw'][1]:.2f}×   (targets ≤ 100 ms, ≤ 1.5×)")
        for p in (periods.half(2026, 1), periods.year(2026)):
            for by in ("category", "unit"):
                t_p = timed(lambda: tallies.tally(db.session, cid, by, p), 10)
                print(f"tally by {by} for {p.label}: median {t_p:.1f} ms")

        tracemalloc.start()
        tallies.tally(db.session, cid, "volunteer", month)
        print(f"tally peak memory: {tracemalloc.get_traced_memory()[1] / 2**10:.0f} KiB")
        tracemalloc.stop()

        out = path.parent
        secs, _ = export_rows(cid, 100_000, out / "x100k.xlsx", measure=False)
        print(f"Excel export 100,000 rows: {secs:.1f} s ({100_000 / secs:,.0f} rows/s), "
              f"file {os.path.getsize(out / 'x100k.xlsx') / 2**20:.1f} MiB")
        for size in (25_000, 100_000):
            _s, peak = export_rows(cid, size, out / f"m{size}.xlsx", measure=True)
            print(f"Excel export {size:>7,} rows: peak traced memory {peak:.1f} MiB")
        t = time.perf_counter()
        res = ledger.verify(db.session, cid)
        print(f"verify one chain ({res[0]['entries']:,} entries): "
              f"{time.perf_counter() - t:.1f} s, ok={res[0]['ok']}")
        print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
