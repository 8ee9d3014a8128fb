"""Issue 23 item 6: the good rows of a list go in while the bad ones come back as a file to fix
and import again; one household may share a phone (the first to register it signs in)."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from jobs.imports import process_import_jobs
from tests.unit.admin.test_imports import LIMITS, RES_HEAD, csv_bytes, written, xlsx_bytes
from webapp.models import AdminLog, ImportJob, User, utcnow
from webapp.services.admin import imports
from webapp.services.errors import Conflict

GOOD = [["张三", "151 9487 5749", "第一网格", "1号楼", "2单元101"],
        ["李四", "", "第二网格", "7号楼", "1单元302"],
        ["王五", "+86 137 0000 0003", "第一网格", "1号楼", ""]]
BAD = [["孙七", "15194875l49", "第一网格", "1号楼", ""],  # a letter l among the digits
       ["周八", "", "第九网格", "1号楼", ""]]  # no such grid


def _users(db, **where) -> int:
    return db.scalar(select(func.count()).select_from(User).filter_by(**where))


def _sheet(data: bytes) -> list[list]:
    return [[c.value for c in r] for r in load_workbook(io.BytesIO(data)).active.iter_rows()]


def test_good_rows_import_and_bad_rows_come_back_to_fix_and_import_again(db, world):
    data = csv_bytes([RES_HEAD, GOOD[0], BAD[0], GOOD[1], BAD[1], GOOD[2]])
    job = imports.preview(db, world.admin, "residents", world.ca, "x.csv", data, LIMITS)
    assert {e["row"] for e in job.errors} == {3, 5} and job.counts["create"] == 3
    assert "第 9 位是字母 l" in next(e["message"] for e in job.errors if e["row"] == 3)
    with pytest.raises(Conflict):  # all or nothing unless the admin asks for the good rows
        imports.confirm(db, world.admin, job.id, LIMITS)
    db.rollback()
    done = imports.confirm(db, world.admin, job.id, LIMITS, skip_bad=True)
    assert done.status == "done" and done.counts == {"create": 3, "update": 0, "unchanged": 0,
                                                     "skipped": 2}
    assert _users(db, phone="15194875749") == 1 and _users(db, name="孙七") == 0
    log = db.scalar(select(AdminLog).where(AdminLog.kind == "import"))
    assert log.details["skipped"] == 2 and "2 行有问题，未导入" in log.summary
    # The refused rows, in the template's columns, each with its reason and original row.
    sheet = _sheet(imports.rejects(db, world.admin, job.id))
    assert sheet[0] == ["姓名", "手机号", "网格", "楼栋", "门牌/地址", "需要修改的问题", "原行号"]
    assert [r[0] for r in sheet[1:]] == ["孙七", "周八"] and [r[6] for r in sheet[1:]] == [3, 5]
    assert "第 9 位是字母 l" in sheet[1][5] and "第九网格" in sheet[2][5]
    # Fixed in Excel and uploaded as it is: the two extra columns are neither read nor flagged.
    sheet[1][1], sheet[2][2] = "15194875740", "第一网格"
    fixed = imports.preview(db, world.admin, "residents", world.ca, "fixed.xlsx",
                            xlsx_bytes(sheet), LIMITS)
    assert not fixed.errors and fixed.counts["create"] == 2
    assert fixed.layout["ignored"] == []
    imports.confirm(db, world.admin, fixed.id, LIMITS)
    assert _users(db, name="孙七") == 1 and _users(db, name="周八") == 1
    # The whole first file again: nothing new, the still-bad rows refused again.
    before = written(db)
    again = imports.preview(db, world.admin, "residents", world.ca, "x.csv", data, LIMITS)
    again = imports.confirm(db, world.admin, again.id, LIMITS, skip_bad=True)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "skipped": 2}
    after = written(db)
    assert after["User"] == before["User"] and after["RoleGrant"] == before["RoleGrant"]


def test_a_file_of_bad_rows_only_imports_nothing(db, world):
    job = imports.preview(db, world.admin, "residents", world.ca, "x.csv",
                          csv_bytes([RES_HEAD, *BAD]), LIMITS)
    before = written(db)
    with pytest.raises(Conflict) as exc:
        imports.confirm(db, world.admin, job.id, LIMITS, skip_bad=True)
    assert exc.value.code == "import_nothing_good"
    db.rollback()
    assert written(db) == before
    with pytest.raises(Conflict):  # nothing to fix in a clean import
        clean = imports.preview(db, world.admin, "residents", world.ca, "y.csv",
                                csv_bytes([RES_HEAD, GOOD[0]]), LIMITS)
        imports.rejects(db, world.admin, clean.id)


def test_api_direct_import_of_the_good_rows(db, world):
    job = imports.import_now(db, world.admin, "residents", world.ca, "x.csv",
                             csv_bytes([RES_HEAD, *GOOD, *BAD]), LIMITS, skip_bad=True)
    assert job.counts["create"] == 3 and job.counts["skipped"] == 2 and len(job.errors) == 2
    assert [r[0] for r in _sheet(imports.rejects(db, world.admin, job.id))[1:]] == ["孙七", "周八"]


def test_big_file_good_rows_through_the_job_process_and_kept_rows_forgotten(app, db, world,
                                                                           monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_ASYNC_ROWS", LIMITS.async_rows)
    rows = [RES_HEAD] + [[f"居民{i}", f"1370000{i:04d}", "第一网格", "1号楼", f"{i}室"]
                         for i in range(25)] + BAD
    job = imports.preview(db, world.admin, "residents", world.ca, "big.csv", csv_bytes(rows),
                          LIMITS)
    now = utcnow()
    process_import_jobs(db, now)
    db.expire_all()
    assert len(db.get(ImportJob, job.id).errors) == 2
    assert imports.confirm(db, world.admin, job.id, LIMITS, skip_bad=True).status == "queued_import"
    process_import_jobs(db, now)
    db.expire_all()
    job = db.get(ImportJob, job.id)
    assert job.status == "done" and job.counts["create"] == 25 and job.counts["skipped"] == 2
    assert imports.rejects_kept(db, job)
    process_import_jobs(db, now + timedelta(days=2))  # names and phones kept a day only
    db.expire_all()
    assert not imports.rejects_kept(db, db.get(ImportJob, job.id))
    with pytest.raises(Conflict):
        imports.rejects(db, world.admin, job.id)


HOUSE = ["第一网格", "1号楼", "3单元502"]


def test_one_household_shares_a_phone_and_the_first_signs_in(db, world):
    rows = [RES_HEAD, ["钱大爷", "151 9487 5749", *HOUSE], ["孙奶奶", "15194875749", *HOUSE]]
    job = imports.preview(db, world.admin, "residents", world.ca, "x.csv", csv_bytes(rows), LIMITS)
    assert not job.errors and job.counts["create"] == 2
    assert job.layout["shared_phones"] == [{"row": 3, "name": "孙奶奶", "holder": "钱大爷",
                                            "holder_row": 2}]
    imports.confirm(db, world.admin, job.id, LIMITS)
    assert db.scalar(select(User.name).where(User.phone == "15194875749")) == "钱大爷"
    sun = db.scalar(select(User).where(User.name == "孙奶奶"))
    assert sun.phone is None and sun.building_id == world.ba1.id and sun.address == "3单元502"
    again = imports.preview(db, world.admin, "residents", world.ca, "x.csv", csv_bytes(rows),
                            LIMITS)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2} and not again.errors


def test_a_registered_holder_keeps_the_phone_and_other_homes_may_not_share(db, world):
    world.resident.address = "3单元502"  # 王小明, 1号楼, phone 13800000101
    db.commit()
    rows = [RES_HEAD, ["王老伴", world.resident.phone, *HOUSE],
            ["邻居", world.resident.phone, "第一网格", "1号楼", "3单元501"],  # another door
            ["甲", "13700000009", "第一网格", "1号楼", ""],
            ["乙", "13700000009", "第一网格", "1号楼", ""]]  # no door given: not one household
    job = imports.preview(db, world.admin, "residents", world.ca, "x.csv", csv_bytes(rows), LIMITS)
    assert job.layout["shared_phones"] == [{"row": 2, "name": "王老伴", "holder": "王**",
                                            "holder_row": None}]
    msgs = {e["row"]: e["message"] for e in job.errors}
    assert set(msgs) == {3, 5} and "王**" in msgs[3]
    assert "相同的楼栋和门牌" in msgs[3] and "第 4 行" in msgs[5] and "相同的楼栋和门牌" in msgs[5]
