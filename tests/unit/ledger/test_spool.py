"""Exports stream (issue 27): rows go from a generator through write-only openpyxl or the csv
writer into a temporary file, and the download sends that file in blocks."""
import csv
import io
import tracemalloc

import pytest
from openpyxl import load_workbook

from webapp.services.ledger.exports import Sheet, to_bytes
from webapp.services.ledger.spool import spool
from webapp.web.downloads import download_sheets

pytestmark = pytest.mark.engine_neutral
N = 20_000


def _sheet(n=N):
    def rows():  # a generator, as the database exports are: nothing holds every row
        for i in range(n):
            yield [i, f"居民{i}", {7: "=cmd|' /C calc'!A0", 8: "#N/A"}.get(i, "第一网格"), 1.5]
    return Sheet("台账", ["序号", "姓名", "网格", "时长"], [8, 12, 12, 8], rows(), (3,), n)


def test_a_spooled_csv_holds_every_row_and_stays_small_in_memory():
    tracemalloc.start()
    try:
        fh = spool("csv", [_sheet()])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # 20,000 rows held as lists would take well over 10 MB; streamed, the peak is the writer's
    # (bench/district.py measures the .xlsx writer at a million rows: tracemalloc is too slow
    # around openpyxl for a test)
    assert peak < 4 * 1024 * 1024, peak
    _check("csv", fh.read(), N)


def test_a_spooled_xlsx_holds_every_row():
    _check("xlsx", spool("xlsx", [_sheet(2000)]).read(), 2000)


def _check(fmt, data, n):
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0] == ["序号", "姓名", "网格", "时长"] and len(rows) == n + 2
        assert rows[8][2].startswith("'=")  # formula text neutralised on the way
        assert rows[-1][3] == str(round(1.5 * n, 1))
    else:
        ws = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        rows = list(ws.iter_rows())
        assert len(rows) == n + 2 and rows[8][2].value.startswith("'=")
        assert (rows[9][2].value, rows[9][2].data_type) == ("#N/A", "s")  # text, not an error
        assert (rows[9][3].value, rows[-1][3].value) == (1.5, round(1.5 * n, 1))


def test_the_download_streams_the_spooled_file(app):
    with app.test_request_context():
        resp = download_sheets([_sheet(50)], "csv", "台账", "ledger")
        assert resp.direct_passthrough and resp.is_streamed
        body = b"".join(resp.response)
        resp.close()
    assert body == to_bytes("csv", [_sheet(50)])
    assert resp.headers["Content-Length"] == str(len(body))
    assert "filename*=UTF-8''%E5%8F%B0%E8%B4%A6.csv" in resp.headers["Content-Disposition"]
