"""Benchmark: the Excel paths in bounded memory (issue 27 item 4; not a test).

    nice -n 19 python bench/excel.py [--import-rows 20000] [--export-rows 1000000]

Each measurement runs in a fresh child process, so its peak memory is its own: peak = the
child's ru_maxrss (resource.getrusage, the whole process: interpreter, app and data; not
tracemalloc, which slows openpyxl tenfold). Import: a 20,000-row residents .xlsx (the row cap)
read by imports.reader.read (the bounded reader) against a bare openpyxl read-only pass over the
same file. Export: a ledger-shaped sheet of 1,000,000 rows (12 columns, rows from a generator as
the database's yield_per gives them) through exports.write_xlsx / write_csv into a file, against
a bare openpyxl write-only pass / a bare csv.writer pass. Targets: peak ≤ 200 MB each; import ≤
2× bare, export ≤ 1.5× bare.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HEAD = ["序号", "服务日期", "党员/志愿者", "志愿者编号", "单位", "网格", "服务类别", "时长（小时）",
        "积分", "类型", "原因", "校验码"]


def ledger_rows(n):
    day = date(2026, 3, 1)
    for i in range(n):
        yield [i + 1, day, f"党员{i % 30000}", f"V{i % 30000:06d}", f"单位{i % 300}",
               f"第{i % 1000}网格", "助老", 1.5, 2, "登记", "", f"{i:016x}"]


def make_listing(path, rows):
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(["姓名", "手机号", "网格", "楼栋", "门牌/地址"])
    for i in range(rows):
        ws.append([f"居民{i}", f"139{i:08d}" if i % 3 else "", f"第{i % 20 + 1}网格",
                   f"{i // 20 % 10 + 1}号楼", f"{i % 6 + 1}单元{i % 30 + 101}"])
    wb.save(path)


def child(task, path, rows):
    """One measurement in this process; prints seconds and peak RSS as JSON."""
    import resource
    os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-bench-"))
    from openpyxl import Workbook, load_workbook
    from config import TestConfig
    from webapp import create_app
    from webapp.services.admin.imports import reader
    from webapp.services.ledger import exports
    app = create_app(TestConfig)
    data = Path(path).read_bytes() if task.startswith("import") else None
    out = Path(path).with_suffix(".out")
    with app.test_request_context():
        t = time.perf_counter()
        if task == "import-bare":
            wb = load_workbook(path, read_only=True, data_only=True)
            n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
            wb.close()
        elif task == "import-reader":
            n = len(reader.read("residents", "名单.xlsx", data, max_bytes=10**8,
                                max_rows=rows).rows)
        elif task == "export-bare-xlsx":
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("台账")
            ws.append(HEAD)
            for r in ledger_rows(rows):
                ws.append(r)
            wb.save(out)
            n = rows
        elif task == "export-bare-csv":
            import csv
            with open(out, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(HEAD)
                w.writerows(ledger_rows(rows))
            n = rows
        else:
            fmt = task.rsplit("-", 1)[1]
            sheet = exports.Sheet("台账", HEAD, [8] * 12, ledger_rows(rows), (7, 8), rows)
            (exports.write_csv if fmt == "csv" else
             lambda p, s: exports.write_xlsx(p, [s]))(out, sheet)
            n = rows
        secs = time.perf_counter() - t
    print(json.dumps({"task": task, "rows": n, "s": round(secs, 2),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


def _once(task, path, rows):
    res = subprocess.run([sys.executable, __file__, "--child", task, path, str(rows)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(res.stdout.strip().splitlines()[-1])


def pair(bare, ours, path, rows, repeat):
    """Both tasks, alternating, each in a fresh interpreter; the fastest of `repeat` runs each
    (the machine is shared: the minimum is the least disturbed) and the highest peak."""
    runs = {bare: [], ours: []}
    for _ in range(repeat):
        for task in runs:
            runs[task].append(_once(task, path, rows))
    return [{"s": min(r["s"] for r in rs), "peak_mb": max(r["peak_mb"] for r in rs)}
            for rs in runs.values()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--child", nargs=3)
    p.add_argument("--import-rows", type=int, default=20_000)
    p.add_argument("--export-rows", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--formats", default="xlsx,csv")
    p.add_argument("--no-import", action="store_true")
    a = p.parse_args()
    if a.child:
        return child(a.child[0], a.child[1], int(a.child[2]))
    tmp = Path(tempfile.mkdtemp(prefix="wishgrid-excel-"))
    listing = tmp / "listing.xlsx"
    make_listing(listing, a.import_rows)
    print(f"import: {a.import_rows} rows, {listing.stat().st_size // 1024} KB .xlsx")
    bare, ours = ({"s": 1, "peak_mb": 0},) * 2 if a.no_import else pair("import-bare", "import-reader", str(listing), a.import_rows, a.repeat)
    print(f"  bare read-only {bare['s']} s, {bare['peak_mb']} MB | reader {ours['s']} s, "
          f"{ours['peak_mb']} MB | ratio {ours['s'] / bare['s']:.2f} (target ≤ 2.0)")
    for fmt in a.formats.split(","):
        target = tmp / f"export.{fmt}"
        bare, ours = pair(f"export-bare-{fmt}", f"export-ours-{fmt}", str(target),
                          a.export_rows, a.repeat)
        print(f"export {fmt}: {a.export_rows} rows | bare {bare['s']} s, {bare['peak_mb']} MB | "
              f"exports.write_{fmt} {ours['s']} s, {ours['peak_mb']} MB | "
              f"ratio {ours['s'] / bare['s']:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
