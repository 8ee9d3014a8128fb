"""Benchmark: a 10,000-row residents import through the job process (not a test).

    python bench/imports.py [--rows 10000] [--format xlsx|csv] [--db path.sqlite3]

Builds a community with 20 grids × 10 buildings on a file-backed SQLite database (WAL, as in
production), writes a 10,000-row residents list (two thirds with a phone, one third without:
代登记) as .xlsx, then times what the admin waits for: the upload (read + queue), the job
process's check (preview), and the confirmed import (re-check + write in one transaction).
Then the same file again (everything unchanged). Target: the import under 30 s.
"""
import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-bench-"))

from config import TestConfig  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import ImportJob, RoleGrant, User, utcnow  # noqa: E402
from webapp.services.admin import imports  # noqa: E402
from webapp.services.people import orgs  # noqa: E402

TARGET_S = 30.0


def world(s):
    street = orgs.add_org(s, "street", "基准街道")
    community = orgs.add_org(s, "community", "基准社区", street)
    for g in range(20):
        grid = orgs.add_org(s, "grid", f"第{g + 1}网格", community)
        for b in range(10):
            orgs.add_org(s, "building", f"{b + 1}号楼", grid)
    admin = User(phone="13000000000", name="管理员", password_hash=None)
    s.add(admin)
    s.flush()
    s.add(RoleGrant(user_id=admin.id, role="community_admin", org_id=community.id))
    s.commit()
    return admin, community


def listing(rows: int, fmt: str) -> bytes:
    head = ["姓名", "手机号", "网格", "楼栋", "门牌/地址"]
    data = [[f"居民{i}", f"139{i:08d}" if i % 3 else "", f"第{i % 20 + 1}网格",
             f"{i // 20 % 10 + 1}号楼", f"{i % 6 + 1}单元{i % 30 + 101}"] for i in range(rows)]
    if fmt == "csv":
        return ("\r\n".join(",".join(r) for r in [head, *data]) + "\r\n").encode("gb18030")
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    for r in [head, *data]:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def timed(label, fn):
    t0 = time.perf_counter()
    out = fn()
    took = time.perf_counter() - t0
    print(f"  {label:<44} {took:6.2f} s")
    return out, took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    ap.add_argument("--db", default=str(Path(tempfile.mkdtemp(prefix="wishgrid-bench-db-"))
                                        / "bench.sqlite3"))
    args = ap.parse_args()

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{args.db}"

    app = create_app(Cfg)
    from jobs.imports import process_import_jobs
    with app.app_context():
        db.create_all()
        s = db.session
        admin, community = world(s)
        data = listing(args.rows, args.format)
        limits = imports.Limits.of(app.config)
        print(f"{args.rows} residents, {args.format} file of {len(data) / 1024:.0f} KB, "
              f"SQLite {args.db}")
        for run in ("first import", "same file again"):
            print(run)
            job, t_up = timed("upload: read + queue (web request)", lambda: imports.preview(
                s, admin, "residents", community, f"居民.{args.format}", data, limits))
            job_id = job.id
            _, t_check = timed("check by the job process (preview)",
                               lambda: process_import_jobs(s, utcnow()))
            job = s.get(ImportJob, job_id)
            assert job.status == "previewed" and not job.errors, (job.status, job.errors[:3])
            imports.confirm(s, admin, job_id, limits)
            _, t_imp = timed("import by the job process (all or nothing)",
                             lambda: process_import_jobs(s, utcnow()))
            s.expire_all()
            job = s.get(ImportJob, job_id)
            assert job.status == "done", (job.status, job.message)
            total = t_up + t_check + t_imp
            print(f"  counts {job.counts}")
            print(f"  total (upload → preview → imported)          {total:6.2f} s = "
                  f"{total / TARGET_S:.2f} of the {TARGET_S:.0f} s target")


if __name__ == "__main__":
    main()
