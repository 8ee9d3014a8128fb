"""Tallies, exports (read back cell by cell), half-year duty, reminders, certificates."""
import csv
import io
from datetime import date, datetime, timezone
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from jobs.duty import remind_half_year_duty
from jobs.exports import process_export_jobs
from tests.planutil import plan_of
from webapp.models import Certificate, ExportJob, Notification, ServiceRecord, utcnow
from webapp.services.ledger import certificates, duty, exports, ledger, periods, tallies
from webapp.services.errors import Conflict, Forbidden, Invalid

BJ = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc


def bj(*a):
    return datetime(*a, tzinfo=BJ).astimezone(UTC)


def add(db, world, vol, hours, when, unit=None, grid=None, cat=None):
    """Append one entry straight onto the chain (what approval does), dated `when`."""
    chain = ledger.lock_chain(db, world.ca.id)
    e = ledger.append(db, chain, when, volunteer_id=vol.id, unit_id=unit and unit.id,
                      grid_id=(grid or world.ga1).id, category_id=(cat or world.cat).id,
                      service_date=when, hours=Decimal(str(hours)),
                      points=ledger.points_for(Decimal(str(hours)), world.ca), kind="entry")
    db.commit()
    return e


@pytest.fixture
def book(db, world):
    add(db, world, world.member, "2.0", bj(2026, 11, 1, 0, 30), world.unit)   # Nov in Beijing
    add(db, world, world.member, "1.5", bj(2026, 11, 30, 23, 59), world.unit)
    add(db, world, world.member2, "3.0", bj(2026, 11, 15, 10), world.unit, world.ga2,
        world.categories["学业辅导"])
    add(db, world, world.member3, "4.0", bj(2026, 10, 31, 23, 59))              # October
    add(db, world, world.member3, "1.0", bj(2026, 12, 1, 0, 0))                 # December
    return world


def test_month_tally_uses_beijing_months_and_totals(db, book):
    t = tallies.tally(db, book.ca.id, "volunteer", periods.month(2026, 11))
    got = [(r.label, r.services, r.hours, r.points) for r in t["rows"]]
    assert got == [("李志愿", 2, Decimal("3.5"), Decimal("3.5")),
                   ("张党员", 1, Decimal("3.0"), Decimal("3.0"))]
    assert t["total"] == {"services": 3, "hours": Decimal("6.5"), "points": Decimal("6.5")}
    h2 = tallies.tally(db, book.ca.id, "month", periods.half(2026, 2))
    assert [(r.key, r.label, r.hours) for r in h2["rows"]] == [
        (202610, "2026-10", 4.0), (202611, "2026-11", 6.5), (202612, "2026-12", 1.0)]
    by_unit = tallies.tally(db, book.ca.id, "unit", periods.year(2026))
    assert {r.label: r.hours for r in by_unit["rows"]} == {
        "区人民医院": Decimal("6.5"), "（无）": Decimal("5.0")}
    # another community sees nothing of this one
    assert tallies.tally(db, book.cb.id, "volunteer", periods.year(2026))["rows"] == []


def test_reversal_nets_out_of_tallies(db, book):
    e = db.scalar(select(ledger.LedgerEntry).where(ledger.LedgerEntry.hours == Decimal("2.0")))
    ledger.correct(db, book.admin, e.id, "0", "重复登记")
    t = tallies.tally(db, book.ca.id, "volunteer", periods.month(2026, 11))
    assert t["rows"][0].label == "张党员"
    li = next(r for r in t["rows"] if r.label == "李志愿")
    assert (li.services, li.hours) == (1, Decimal("1.5"))


