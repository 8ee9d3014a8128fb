"""The national export (issue 26 §4): volunteers, activities and approved hours of a period in
the standard's fields; a reversed service is left out, a corrected one counts its new hours;
the CSV and the .xlsx read back cell by cell; only the community's admin may export."""
import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.listsutil import NOW, signed_project
from webapp.models import LedgerEntry, ServiceRecord, utcnow
from webapp.services.errors import Forbidden
from webapp.services.ledger import exports, kept, ledger, national, periods
from webapp.services.lists import checkin
from webapp.services.lists import project_sessions as ps


def _world_hours(db, world, make_wish):
    """李志愿: a wish (1.5 h), a project session (1.0 h 补录); 张党员: a wish whose hours were
    reversed to nothing; 陈党员: a pending record (never approved)."""
    make_wish("closed", estimated_hours=1.5, title="陪老人聊天")
    gone = make_wish("closed", estimated_hours=1.5, title="修水龙头", volunteers=[world.member2])
    entry = db.scalar(select(LedgerEntry).where(LedgerEntry.wish_id == gone.id))
    ledger.correct(db, world.admin, entry.id, "0", "重复登记")
    make_wish("closed", estimated_hours=6, title="大扫除", volunteers=[world.member3])  # pending
    p = signed_project(db, world, title="健康讲座")  # its first session: 2025-03-08
    s = ps.of_project(db, p)[0]
    ps.signup(db, world.member, s.id, "server", now=NOW)
    checkin.honour(db, world.admin, s.id, world.member.id, "1", "忘带手机", now=s.ends_at)
    world.member.volunteer_no = "V-0001"
    db.commit()
    return s


def _csv(sheet) -> list[list[str]]:
    return list(csv.reader(io.StringIO(exports.to_bytes("csv", [sheet]).decode("utf-8-sig"))))


def test_the_three_tables_hold_approved_net_hours_in_the_standards_fields(db, world, make_wish):
    s = _world_hours(db, world, make_wish)
    assert db.scalar(select(ServiceRecord.approval).where(
        ServiceRecord.volunteer_id == world.member3.id)) == "pending"
    older = periods.parse(None, s.starts_at, "year")
    (row,) = _csv(national.sheets(db, world.admin, world.ca, older, "hours")[0])[2:-1]
    assert (row[4], row[6], row[7]) == ("健康讲座", "1.0", "补录") and row[3].startswith("P")
    acts = _csv(national.sheets(db, world.admin, world.ca, older, "activities")[0])
    assert [(r[1], r[2], r[8]) for r in acts[2:-1]] == [("健康讲座", "共建项目", "1")]

    period = periods.parse(None, utcnow(), "year")
    hours = _csv(national.sheets(db, world.admin, world.ca, period, "hours")[0])
    assert hours[1] == national.HOURS_HEADERS
    body = hours[2:-1]  # caption, headers … totals
    assert [r[4] for r in body] == ["陪老人聊天"]  # not the reversed one, not the pending one
    assert body[0][1:4] == ["V-0001", "李志愿", body[0][3]] and body[0][3].startswith("W")
    assert (body[0][6], body[0][7], body[0][8]) == ("1.5", "服务对象确认", "城西社区")
    assert hours[-1][6] == "1.5"  # the total row
    vols = _csv(national.sheets(db, world.admin, world.ca, period, "volunteers")[0])
    assert [r[1] for r in vols[2:-1]] == ["李志愿"]  # 张党员's hours were reversed to nothing
    assert vols[2][2] == world.member.phone and vols[2][7:] == ["1", "1.5"]
    acts = _csv(national.sheets(db, world.admin, world.ca, period, "activities")[0])
    assert [(r[1], r[2], r[3]) for r in acts[2:-1]] == [("陪老人聊天", "微心愿", "助老助残")]
    assert national.counts(db, world.ca, period) == {"services": 1, "volunteers": 1,
                                                     "hours": Decimal("1.5")}

    wb = load_workbook(io.BytesIO(exports.to_bytes("xlsx", national.sheets(
        db, world.admin, world.ca, period))))
    assert wb.sheetnames == ["志愿者", "志愿服务项目", "服务时间记录"]
    assert [c.value for c in wb["服务时间记录"][2]] == national.HOURS_HEADERS
    assert wb["服务时间记录"].max_row == 2 + 1 + 1  # caption, headers, one row, totals
    with pytest.raises(Forbidden):
        national.sheets(db, world.member, world.ca, period)
    with pytest.raises(Forbidden):
        national.sheets(db, world.admin_b, world.ca, period)


def test_an_empty_period_exports_headers_only(db, world):
    period = periods.parse("2020", NOW, "year")
    assert _csv(national.sheets(db, world.admin, world.ca, period, "hours")[0])[1:] == [
        national.HOURS_HEADERS, ["合计", "", "", "", "", "", "0", "", "", "", ""]]


def _counted_from_lines(db, community, period) -> dict:
    """The export's own netting of the period's lines (what the kept summary must agree with)."""
    net = national._net_records(period, community.id).subquery()
    n, people, h = db.execute(select(func.count(), func.count(func.distinct(net.c.volunteer_id)),
                                     func.coalesce(func.sum(net.c.hours), 0))).one()
    return {"services": n, "volunteers": people, "hours": Decimal(h)}


def test_the_pages_counts_are_kept_per_month_and_agree_with_the_export(db, world, make_wish):
    s = _world_hours(db, world, make_wish)
    fixed = make_wish("closed", estimated_hours=1.5, title="换灯泡", volunteers=[world.member3])
    entry = db.scalar(select(LedgerEntry).where(LedgerEntry.wish_id == fixed.id))
    if entry is None:  # 陈党员's records wait for approval: approve this one first
        rec = db.scalar(select(ServiceRecord).where(ServiceRecord.wish_id == fixed.id))
        entry = ledger.approve(db, world.admin, rec.id)
    (_rev, new) = ledger.correct(db, world.admin, entry.id, "2", "实际两小时")
    ledger.correct(db, world.admin, new.id, "0", "重复登记")  # corrected, then netted away
    this_year = periods.parse(None, utcnow(), "year")
    older = periods.parse(None, s.starts_at, "year")
    for period in (this_year, older):
        assert national.counts(db, world.ca, period) == _counted_from_lines(db, world.ca, period)
    assert national.counts(db, world.ca, older) == {"services": 1, "volunteers": 1,
                                                    "hours": Decimal("1.0")}  # the 补录 hour
    assert national.counts(db, world.ca, this_year)["services"] == 1
    assert not kept.services_drift(db)
