"""Excel (openpyxl write-only: memory stays flat) and CSV (UTF-8 with BOM) exports.

Small exports are written straight into the response; above ASYNC_ROWS rows an ExportJob is
queued and the job process writes the file while the page polls its progress. Every cell goes
through safe_cell() (formula injection), so any Sheet written here is safe to open in Excel/WPS.
"""
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ...db import begin_write
from ...models import Category, ExportJob, LedgerEntry, Org, Unit, User
from . import tallies
from .. import policy
from ..errors import Forbidden, Invalid, NotFound
from .periods import Period, local

ASYNC_ROWS = 3000


def export_dir(app) -> Path:
    """Where export files live: EXPORT_DIR (shared by web and job hosts), else instance/exports."""
    return Path(app.config.get("EXPORT_DIR") or Path(app.instance_path) / "exports")
KIND_LABELS = {"entry": "登记", "reversal": "冲销", "correction": "更正"}
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass
class Sheet:
    """One table to write: Chinese headers, widths, streamed rows, columns to total."""

    title: str
    headers: list[str]
    widths: list[int]
    rows: Iterable[list]
    sum_cols: tuple[int, ...] = ()
    count: int = 0
    caption: list[str] = field(default_factory=list)


# A text cell starting with one of these is a formula to Excel, WPS or LibreOffice (OWASP "CSV
# injection"); the full-width forms are read as formulas by some Chinese spreadsheet software.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_STARTS = frozenset(FORMULA_START)  # all single characters
_PLAIN = frozenset({int, float, bool, Decimal, date, datetime, type(None)})  # written as they are


def safe_cell(value):
    """A value fit for a spreadsheet cell (CSV or xlsx): numbers stay numbers (Decimal → float),
    dates stay dates, None is empty; text that would start a formula gets a leading `'`."""
    if type(value) is str:  # the common case first: exports write millions of cells
        return "'" + value if value[:1] in _STARTS else value
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bool, int, float, date, datetime)):
        return value
    text = str(value)  # lazy translations and anything else: as text
    return "'" + text if text[:1] in _STARTS else text


def xlsx_cell(ws, value):
    """safe_cell(value) as an openpyxl write-only cell: text is always a string cell (never a
    formula), dates get a date format."""
    return _typed(WriteOnlyCell(ws, value=safe_cell(value)))


def _cell(ws, value):
    """An already safe value as openpyxl's write-only row takes it fastest: plain, except where
    a plain value would be read otherwise. A plain text is a string cell unless it starts with
    "=" (never, after safe_cell) or is an error code like "#N/A" (those get an explicit string
    cell); numbers and dates (openpyxl's yyyy-mm-dd) as they are; date-times with our format.
    A cell object per value costs openpyxl an exception each (3.4x a bare write-only pass)."""
    kind = type(value)
    if kind is str:
        return value if value[:1] != "#" else _typed(WriteOnlyCell(ws, value=value))
    if kind is datetime:
        return _typed(WriteOnlyCell(ws, value=value))
    return value


def _typed(c):
    value = c.value
    if isinstance(value, str):
        c.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    elif isinstance(value, datetime):
        c.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        c.number_format = "yyyy-mm-dd"
    return c


def _totals(sheet: Sheet, sums: dict) -> list:
    row = [""] * len(sheet.headers)
    row[0] = "合计"
    for c in sheet.sum_cols:
        row[c] = round(sums.get(c, 0), 1)
    return row


# Rows checked together: fewer than the collector's first threshold (700 net allocations).
# With 1,000 rows alive at a time the collector scanned and promoted every chunk: 1.42x a bare
# csv.writer pass against 1.16x at 500 (bench/excel.py).
CHUNK = 500
PROGRESS_EVERY = 1000  # rows between two progress reports (each is a write in the job process)
# A text that would start a formula, found in a whole column's text joined after NULs: every
# value starts after one, so none is missed (a NUL inside a value can only cost a recheck).
_FORMULA_AFTER_NUL = re.compile("\x00[" + re.escape("".join(FORMULA_START)) + "]")


