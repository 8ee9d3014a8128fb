"""Bounded readers for uploaded spreadsheets (issue 27): every size is checked before anything
is expanded, and rows stream out one at a time, cut at a width the caller sets (the header's
last column), so no file can make the web worker pad, inflate or parse without limit.

.xlsx: the zip's member sizes and compression ratios, an XML prolog with a DOCTYPE/ENTITY in
any part, the shared-strings table's size and count — all refused before openpyxl opens the
workbook; then the first sheet is parsed cell by cell (openpyxl's own cell parser, so types,
dates and shared strings come out as openpyxl gives them), never trusting its declared
<dimension> and never padding missing rows or columns. .csv: physical lines and records are
bounded before the csv module splits them."""
import csv
import io
import re
import zipfile

from flask_babel import lazy_gettext as _l

from ...errors import Invalid

MAX_MEMBERS = 2000  # parts in one .xlsx; Excel writes a few dozen
MAX_UNZIPPED = 100 * 1024 * 1024  # the whole .xlsx inflated
MAX_RATIO = 200  # a part inflating more than this many times over is a zip bomb...
RATIO_FLOOR = 1024 * 1024  # ...once it is bigger than this (tiny parts compress oddly)
MAX_SHARED_BYTES = 16 * 1024 * 1024  # xl/sharedStrings.xml inflated
MAX_SHARED_COUNT = 500_000  # strings in it (openpyxl keeps them all in a list)
MAX_ROW_CELLS = 16_384  # Excel's own column limit: more cells in one row is a crafted file
MAX_CELLS = 2_000_000  # cells and rows parsed in all (20,000 rows x 100 columns)
PROLOG_BYTES = 64 * 1024  # the first element must start within this (a DOCTYPE sits before it)
MAX_LINE = 256 * 1024  # one physical CSV line
MAX_RECORD = 1024 * 1024  # one CSV record (quoted fields may span lines)
CHUNK = 256 * 1024

_TOO_BIG = _l("这个 Excel 文件解压后过大，无法导入。请只保留名单本身后重新保存。")
_DAMAGED = _l("无法读取这个 Excel 文件，它可能已损坏或不是 .xlsx 格式。"
              "请在 Excel 中另存为 .xlsx 或 CSV 后重新上传。")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_COL = re.compile(r"[A-Za-z]{1,3}")


class BadFile(Invalid):
    """The file as a whole cannot be imported; the message says why and what to do."""

    code = "bad_file"

    def __init__(self, message):
        super().__init__({"file": message}, message)


def _prolog_is_safe(head: bytes) -> bool:
    """No DOCTYPE or ENTITY before the first element (the only place XML allows one)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        try:
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeError:
            return False
    start = re.search(rb"<[A-Za-z_]", head)
    prolog = head if start is None else head[:start.start()]
    if start is None and len(head) >= PROLOG_BYTES:
        return False  # a prolog this long is not something Excel writes
    upper = prolog.upper()
    return b"<!DOCTYPE" not in upper and b"<!ENTITY" not in upper


def _count(z: zipfile.ZipFile, info: zipfile.ZipInfo, needle: bytes) -> int:
    """Occurrences of needle in a member, streamed (never the whole part in memory)."""
    n, tail = 0, b""
    with z.open(info) as fh:
        while chunk := fh.read(CHUNK):
            buf = tail + chunk
            n += buf.count(needle)
            tail = buf[-(len(needle) - 1):]  # too short to hold a needle already counted
    return n


def check_zip(z: zipfile.ZipFile) -> None:
    """Sizes, ratios, XML prologs and the shared strings, from the zip's directory and the
    head of each part, before any part is parsed."""
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise BadFile(_TOO_BIG)
    for info in infos:
        # zipfile stops inflating a member at its declared size (then fails its CRC), so the
        # declared sizes bound the work even when they lie.
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BadFile(_TOO_BIG)
    for info in infos:
        if info.is_dir():
            continue
        with z.open(info) as fh:
            head = fh.read(PROLOG_BYTES)
        if not _prolog_is_safe(head):
            raise BadFile(_l("这个 Excel 文件含有不允许的 XML 声明（DOCTYPE/ENTITY），无法导入。"
                             "请在 Excel 中另存为 .xlsx 或 CSV 后重新上传。"))
        if info.filename.lower().endswith("sharedstrings.xml"):
            if (info.file_size > MAX_SHARED_BYTES
                    or _count(z, info, b"<si") + _count(z, info, b":si") > MAX_SHARED_COUNT):
                raise BadFile(_TOO_BIG)


def _column(ref: str | None, previous: int) -> int:
    """A cell's column number from its reference (AB12 → 28), or the next one if it has none."""
    if not ref:
        return previous + 1
    m = _COL.match(ref)
    if not m:
        return previous + 1
    n = 0
    for ch in m.group().upper():
        n = n * 26 + ord(ch) - 64
    return n


