"""The bounded import reader (issue 27): crafted files, small on disk, are refused quickly with a
clear message, and a sheet is read only as far as its header's last column."""
import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from webapp.services.admin.imports import bounded, reader

pytestmark = pytest.mark.engine_neutral
HEAD = ["姓名", "手机号", "网格", "楼栋"]
ROW = ["张三", "13700000001", "第一网格", "1号楼"]
SHEET = "xl/worksheets/sheet1.xml"
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _xlsx(*rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, replace: dict) -> bytes:
    """The same .xlsx with some parts replaced or added, as an attacker would craft it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, replace.get(item.filename, src.read(item.filename)))
        for name in set(replace) - set(src.namelist()):
            dst.writestr(name, replace[name])
    return out.getvalue()


def _sheet(body: bytes, dimension: bytes = b"A1:D2") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + b'><dimension ref="'
            + dimension + b'"/><sheetData>' + body + b"</sheetData></worksheet>")


def _refused(data: bytes, name: str = "名单.xlsx") -> str:
    """The message of the refusal, asserting it came well under a second (loosely: a loaded
    machine) and before the file was expanded."""
    t = time.perf_counter()
    with pytest.raises(reader.BadFile) as e:
        reader.read("residents", name, data, max_bytes=10**7, max_rows=20_000)
    assert time.perf_counter() - t < 3, "a bomb must be refused at once, not parsed"
    return str(e.value.fields["file"])


def _rows(data: bytes, name: str = "名单.xlsx"):
    return [v for _n, v in reader.read("residents", name, data, max_bytes=10**7,
                                       max_rows=100).rows]


def test_a_sheet_declaring_every_column_is_read_only_to_the_header():
    """A 5 KB file with a cell at XFD1048576 (dimension A1:XFD1048576) took 18.7 s and 2.8 GB:
    the declared size is ignored, nothing is padded, the stray cell is past the header."""
    wb = Workbook()
    wb.active.append(HEAD)
    wb.active.append(ROW)
    wb.active["XFD1048576"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    assert b"XFD1048576" in zipfile.ZipFile(buf).read(SHEET)
    t = time.perf_counter()
    table = reader.read("residents", "名单.xlsx", buf.getvalue(), max_bytes=10**6, max_rows=10)
    assert time.perf_counter() - t < 3
    assert [v for _n, v in table.rows] == [dict(zip(["name", "phone", "grid", "building"], ROW))]


def test_a_dimension_that_understates_the_sheet_is_not_trusted_either():
    rows = b"".join(b'<row r="%d">' % r + b"".join(
        b'<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col.encode(), r, v.encode())
        for col, v in zip("ABCD", row)) + b"</row>" for r, row in ((1, HEAD), (2, ROW)))
    data = _rezip(_xlsx(HEAD), {SHEET: _sheet(rows, b"A1:A1")})
    assert _rows(data) == [dict(zip(["name", "phone", "grid", "building"], ROW))]


def test_cells_past_the_header_are_never_built_and_gaps_keep_excel_row_numbers():
    data = _rezip(_xlsx(HEAD), {SHEET: _sheet(
        b'<row r="1">' + b"".join(b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>'
                                  % (c.encode(), h.encode()) for c, h in zip("ABCD", HEAD))
        + b'</row><row r="900"><c r="A900" t="inlineStr"><is><t>\xe6\x9d\x8e\xe5\x9b\x9b</t></is>'
        b'</c><c r="B900"><v>13700000002</v></c><c r="ZZ900"><v>1</v></c></row>')})
    table = reader.read("residents", "名单.xlsx", data, max_bytes=10**6, max_rows=10)
    assert table.rows == [(900, {"name": "李四", "phone": "13700000002", "grid": "",
                                 "building": ""})]


def test_a_row_with_more_cells_than_excel_allows_is_refused():
    row = b'<row r="2">' + b"<c><v>1</v></c>" * (bounded.MAX_ROW_CELLS + 1) + b"</row>"
    data = _rezip(_xlsx(HEAD), {SHEET: _sheet(row)})
    assert len(data) < 100_000
    assert "单元格过多" in _refused(data)


def test_a_zip_bomb_is_refused_from_the_zip_directory():
    data = _rezip(_xlsx(HEAD, ROW), {"xl/media/image1.png": b"\0" * (30 * 1024 * 1024)})
    assert len(data) < 100_000
    assert "解压后过大" in _refused(data)


def test_a_huge_shared_strings_table_is_refused_by_size_or_by_count():
    sst = b'<?xml version="1.0"?><sst ' + NS + b">%s</sst>"
    by_size = _rezip(_xlsx(HEAD), {"xl/sharedStrings.xml": sst % (b"<si><t>a</t></si>" * 1_200_000)})
    by_count = _rezip(_xlsx(HEAD), {"xl/sharedStrings.xml": sst % (b"<si/>" * 600_000)})
    assert len(by_size) < 300_000 and len(by_count) < 100_000
    assert "解压后过大" in _refused(by_size)
    assert "解压后过大" in _refused(by_count)


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml", "xl/sharedStrings.xml"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_xml_entity_declaration_in_any_part_is_refused(part, encoding):
    laughs = ('<?xml version="1.0" encoding="%s"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<si><t>&lol2;</t></si></sst>' % encoding).encode(encoding)
    data = _rezip(_xlsx(HEAD, ROW), {part: laughs})
    assert "DOCTYPE/ENTITY" in _refused(data)


def test_a_csv_line_of_a_million_columns_is_refused():
    data = ",".join(HEAD).encode() + b"\n" + b"," * 1_000_000 + b"\n"
    assert "一行过长" in _refused(data, "名单.csv")


def test_a_huge_csv_line_or_an_unclosed_quote_is_refused():
    head = ",".join(HEAD).encode() + b"\n"
    assert "一行过长" in _refused(head + b"a" * 300_000 + b"\n", "名单.csv")
    # a quote never closed: each line is short, the record is not
    assert "记录过长" in _refused(head + b'"' + b"a" * 1000 + b"\n" + b"b,\n" * 400_000,
                                 "名单.csv")


def test_a_csv_is_cut_at_the_header_width():
    data = (",".join(HEAD) + "\n" + ",".join(ROW) + "," * 200 + "extra\n").encode()
    assert _rows(data, "名单.csv") == [dict(zip(["name", "phone", "grid", "building"], ROW))]


def test_each_refusal_reads_in_english_through_the_translations(app):
    from flask_babel import force_locale
    bombs = [_rezip(_xlsx(HEAD), {SHEET: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
                                         b"<worksheet/>"}),
             b"a,b\n" + b"," * 1_000_000]
    with app.test_request_context(), force_locale("en"):
        words = [_refused(bombs[0]), _refused(bombs[1], "名单.csv")]
    assert words[0].startswith("This Excel file contains an XML declaration")
    assert words[1].startswith("A line in the file is too long (over 256 KB)")