def _stream(sheet: Sheet, progress, done_before=0, total=0):
    """Rows made safe, running sums (as floats), and progress every PROGRESS_EVERY rows.

    A million rows go through here: the checks run a column of CHUNK rows at a time in C
    (the types of a column, one regex over its joined text), and a row is rebuilt in Python
    only in a column that needs it (rare: a formula-like text, a lazy translation)."""
    sums = {c: 0 for c in sheet.sum_cols}
    n, rows = done_before, iter(sheet.rows)
    while chunk := list(islice(rows, CHUNK)):
        columns = list(zip(*chunk))
        if len(set(map(len, chunk))) > 1:  # zip stops at the shortest row: check every value
            unsafe = range(max(map(len, chunk)))
        else:
            unsafe = [c for c, col in enumerate(columns) if not _plain_column(col)]
        if unsafe:
            chunk = [list(r) for r in chunk]
            for r in chunk:
                for c in unsafe:
                    if c < len(r):
                        r[c] = safe_cell(r[c])
            columns = list(zip(*chunk))
        for c in sums:
            col = columns[c]
            sums[c] += (float(sum(col)) if set(map(type, col)) <= {int, float}
                        else sum(float(v or 0) for v in col))
        yield from chunk
        n += len(chunk)
        if progress and n // PROGRESS_EVERY > (n - len(chunk)) // PROGRESS_EVERY:
            progress(n, total)
    sheet.sum_values = sums  # type: ignore[attr-defined]


def _plain_column(col: tuple) -> bool:
    """True when no value of the column needs safe_cell: plain types, text that starts no formula."""
    types = set(map(type, col))
    if str not in types:
        return types <= _PLAIN
    if not types <= _PLAIN | {str}:
        return False
    texts = col if types == {str} else [v for v in col if type(v) is str]
    return not _FORMULA_AFTER_NUL.search("\x00" + "\x00".join(texts))


def write_xlsx(target, sheets: list[Sheet], progress: Callable | None = None) -> None:
    """Write sheets into `target` (path or binary file) in write-only mode."""
    wb = Workbook(write_only=True)
    total = sum(s.count for s in sheets)
    done = 0
    for sheet in sheets:
        ws = wb.create_sheet(re.sub(r"[\\/?*\[\]:]", "-", sheet.title)[:31])
        for i, w in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A%d" % (len(sheet.caption) + 2)
        for line in sheet.caption:  # captions carry community and unit names
            c = xlsx_cell(ws, line)
            c.font = BOLD
            ws.append([c])
        head = []
        for h in sheet.headers:
            c = xlsx_cell(ws, h)
            c.font, c.fill = BOLD, HEAD_FILL
            c.alignment = Alignment(horizontal="center")
            head.append(c)
        ws.append(head)
        for row in _stream(sheet, progress, done, total):
            ws.append([_cell(ws, v) for v in row])  # _stream made each value safe
        done += sheet.count
        if sheet.sum_cols:
            cells = [xlsx_cell(ws, v) for v in _totals(sheet, sheet.sum_values)]
            for c in cells:
                c.font = BOLD
            ws.append(cells)
    wb.save(target)


def write_csv(target, sheet: Sheet, progress: Callable | None = None) -> None:
    """Write one sheet as CSV, UTF-8 with a BOM so Excel opens the Chinese correctly."""
    own = isinstance(target, (str, Path))
    fh = open(target, "w", encoding="utf-8-sig", newline="") if own else target
    try:
        w = csv.writer(fh)
        for line in sheet.caption:
            w.writerow([safe_cell(line)])
        w.writerow([safe_cell(h) for h in sheet.headers])
        w.writerows(_stream(sheet, progress, 0, sheet.count))  # one call: the loop stays in C
        if sheet.sum_cols:
            w.writerow(_totals(sheet, sheet.sum_values))
    finally:
        if own:
            fh.close()