class Rows:
    """An iterator of (row number, [text, ...]) cut at `width` columns; set `width` at any time
    (the reader narrows it to the header's last column once the header is found)."""

    def __init__(self, source, width: int):
        self._it = source
        self.width = width

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)


def xlsx_rows(data: bytes, width: int, text) -> Rows:
    """The first sheet's rows; BadFile if the file is a bomb or not an .xlsx."""
    from openpyxl import load_workbook
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        check_zip(z)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except BadFile:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds on a damaged or non-Excel zip
        raise BadFile(_DAMAGED) from None
    rows = Rows(iter(()), width)
    rows._it = _sheet(wb, rows, text)
    return rows


def _sheet(wb, rows: Rows, text):
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.functions import iterparse
    try:
        if not wb.worksheets:
            return
        ws = wb.worksheets[0]
        # openpyxl's parser for one cell at a time; the row loop is ours, so nothing is padded
        # to the sheet's declared <dimension> and a row's cells past `width` are never built.
        parser = WorkSheetParser(None, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats,
                                 timedelta_formats=wb._timedelta_formats)
        cell_tag, row_tag, data_tag = _NS + "c", _NS + "row", _NS + "sheetData"
        values, col, cells, total, number, data = {}, 0, 0, 0, 0, None
        with wb._archive.open(ws._worksheet_path) as src:
            for event, el in iterparse(src, events=("start", "end")):
                if event == "start":
                    if el.tag == data_tag:
                        data = el
                elif el.tag == cell_tag:
                    col = _column(el.get("r"), col)
                    cells += 1
                    if cells > MAX_ROW_CELLS or total + cells > MAX_CELLS:
                        raise BadFile(_l("这个表格的单元格过多，无法导入。请把名单复制到一个新的工作表"
                                         "（只保留有内容的列）后重新保存。"))
                    if col <= rows.width:
                        parser.row_counter, parser.col_counter = number, col - 1
                        values[col] = parser.parse_cell(el)["value"]
                    el.clear()
                elif el.tag == row_tag:
                    r = el.get("r")
                    number = int(r) if r and r.isdigit() else number + 1
                    total += cells + 1
                    if total > MAX_CELLS:
                        raise BadFile(_l("这个表格的单元格过多，无法导入。请把名单复制到一个新的工作表"
                                         "（只保留有内容的列）后重新保存。"))
                    out = [""] * min(rows.width, max(values, default=0))
                    for c, v in values.items():
                        if c <= len(out):
                            out[c - 1] = text(v)
                    if data is not None:
                        data.clear()  # rows read are dropped, not kept as empty elements
                    values, col, cells = {}, 0, 0
                    if any(out):  # rows with nothing within the width are not even yielded
                        yield number, out
    except BadFile:
        raise
    except Exception:
        raise BadFile(_DAMAGED) from None
    finally:
        wb.close()


def _lines(text: str, budget: list[int]):
    """Physical lines, each refused past MAX_LINE, and the running size of the record."""
    for line in io.StringIO(text, newline=""):
        if len(line) > MAX_LINE:
            raise BadFile(_l("文件中有一行过长（超过 %(kb)s KB），无法导入。请检查是否整行被填满了"
                             "逗号，删除多余内容后重新保存。", kb=MAX_LINE // 1024))
        budget[0] += len(line)
        if budget[0] > MAX_RECORD:
            raise BadFile(_l("文件中有一条记录过长，可能是引号没有配对。请在 Excel 中打开检查后，"
                             "另存为 CSV 重新上传。"))
        yield line


def csv_rows(text: str, delimiter: str, width: int, clean) -> Rows:
    """A CSV's records cut at `width` fields; lines and records bounded before splitting."""
    rows = Rows(iter(()), width)

    def gen():
        budget = [0]
        try:
            for n, record in enumerate(csv.reader(_lines(text, budget), delimiter=delimiter),
                                       start=1):
                budget[0] = 0
                yield n, [clean(v) for v in record[:rows.width]]
        except csv.Error:  # a field past csv's own size limit, a NUL byte
            raise BadFile(_l("文件中有一条记录过长，可能是引号没有配对。请在 Excel 中打开检查后，"
                             "另存为 CSV 重新上传。")) from None

    rows._it = gen()
    return rows
