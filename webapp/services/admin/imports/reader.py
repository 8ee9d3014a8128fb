"""Reading an uploaded list: .xlsx (read-only, cached values: formulas are never evaluated) or
.csv (UTF-8 with or without BOM, GBK/GB18030 as Excel on a Chinese Windows saves, UTF-16 as
Excel's "Unicode text"), its header row found among the first rows (merged title and header
cells allowed), then data rows as {column key: text} with their row number in the file."""
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from .bounded import BadFile, csv_rows, xlsx_rows
from .columns import KINDS, header_map

HEADER_SCAN = 10  # the header may sit under a title row or two
# Cells are read only this far while the header is looked for, then only as far as the
# header's last column (bounded.Rows.width); the sheet's declared <dimension> is never used.
MAX_COLUMNS = 256

__all__ = ["BadFile", "Table", "read", "nfkc"]


@dataclass
class Table:
    rows: list[tuple[int, dict[str, str]]]  # (row number as Excel shows it, values)
    header_row: int
    # What the header said (issue 23 item 3): each column used, {"file": its header in the
    # file, "key"}, and each non-empty header left out, {"file", "why": unknown|duplicate}.
    used: list[dict] = field(default_factory=list)
    ignored: list[dict] = field(default_factory=list)


def _text(value) -> str:
    """A cell as text: numbers without ".0" (phones typed as numbers), dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return text.strip().strip("\u3000").strip()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on a Chinese Windows saves "CSV" in the ANSI code page: GBK, a subset of GB18030.
        return data.decode("gb18030", errors="replace")


def _csv_rows(data: bytes):
    text = _decode(data)
    if "\x00" in text or "\ufffd" in text[:2000]:
        raise BadFile(_l("这不是 Excel（.xlsx）或 CSV 文件。请上传用模板填写的名单。"))
    first = text[:4096].split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return csv_rows(text, delimiter, MAX_COLUMNS, _text)


def _rows(filename: str, data: bytes):
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        return xlsx_rows(data, MAX_COLUMNS, _text)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadFile(_l("这是旧版 Excel（.xls）文件。请在 Excel 中“另存为” .xlsx 或 CSV 后再上传。"))
    if name.endswith((".xlsx", ".xlsm")):
        raise BadFile(_l("无法读取这个 Excel 文件，它可能已损坏或不是 .xlsx 格式。"
                         "请在 Excel 中另存为 .xlsx 或 CSV 后重新上传。"))
    if not name.endswith((".csv", ".txt")) and b"\x00" in data[:4096] and not data.startswith(
            (b"\xff\xfe", b"\xfe\xff")):
        raise BadFile(_l("这不是 Excel（.xlsx）或 CSV 文件。请上传用模板填写的名单。"))
    return _csv_rows(data)


def _layout(kind: str, row: list[str], above: list[str], cols: dict[int, str]):
    """The header row as the preview shows it: the columns used and the ones left out."""
    from .columns import norm_header
    known = header_map(kind)
    used, ignored = [], []
    for c in range(max(len(row), len(above))):
        cell = row[c] if c < len(row) else ""
        if c in cols:  # an empty cell under a vertical merge was read from the row above
            used.append({"file": cell or (above[c] if c < len(above) else ""), "key": cols[c]})
        elif cell:
            dup = known.get(norm_header(cell)) in cols.values()
            ignored.append({"file": cell, "why": "duplicate" if dup else "unknown"})
    return used, ignored


def _header(kind: str, first: list[list[str]]) -> tuple[int, dict[int, str]]:
    """(index of the header row, column index → key). A header cell left empty by a vertical
    merge takes the value of the row above, so two-row headers (住址 over 楼栋 | 门牌) work."""
    known = header_map(kind)
    best = (-1, {})
    from .columns import norm_header
    for i, row in enumerate(first):
        above = first[i - 1] if i else []
        cols: dict[int, str] = {}
        for c in range(max(len(row), len(above))):
            cell = row[c] if c < len(row) else ""
            key = known.get(norm_header(cell)) if cell else None
            if key is None and not cell and c < len(above):
                key = known.get(norm_header(above[c]))
            if key and key not in cols.values():
                cols[c] = key
        if len(cols) > len(best[1]):
            best = (i, cols)
    return best


def read(kind: str, filename: str, data: bytes, *, max_bytes: int, max_rows: int) -> Table:
    """The file's data rows, or BadFile with a message in plain Chinese."""
    if len(data) > max_bytes:
        raise BadFile(_l("文件太大了：最多 %(mb)s MB。请把名单拆成几个文件分批导入。",
                         mb=round(max_bytes / 1024 / 1024, 1)))
    if not data.strip():
        raise BadFile(_l("文件是空的，请填写名单后再上传。"))
    rows = _rows(filename, data)
    first: list[list[str]] = []  # rows 1..HEADER_SCAN as the sheet numbers them, gaps empty
    pending = None  # the first row below the scan, read while looking for the scan's end
    for number, row in rows:
        if number > HEADER_SCAN:
            pending = (number, row)
            break
        first.extend([] for _ in range(number - 1 - len(first)))
        first.append(row)
    if not any(any(v for v in r) for r in first):
        raise BadFile(_l("文件是空的，请填写名单后再上传。"))
    h, cols = _header(kind, first)
    missing = [c.header for c in KINDS[kind] if c.required and c.key not in cols.values()]
    if missing:
        raise BadFile(_l("表头缺少这些列：%(cols)s。请使用模板的表头（列名不能改）。",
                         cols="、".join(missing)))
    used, ignored = _layout(kind, first[h], first[h - 1] if h else [], cols)
    rows.width = max(cols) + 1  # from here on, cells past the header's last column are skipped
    below = [(n, r) for n, r in enumerate(first[h + 1:], start=h + 2)]
    out = []
    for n, row in _chain(below, [pending] if pending else [], rows):
        values = {key: (row[c] if c < len(row) else "") for c, key in cols.items()}
        if not any(values.values()):
            continue  # blank lines between blocks are common in hand-kept lists
        if len(out) == max_rows:
            raise BadFile(_l("名单超过 %(n)s 行的上限，请拆成几个文件分批导入。", n=max_rows))
        out.append((n, values))
    if not out:
        raise BadFile(_l("只有表头，没有数据行。请在表头下面填写名单。"))
    return Table(out, h + 1, used, ignored)


def _chain(*parts):
    for part in parts:
        yield from part


def nfkc(text: str) -> str:
    """Full-width letters and digits as ASCII (ＡＢＣ１２３ → ABC123)."""
    return unicodedata.normalize("NFKC", text)