def to_bytes(fmt: str, sheets: list[Sheet]) -> bytes:
    """The finished file in memory (small files and tests; downloads use spool.spool)."""
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(buf, sheets[0])
        return buf.getvalue().encode("utf-8-sig")
    out = io.BytesIO()
    write_xlsx(out, sheets)
    return out.getvalue()


# ---- what each export contains ------------------------------------------------------------

def tally_sheet(session, community_ids, by: str, period: Period, title: str = "") -> Sheet:
    """A tally view as a sheet: the same rows the page shows, plus a totals row."""
    t = tallies.tally(session, community_ids, by, period)
    label = str(tallies.DIMENSIONS[by][1])
    rows = [[r.label, r.services, r.hours, r.points] for r in t["rows"]]
    return Sheet(f"{period.label}按{label}", [label, "服务次数", "服务时长（小时）", "积分"],
                 [24, 12, 18, 12], rows, (1, 2, 3), len(rows),
                 [f"{title}服务台账统计（{period.label}，按{label}）"])


def street_sheet(rows: list[dict], period: Period, street_name: str) -> Sheet:
    """The street's communities side by side (hours, services, people, rates)."""
    def pct(v):
        return f"{v}%" if v is not None else ""
    data = [[r["name"], r["services"], r["hours"], r["volunteers"], r["published"],
             pct(r["claim_rate"]), pct(r["completion_rate"]),
             r["median_hours_to_claim"] if r["median_hours_to_claim"] is not None else ""]
            for r in rows]
    return Sheet(f"{period.label}各社区", ["社区", "服务次数", "服务时长（小时）", "参与人数",
                                         "发布心愿", "认领率", "完成率", "认领用时中位数（小时）"],
                 [16, 10, 16, 10, 10, 10, 10, 22], data, (1, 2, 3, 4), len(data),
                 [f"{street_name}各社区服务对比（{period.label}）"])


def _ledger_query(community_id: int, period: Period):
    grid = aliased(Org)
    return (select(LedgerEntry.seq, LedgerEntry.service_date, User.name, User.volunteer_no,
                   Unit.name, grid.name, Category.name, LedgerEntry.hours, LedgerEntry.points,
                   LedgerEntry.kind, LedgerEntry.reason, LedgerEntry.hash)
            .join(User, User.id == LedgerEntry.volunteer_id)
            .outerjoin(Unit, Unit.id == LedgerEntry.unit_id)
            .outerjoin(grid, grid.id == LedgerEntry.grid_id)
            .outerjoin(Category, Category.id == LedgerEntry.category_id)
            .where(LedgerEntry.community_id == community_id,
                   LedgerEntry.service_month.between(period.first_month, period.last_month))
            .order_by(LedgerEntry.seq))


def ledger_count(session, community_id: int, period: Period) -> int:
    """How many entries a ledger export would hold."""
    return session.scalar(select(func.count(LedgerEntry.id)).where(
        LedgerEntry.community_id == community_id,
        LedgerEntry.service_month.between(period.first_month, period.last_month))) or 0


def ledger_sheet(session, community_id: int, period: Period, name: str = "") -> Sheet:
    """Every ledger line of a community in the period, streamed from the database."""
    def rows():
        res = session.execute(_ledger_query(community_id, period).execution_options(
            yield_per=2000))
        for seq, day, vol, vno, unit, grid, cat, h, p, kind, reason, hsh in res:
            yield [seq, local(day).date(), vol, vno or "", unit or "", grid or "",
                   cat or "", h, p, KIND_LABELS.get(kind, kind), reason or "", hsh[:16]]
    return Sheet(f"{period.label}台账", ["序号", "服务日期", "党员/志愿者", "志愿者编号", "单位",
                                        "网格", "服务类别", "时长（小时）", "积分", "类型", "原因",
                                        "校验码"],
                 [8, 12, 12, 14, 20, 12, 12, 12, 8, 8, 24, 18], rows(), (7, 8),
                 ledger_count(session, community_id, period),
                 [f"{name}服务台账（{period.label}）"])


