"""Files the admin downloads: the template of each kind and the report of bad rows.

Cells of the error report repeat what the uploader typed; a cell that Excel would read as a
formula (=, +, -, @, tab, CR first) is written as text with a leading apostrophe.
"""
import csv
import io
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from ...ledger.exports import safe_cell
from .columns import KINDS


REPORT_HEADERS = ("行号", "列", "问题")
# The two columns the refused-rows file adds after the template's: a re-import of the fixed file
# skips them without listing them as unknown columns (service._plan).
REJECT_HEADERS = ("需要修改的问题", "原行号")
NOTES = {
    "tree": ["每行一个楼栋（或只写社区和网格）。同一社区、网格的多行可以合并单元格或留空，视为与上一行相同。",
             "已存在的社区、网格、楼栋按名称匹配，不会重复创建；社区管理员只能导入本社区。"],
    "residents": ["手机号可以留空（没有手机的居民，由网格员代为登记）。",
                  "网格、楼栋须与组织树中的名称一致；门牌/地址只有本网格的网格员和社区管理员可见。",
                  "按手机号匹配已登记的居民（无手机号的按姓名和楼栋），重复导入不会重复登记。"],
    "members": ["手机号必填，按手机号匹配已有账号；单位须是已在本社区报到的单位，可以留空。",
                "特长可以写多项，用顿号或逗号分隔。",
                "导入后为“待审核”的报到；社区管理员勾选“名单已核实”后导入则直接通过。"],
}


def safe_text(value) -> str:
    """A cell value as text that no spreadsheet will run as a formula (the exports' rule)."""
    return str(safe_cell("" if value is None else str(value)))


@lru_cache(maxsize=None)  # the same bytes for a kind until the code changes
def template(kind: str) -> bytes:
    """The .xlsx template: Chinese headers, one example row, phones kept as text, notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    cols = KINDS[kind]
    ws.append([c.header for c in cols])
    ws.append([c.example for c in cols])
    for i, c in enumerate(cols, start=1):
        head = ws.cell(row=1, column=i)
        head.font, head.fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
        letter = head.column_letter
        ws.column_dimensions[letter].width = max(12, min(40, c.max_len // 3 + 8))
        if c.key == "phone":  # typed as a number, Excel would show 1.38E+10
            for row in range(2, 2001):
                ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    for line in ["请在“名单”工作表中填写，第一行表头不要修改；示例行可以删除或直接覆盖。",
                 *NOTES[kind]]:
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(errors: list[dict]):
    for e in errors:
        yield [e["row"], e["column"], e["message"]]


def error_report(errors: list[dict], fmt: str) -> bytes:
    """The bad rows as CSV (UTF-8 with BOM, for Excel) or .xlsx, every text cell made safe."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(REPORT_HEADERS)
        for row in _rows(errors):
            w.writerow([row[0], *(safe_text(v) for v in row[1:])])
        return buf.getvalue().encode("utf-8-sig")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误报告")
    ws.append(list(REPORT_HEADERS))
    for row in _rows(errors):
        cells = [row[0]]
        for v in row[1:]:
            cell = WriteOnlyCell(ws, value=safe_text(v))
            cell.data_type = "s"  # a string cell even if a value slipped past the prefix
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rejected_rows(kind: str, rows: list[tuple[int, dict]], errors: list[dict]) -> bytes:
    """The refused rows in the template's columns (so the fixed file imports again), then the
    problems of each row and its row number in the original file; every cell is text."""
    why: dict[int, list[str]] = {}
    for e in errors:
        why.setdefault(e["row"], []).append(f"{e['column']}：{e['message']}")
    cols = KINDS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append([c.header for c in cols] + list(REJECT_HEADERS))
    for n, values in rows:
        ws.append([safe_text(values.get(c.key, "")) for c in cols]
                  + [safe_text("；".join(why.get(n, []))), n])
    for i, c in enumerate([*cols, None, None], start=1):
        head = ws.cell(row=1, column=i)
        head.font = Font(bold=True)
        ws.column_dimensions[head.column_letter].width = 40 if c is None and i == len(cols) + 1 \
            else 16
        if c is not None and c.key == "phone":  # kept as text, never 1.38E+10
            for row in range(2, len(rows) + 2):
                ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