def test_the_months_chart_is_each_months_net_hours_from_the_kept_months(db, book):
    """The tallies' chart of the last twelve months: net hours by Beijing service month (a
    reversal nets out), zeros for empty months, nothing from an older month or another
    community; read from the kept months (LedgerMonth), which every append keeps."""
    add(db, book, book.member, "9.0", bj(2025, 11, 30, 12))  # thirteen months back: left out
    e = db.scalar(select(ledger.LedgerEntry).where(ledger.LedgerEntry.hours == Decimal("2.0")))
    ledger.correct(db, book.admin, e.id, "0", "重复登记")  # a reversing line of -2.0
    chain = ledger.lock_chain(db, book.cb.id)  # another community's month
    ledger.append(db, chain, bj(2026, 11, 2, 9), volunteer_id=book.member.id,
                  service_date=bj(2026, 11, 2, 9), hours=Decimal("7"), points=Decimal("7"),
                  kind="entry")
    db.commit()
    bars = tallies.hours_by_month(db, book.ca.id, bj(2026, 12, 5, 12))
    assert [(b["label"], b["value"]) for b in bars][-3:] == [
        ("2026-10", Decimal("4.0")), ("2026-11", Decimal("4.5")), ("2026-12", Decimal("1.0"))]
    assert len(bars) == 12 and [b["value"] for b in bars[:-3]] == [0] * 9
    assert [b["pct"] for b in bars][-3:] == [90, 100, 20]
    assert tallies.hours_by_month(db, [book.ca.id, book.cb.id], bj(2026, 12, 5, 12))[-2][
        "value"] == Decimal("11.5")


def test_tally_excel_read_back_cell_by_cell(db, book):
    sheet = exports.tally_sheet(db, book.ca.id, "category", periods.month(2026, 11), "城西社区")
    wb = load_workbook(io.BytesIO(exports.to_bytes("xlsx", [sheet])))
    ws = wb.worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][0] == "城西社区服务台账统计（2026年11月，按服务类别）"
    assert rows[1] == ["服务类别", "服务次数", "服务时长（小时）", "积分"]
    assert rows[2] == ["助老助残", 2, 3.5, 3.5]
    assert rows[3] == ["学业辅导", 1, 3.0, 3.0]
    assert rows[4] == ["合计", 3, 6.5, 6.5]
    assert len(rows) == 5
    assert ws["A2"].font.bold and ws["A5"].font.bold
    assert ws.column_dimensions["A"].width == 24 and ws.column_dimensions["C"].width == 18


def test_ledger_csv_has_bom_and_chinese_headers(db, book):
    sheet = exports.ledger_sheet(db, book.ca.id, periods.month(2026, 11), "城西社区")
    data = exports.to_bytes("csv", [sheet])
    assert data[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][:3] == ["序号", "服务日期", "党员/志愿者"]
    assert [r[1] for r in rows[2:5]] == ["2026-11-01", "2026-11-30", "2026-11-15"]
    assert rows[2][2] == "李志愿" and rows[2][4] == "区人民医院" and rows[2][7] == "2.0"
    assert rows[-1][0] == "合计" and rows[-1][7] == "6.5"


def test_unit_report_has_no_recipient_data(db, world, make_wish):
    make_wish("closed", estimated_hours=1.5, title="给王小明奶奶买药")
    now = datetime.now(UTC)
    sheets = exports.unit_report_sheets(db, world.unit, periods.half_of(now), "城西社区")
    wb = load_workbook(io.BytesIO(exports.to_bytes("xlsx", sheets)))
    text = " ".join(str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r)
    assert "王小明" not in text and "买药" not in text and world.resident.phone not in text
    summ = [[c.value for c in r] for r in wb["汇总"].iter_rows()]
    # Three caption lines (the report, the issuer, the unit's gifts to the points shop).
    assert summ[2] == ["向爱心超市捐赠：0 种，共 0 件", None, None, None, None, None]
    assert summ[3] == ["姓名", "志愿者编号", "服务次数", "服务时长（小时）", "积分", "平均评价"]
    assert summ[4] == ["李志愿", None, 1, 1.5, 1.5, 5]
    assert summ[5][:4] == ["张党员", None, 0, 0]
    assert summ[-1][:4] == ["合计", None, 1, 1.5]
    det = [[c.value for c in r] for r in wb["服务明细"].iter_rows()]
    assert det[4][0] == "李志愿" and det[4][2] == "助老助残" and det[4][4] == 1.5