def unit_report_data(session, unit: Unit, period: Period) -> dict:
    """The unit's members with their totals, and each service (date, category, grid, hours)."""
    members = tallies.member_rows(session, period, unit_id=unit.id,
                                  community_id=unit.community_id)
    by_member = tallies.services_by_volunteer(session, [m["id"] for m in members], period,
                                              with_title=False, community_id=unit.community_id,
                                              unit_id=unit.id)  # one statement, not one each
    services = [(m["name"], s) for m in members for s in by_member.get(m["id"], [])]
    # Imported here: services/lists imports the ledger (hours), not the other way round.
    from ..lists.projects import unit_progress
    def of(basis):
        return sum((s["hours"] or 0 for _n, s in services if s["basis"] == basis), Decimal("0"))
    from ..shop.goods import donations  # the points shop's goods given by the unit (issue 29)
    return {"members": members, "services": services,
            "projects": unit_progress(session, unit.id, unit.community_id, period),
            "donations": donations(session, unit.id, period.start, period.end),
            "presence_hours": of("presence"), "honour_hours": of("honour")}


def unit_report_sheets(session, unit: Unit, period: Period, community_name: str) -> list[Sheet]:
    """在职党员参与社区服务情况反馈: members summary, then each service (no recipient data)."""
    data = unit_report_data(session, unit, period)
    summary = [[m["name"], m["volunteer_no"], m["services"], m["hours"], m["points"],
                m["rating"] if m["rating"] is not None else ""] for m in data["members"]]
    detail = [[name, local(s["service_date"]).date(), s["category"], s["grid"],
               s["hours"] if s["hours"] is not None else 0, s["rating"] or "",
               APPROVAL.get(s["approval"], s["approval"])] for name, s in data["services"]]
    given = data["donations"]
    cap = [f"在职党员参与社区服务情况反馈（{unit.name}，{period.label}）",
           f"出具单位：{community_name}",
           f"向爱心超市捐赠：{given['kinds']} 种，共 {given['pieces']} 件"]
    return [Sheet("汇总", ["姓名", "志愿者编号", "服务次数", "服务时长（小时）", "积分", "平均评价"],
                  [12, 14, 10, 16, 10, 10], summary, (2, 3, 4), len(summary), cap),
            Sheet("服务明细", ["姓名", "服务日期", "服务类别", "网格", "认定时长（小时）", "评价",
                               "审核状态"],
                  [12, 12, 12, 12, 16, 8, 10], detail, (4,), len(detail), cap)]


APPROVAL = {"pending": "待审核", "approved": "已认定", "rejected": "未认定"}


def request_ledger_export(session, actor: User, community_id: int, period: Period,
                          fmt: str) -> ExportJob:
    """Queue a large ledger export for the job process."""
    if fmt not in ("xlsx", "csv"):
        raise Invalid({"fmt": _l("请选择 Excel 或 CSV。")})
    begin_write(session)
    job = ExportJob(community_id=community_id, requested_by_id=actor.id, kind="ledger",
                    fmt=fmt, params={"period": period.key}, status="pending",
                    total_rows=ledger_count(session, community_id, period))
    session.add(job)
    session.commit()
    return job


def get_job(session, actor: User, job_id) -> ExportJob:
    """An export job of the actor's own, while they still keep that community's ledger:
    NotFound for another's job, Forbidden once their community_admin role is gone (checked on
    every status poll and download, not only when the job was queued)."""
    job = session.get(ExportJob, job_id) if isinstance(job_id, int) else None
    if job is None or job.requested_by_id != actor.id:
        raise NotFound(_l("找不到这个导出任务。"), code="export_not_found")
    if not policy.is_community_admin(actor, job.community_id):
        raise Forbidden(_l("您已不是这个社区的管理员，不能再下载它的台账。"), code="export_forbidden")
    return job