def test_large_export_runs_as_a_job_with_progress(app, db, world, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    t0 = bj(2026, 11, 3, 9)
    for i in range(exports.ASYNC_ROWS + 1):
        chain = ledger.lock_chain(db, world.ca.id)
        ledger.append(db, chain, t0, volunteer_id=world.member.id, grid_id=world.ga1.id,
                      category_id=world.cat.id, service_date=t0, hours=Decimal("1"),
                      points=Decimal("1"), kind="entry")
    db.commit()
    job = exports.request_ledger_export(db, world.admin, world.ca.id, periods.month(2026, 11),
                                        "xlsx")
    assert job.status == "pending" and job.total_rows == exports.ASYNC_ROWS + 1
    assert process_export_jobs(db, t0) == 1
    db.expire_all()
    job = db.get(ExportJob, job.id)
    assert (job.status, job.progress) == ("done", 100)
    assert job.file_path == f"export-{job.id}.xlsx"  # a name under EXPORT_DIR, not a host path
    ws = load_workbook(tmp_path / job.file_path, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 + exports.ASYNC_ROWS + 1 + 1
    assert rows[-1][0] == "合计" and rows[-1][7] == exports.ASYNC_ROWS + 1
    assert process_export_jobs(db, t0) == 0  # nothing left


# ---- half-year duty ---------------------------------------------------------------------

def _served(db, make_wish, when):
    w = make_wish("closed", estimated_hours=1.5)
    for r in db.scalars(select(ServiceRecord).where(ServiceRecord.wish_id == w.id)):
        r.service_date = when
    db.commit()


@pytest.mark.parametrize("when,now,done", [
    (bj(2026, 7, 1, 0, 0), bj(2026, 12, 31, 23, 59), True),     # first instant of H2
    (bj(2026, 6, 30, 23, 59), bj(2026, 7, 1, 0, 1), False),     # last minute of H1
    (bj(2026, 6, 30, 23, 59), bj(2026, 6, 30, 23, 59, 30), True),
    (bj(2026, 12, 31, 23, 59), bj(2027, 1, 1, 0, 0), False),    # new year: new half
])
def test_half_year_boundaries_in_beijing_time(db, world, make_wish, when, now, done):
    _served(db, make_wish, when)
    st = duty.member_status(db, world.member, now)
    assert st["done"] is done
    names = {r["name"] for r in duty.status(db, now, community_id=world.ca.id)["missing"]}
    assert ("李志愿" in names) is (not done) and "张党员" in names
    assert "陈党员" not in names  # no employer unit: no duty
    assert duty.member_status(db, world.member3, now) is None
    listed = duty.missing(db, now, world.ca.id)  # the ledger page's, counted by the database
    assert {r["name"] for r in listed["missing"]} == names and listed["total"] == len(names)


def test_the_whole_list_counts_each_member_once_and_pages(db, world, make_user, make_wish):
    """Paged by the database: the pages put together are the members `status` finds, in its
    order; a member with two member grants in the community counts once."""
    for i in range(24):
        make_user(f"党员{i:02d}", f"1371111{i:04d}", world.ba1,
                  [("member", world.ca, None)] + ([("member", world.ca, world.unit)] if i == 3
                                                  else []), world.unit)
    make_wish("closed", estimated_hours=1.5)  # 李志愿 has served
    now = utcnow()
    want = [r["id"] for r in duty.status(db, now, community_id=world.ca.id)["missing"]]
    assert len(want) == 25 and world.member.id not in want
    first = duty.missing(db, now, world.ca.id)
    assert first["total"] == 25 and [r["id"] for r in first["missing"]] == want[:duty.SHOWN]
    pages = [duty.missing(db, now, world.ca.id, p, 10) for p in (1, 2, 3)]
    assert [r["id"] for got in pages for r in got["missing"]] == want
    assert [got["pages"] for got in pages] == [3, 3, 3]
    assert duty.missing(db, now, world.ca.id, 9, 10)["missing"] == pages[2]["missing"]  # clamped
    assert duty.missing(db, now, world.cb.id)["total"] == 0


def test_whether_a_member_served_is_one_probe_of_their_records_by_date(db, world):
    """The whole list tests each member's records through (volunteer, date): a member of years
    has hundreds of records, and the half-year is a range of them."""
    plan = plan_of(db, duty.owing_query(world.ca.id, periods.half_of(utcnow())))
    assert "ix_service_records_volunteer_date" in plan, plan


def test_rejected_service_does_not_count(db, world, make_wish):
    w = make_wish("closed", estimated_hours=6)  # outside tolerance: pending
    rec = db.scalar(select(ServiceRecord).where(ServiceRecord.wish_id == w.id))
    now = rec.service_date
    assert duty.member_status(db, world.member, now)["done"]
    ledger.reject(db, world.admin, rec.id, "未上门")
    assert not duty.member_status(db, world.member, now)["done"]


@pytest.mark.parametrize("now,window", [
    (bj(2026, 5, 31, 23, 59), False), (bj(2026, 6, 1, 0, 0), True),
    (bj(2026, 11, 30, 23, 59), False), (bj(2026, 12, 1, 0, 0), True),
    (bj(2026, 12, 31, 23, 59), True), (bj(2027, 1, 1, 0, 0), False),
])
def test_reminder_window_is_the_last_month(now, window):
    assert duty.in_reminder_window(now) is window


def test_reminder_job_notifies_once_per_half_year(db, world, make_wish):
    now = bj(2026, 12, 2, 9)
    assert remind_half_year_duty(db, bj(2026, 11, 30, 9)) == 0
    assert remind_half_year_duty(db, now) == 2  # member and member2 (unit), not member3
    assert remind_half_year_duty(db, bj(2026, 12, 20, 9)) == 0
    got = db.scalars(select(Notification).where(Notification.event == "duty_reminder")).all()
    assert sorted(n.user_id for n in got) == sorted([world.member.id, world.member2.id])
    assert got[0].url == "/ledger/me" and "2026年下半年" in got[0].body
    assert remind_half_year_duty(db, bj(2027, 6, 1, 9)) == 2  # next half-year: again


# ---- certificates -------------------------------------------------------------------------

def _cert_input(vol, **kw):
    d = dict(volunteer_id=vol.id, period_from=date(2026, 1, 1), period_to=date(2026, 11, 20),
             head_name="孙主任", officer_name="周干事", contact="0571-8888")
    d.update(kw)
    return SimpleNamespace(**d)


def test_certificate_numbering_and_public_view(db, book):
    now = bj(2026, 11, 21, 10)
    c1 = certificates.issue(db, book.admin, book.ca.id, _cert_input(book.member), now=now)
    c2 = certificates.issue(db, book.admin, book.ca.id, _cert_input(book.member3), now=now)
    assert c1.number == f"ZY{book.ca.id:04d}202600001" and c2.number.endswith("00002")
    # the 30 November entry falls after the period
    assert (c1.hours, c1.services, c1.content) == (Decimal("2.0"), 1, "助老助残")
    assert c2.hours == Decimal("4.0")  # the December entry is after the period
    pub = certificates.public_view(db, c1.token)
    assert pub == {"number": c1.number, "name": "李**", "hours": Decimal("2.0"),
                   "presence_hours": Decimal("0"), "honour_hours": Decimal("0"),
                   "period_from": date(2026, 1, 1), "period_to": date(2026, 11, 20),
                   "issuer": "城西社区", "revoked_on": None}
    assert "<svg" in certificates.qr_svg("https://x/verify/" + c1.token)


def test_a_certificate_is_voided_once_by_its_issuer(db, book):
    now = bj(2026, 11, 21, 10)
    cert = certificates.issue(db, book.admin, book.ca.id, _cert_input(book.member), now=now)
    with pytest.raises(Forbidden):
        certificates.revoke(db, book.member, cert.id, "自己作废")  # the holder may not
    db.rollback()
    later = bj(2026, 11, 23, 23, 30)  # 15:30 UTC: the Beijing date is the 23rd
    certificates.revoke(db, book.admin, cert.id, "期间填错", now=later)
    assert certificates.public_view(db, cert.token)["revoked_on"] == date(2026, 11, 23)
    with pytest.raises(Conflict):
        certificates.revoke(db, book.admin, cert.id, "再作废", now=later)
    db.rollback()
    assert db.get(Certificate, cert.id).revoked_reason == "期间填错"


def test_certificate_refused_without_hours_or_for_outsiders(db, book):
    now = bj(2026, 11, 21, 10)
    with pytest.raises(Invalid) as exc:
        certificates.issue(db, book.admin, book.ca.id,
                           _cert_input(book.member, period_to=date(2026, 10, 1)), now=now)
    assert "volunteer_id" in exc.value.fields
    db.rollback()
    with pytest.raises(Invalid):
        certificates.issue(db, book.admin, book.ca.id, _cert_input(book.member_b), now=now)
    db.rollback()
    with pytest.raises(Invalid):
        certificates.issue(db, book.admin, book.ca.id,
                           _cert_input(book.member, period_to=date(2026, 12, 1)), now=now)
