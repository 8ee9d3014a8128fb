"""Imports from Excel/CSV: reading (encodings, merged headers), checks, all-or-nothing, jobs."""
import csv
import io
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from jobs.imports import process_import_jobs
from webapp.models import (AdminLog, ImportJob, Org, Registration, RoleGrant, User, utcnow)
from webapp.services.admin import imports
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.services.people import residents as resident_svc

LIMITS = imports.Limits(max_bytes=200_000, max_rows=50, async_rows=20)
RES_HEAD = ["姓名", "手机号", "网格", "楼栋", "门牌/地址"]


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows, merges=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def written(db) -> dict:
    db.expire_all()
    return {m.__name__: db.scalar(select(func.count()).select_from(m))
            for m in (User, RoleGrant, Org, Registration, AdminLog, ImportJob)}


def run(db, actor, kind, data, filename="名单.csv", scope=None, verified=False, limits=LIMITS):
    """Preview then confirm, as the web page does; returns the finished job."""
    scope = scope or imports.scope_for(db, actor, kind)
    job = imports.preview(db, actor, kind, scope, filename, data, limits, verified)
    assert job.status == "previewed" and not job.errors, job.errors
    return imports.confirm(db, actor, job.id, limits)


RESIDENTS = [RES_HEAD, ["张三", "13700000001", "第一网格", "1号楼", "2单元101"],
             ["李四", "", "第二网格", "7号楼", "1单元302"],
             ["王五", "１３７０００００００３", "第一网格", "1号楼", ""]]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_residents_csv_gbk_or_bomless_utf8_import_then_again_changes_nothing(db, world, encoding):
    data = csv_bytes(RESIDENTS, encoding)
    job = run(db, world.admin, "residents", data)
    assert job.status == "done" and job.counts == {"create": 3, "update": 0, "unchanged": 0}
    zhang = db.scalar(select(User).where(User.phone == "13700000001"))
    assert (zhang.name, zhang.building_id, zhang.address) == ("张三", world.ba1.id, "2单元101")
    assert zhang.password_hash is None and "resident" in zhang.role_names()
    li = db.scalar(select(User).where(User.name == "李四"))
    assert li.phone is None and li.building_id == world.ba2.id  # 代登记: no phone
    assert db.scalar(select(User.id).where(User.phone == "13700000003"))  # full-width → ASCII
    log = db.scalar(select(AdminLog).where(AdminLog.kind == "import"))
    assert log.details["create"] == 3 and log.community_id == world.ca.id and "名单.csv" in log.summary
    before = written(db)
    again = run(db, world.admin, "residents", data)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}
    after = written(db)
    assert {k: v for k, v in after.items() if k not in ("AdminLog", "ImportJob")} == {
        k: v for k, v in before.items() if k not in ("AdminLog", "ImportJob")}


def test_xlsx_with_merged_title_and_two_row_header(db, world):
    rows = [["城西社区居民花名册", None, None, None, None],
            ["姓名", "手机号（选填）", "网格", "住址", None],
            [None, None, None, "楼栋", "门牌"],
            ["张三", 13700000011, "第一网格", "1号楼", "101"],  # a phone typed as a number
            ["李四", "13700000012", "第二网格", "7号楼", "=1+1"]]  # no cached value: blank
    data = xlsx_bytes(rows, merges=["A1:E1", "A2:A3", "B2:B3", "C2:C3", "D2:E2"])
    job = run(db, world.admin, "residents", data, "花名册.xlsx")
    assert job.counts["create"] == 2
    assert db.scalar(select(User.address).where(User.phone == "13700000011")) == "101"
    assert db.scalar(select(User.address).where(User.phone == "13700000012")) is None


def test_a_moved_resident_is_an_update(db, world):
    run(db, world.admin, "residents", csv_bytes(RESIDENTS))
    moved = [RES_HEAD, ["张三", "13700000001", "第二网格", "7号楼", "9单元9"]]
    job = run(db, world.admin, "residents", csv_bytes(moved))
    assert job.counts == {"create": 0, "update": 1, "unchanged": 0}
    zhang = db.scalar(select(User).where(User.phone == "13700000001"))
    assert zhang.building_id == world.ba2.id
    assert {g.org_id for g in zhang.roles if g.role == "resident"} == {world.ba2.id}


def _refused(db, world, data, filename="x.csv", kind="residents", limits=LIMITS):
    before = written(db)
    with pytest.raises(Invalid) as exc:
        imports.preview(db, world.admin, kind, world.ca, filename, data, limits)
    db.rollback()
    assert written(db) == before
    return str(exc.value.message)


@pytest.mark.parametrize("data,filename,expected", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "photo.png", "不是 Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls", "旧版 Excel"),
    (b"PK\x03\x04 not really a zip", "broken.xlsx", "无法读取"),
    (b"", "empty.csv", "文件是空的"),
    (b"\xef\xbb\xbf\r\n,,,\r\n", "blank.csv", "文件是空的"),
    ("姓名,手机号,网格,楼栋\r\n".encode(), "head.csv", "没有数据行"),
    ("名字,电话,地址\r\n张三,13700000001,x\r\n".encode(), "wrong.csv", "网格、楼栋"),
    (b"x" * 200_001, "big.csv", "最多 0.2 MB"),
])
def test_bad_files_get_a_clear_answer_and_write_nothing(db, world, data, filename, expected):
    assert expected in _refused(db, world, data, filename)


def test_too_many_rows_says_the_limit(db, world):
    rows = [RES_HEAD] + [[f"人{i}", "", "第一网格", "1号楼", ""] for i in range(51)]
    assert "50 行" in _refused(db, world, csv_bytes(rows))


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_imported(db, world):
    rows = [RES_HEAD,
            ["张三", "13700000001", "第一网格", "1号楼", ""],
            ["张三二", "13700000001", "第一网格", "1号楼", ""],  # 3: duplicate in the file
            ["钱六", world.resident_b.phone, "第一网格", "1号楼", ""],  # 4: another community
            ["错名", world.resident.phone, "第一网格", "1号楼", ""],  # 5: name differs
            ["孙七", "", "第九网格", "1号楼", ""],  # 6: unknown grid
            ["周八", "", "第一网格", "99号楼", ""],  # 7: unknown building
            ["吴" * 41, "", "第一网格", "1号楼", ""],  # 8: too long
            ["郑九", "١٣٧٠٠٠٠٠٠٠٩", "第一网格", "1号楼", ""],  # 9: Arabic-Indic digits
            ["=HYPERLINK(\"http://x\")", "", "第一网格", "1号楼", ""],  # 10: a formula
            ["", "137000000", "第一网格", "1号楼", ""]]  # 11: no name, short phone
    job = imports.preview(db, world.admin, "residents", world.ca, "x.csv", csv_bytes(rows), LIMITS)
    got = {(e["row"], e["column"]) for e in job.errors}
    assert got == {(3, "手机号"), (4, "手机号"), (5, "手机号"), (6, "网格"), (7, "楼栋"),
                   (8, "姓名"), (9, "手机号"), (10, "姓名"), (11, "姓名"), (11, "手机号")}
    msgs = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "第 2 行" in msgs[(3, "手机号")] and "王**" in msgs[(5, "手机号")]
    assert "王小明" not in str(job.errors) and "最多 40 个字" in msgs[(8, "姓名")]
    assert "公式" in msgs[(10, "姓名")] and "0–9" in msgs[(9, "手机号")]
    before = written(db)
    with pytest.raises(Conflict):
        imports.confirm(db, world.admin, job.id, LIMITS)
    db.rollback()
    assert written(db) == before
    with pytest.raises(imports.RowsInvalid) as exc:  # the API's direct import: 422, nothing
        imports.import_now(db, world.admin, "residents", world.ca, "x.csv", csv_bytes(rows),
                           LIMITS)
    db.rollback()
    assert len(exc.value.errors) == 10 and written(db) == before


def test_a_change_between_preview_and_confirm_aborts_the_whole_import(db, world):
    job = imports.preview(db, world.admin, "residents", world.ca, "x.csv",
                          csv_bytes(RESIDENTS), LIMITS)
    assert job.counts["create"] == 3
    # Meanwhile grid staff register the list's phoneless 李四 by hand: no constraint would stop
    # a second 李四, only the re-check against the preview does.
    resident_svc.add_resident_by_staff(db, world.grid_worker2, "李四", world.ba2.id, None)
    before = written(db)
    with pytest.raises(Conflict) as exc:
        imports.confirm(db, world.admin, job.id, LIMITS)
    assert "没有导入任何数据" in str(exc.value.message)
    after = written(db)
    assert after == before
    assert db.get(ImportJob, job.id).status == "failed"
    assert db.scalar(select(func.count()).select_from(User).where(User.name == "李四")) == 1
    assert db.scalar(select(User.id).where(User.phone == "13700000001")) is None


def test_tree_by_street_admin_with_merged_cells_and_again_unchanged(db, world):
    rows = [["社区", "网格", "楼栋"], ["城西社区", "第一网格", "1号楼"], [None, None, "2号楼"],
            [None, "第三网格", "8号楼"], ["新华社区", "新一网格", "A栋"], [None, None, "B栋"],
            ["新华社区", "新二网格", None]]
    data = xlsx_bytes(rows, merges=["A2:A4", "B2:B3", "A5:A6", "B5:B6"])
    job = run(db, world.street_admin, "tree", data, "组织树.xlsx")
    assert job.counts == {"create": 5, "update": 0, "unchanged": 1}
    xinhua = db.scalar(select(Org).where(Org.name == "新华社区"))
    assert xinhua.street_id == world.street.id and xinhua.parent_id == world.street.id
    b = db.scalar(select(Org).where(Org.name == "B栋"))
    assert b.community_id == xinhua.id and db.get(Org, b.grid_id).name == "新一网格"
    assert db.scalar(select(Org).where(Org.name == "8号楼")).community_id == world.ca.id
    again = run(db, world.street_admin, "tree", data, "组织树.xlsx")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 6}


def test_community_admin_imports_only_its_own_tree(db, world):
    rows = [["社区", "网格", "楼栋"], ["城东社区", "东二网格", ""], ["", "第三网格", "9号楼"]]
    job = imports.preview(db, world.admin, "tree", world.ca, "t.csv", csv_bytes(rows), LIMITS)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "社区")]
    assert "城西社区" in job.errors[0]["message"]
    ok = run(db, world.admin, "tree", csv_bytes(rows[:1] + rows[2:]))
    assert ok.counts["create"] == 1


def test_scope_permissions(db, world, make_user):
    other = Org(kind="street", name="别的街道", settings={})
    db.add(other)
    db.commit()
    other_admin = make_user("别街道", "13600000001", None, [("street_admin", other, None)])
    for actor, kind, kw in [(world.admin_b, "residents", {"community_id": world.ca.id}),
                            (other_admin, "residents", {"community_id": world.ca.id}),
                            (other_admin, "tree", {"street_id": world.street.id}),
                            (world.admin, "tree", {"street_id": world.street.id})]:
        with pytest.raises(Forbidden):
            imports.scope_for(db, actor, kind, **kw)
    for actor in (world.grid_worker, world.resident, world.member):  # grid workers: no imports
        with pytest.raises(Forbidden):
            imports.scope_for(db, actor, "residents")
    assert imports.scope_for(db, world.street_admin, "members", world.cb.id) == world.cb
    assert imports.scope_for(db, world.street_admin, "tree") == world.street
    assert imports.scope_for(db, world.admin, "tree") == world.ca


MEMBERS = [["姓名", "手机号", "单位", "特长"], ["新党员", "13500000001", "区人民医院", "理发、维修"],
           ["李志愿", "13800000103", "区人民医院", ""],  # already a member
           ["赵阿姨", "13800000102", "", "唱歌"]]  # a resident, not yet reported


def test_members_become_pending_then_approved_when_verified(db, world):
    job = run(db, world.admin, "members", csv_bytes(MEMBERS))
    assert job.counts == {"create": 2, "update": 0, "unchanged": 1}
    new = db.scalar(select(User).where(User.phone == "13500000001"))
    assert new.unit_id == world.unit.id and new.skills == "理发,维修"
    regs = db.scalars(select(Registration).where(Registration.community_id == world.ca.id)).all()
    assert {r.status for r in regs} == {"pending"} and "member" not in new.role_names()
    again = run(db, world.admin, "members", csv_bytes(MEMBERS))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}
    verified = run(db, world.admin, "members", csv_bytes(MEMBERS), verified=True)
    assert verified.counts == {"create": 0, "update": 2, "unchanged": 1}
    db.expire_all()
    new = db.get(User, new.id)
    assert "member" in new.role_names() and new.volunteer_no
    assert db.scalar(select(func.count()).select_from(Registration).where(
        Registration.status == "approved", Registration.decided_by_id == world.admin.id)) == 2


def test_members_unknown_unit_and_missing_phone(db, world):
    rows = MEMBERS[:1] + [["甲", "", "区人民医院", ""], ["乙", "13500000002", "东区学校", ""]]
    job = imports.preview(db, world.admin, "members", world.ca, "m.csv", csv_bytes(rows), LIMITS)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "手机号"), (3, "单位")]


def test_big_file_is_checked_and_imported_by_the_job_process(app, db, world, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_ASYNC_ROWS", LIMITS.async_rows)
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", LIMITS.max_rows)
    rows = [RES_HEAD] + [[f"居民{i}", f"1370000{i:04d}", "第一网格", "1号楼", f"{i}室"]
                         for i in range(30)]
    job = imports.preview(db, world.admin, "residents", world.ca, "big.csv", csv_bytes(rows),
                          LIMITS)
    assert job.status == "queued_check" and job.total_rows == 30 and job.counts == {}
    now = utcnow()
    assert process_import_jobs(db, now) == 1
    db.expire_all()
    job = db.get(ImportJob, job.id)
    assert (job.status, job.progress, job.counts["create"]) == ("previewed", 100, 30)
    assert written(db)["User"] == 13  # checked, nothing imported yet
    assert imports.confirm(db, world.admin, job.id, LIMITS).status == "queued_import"
    assert process_import_jobs(db, now) == 1
    db.expire_all()
    job = db.get(ImportJob, job.id)
    assert (job.status, job.progress, job.content) == ("done", 100, None)
    assert written(db)["User"] == 43
    assert db.scalar(select(AdminLog).where(AdminLog.kind == "import")).details["create"] == 30
    assert process_import_jobs(db, now) == 0
    # An unconfirmed preview is forgotten with its file after a day.
    old = imports.preview(db, world.admin, "residents", world.ca, "x.csv", csv_bytes(RESIDENTS),
                          LIMITS)
    process_import_jobs(db, now + timedelta(days=2))
    db.expire_all()
    assert (db.get(ImportJob, old.id).status, db.get(ImportJob, old.id).content) == ("expired", None)


def test_error_report_neutralises_formulas(db):
    errors = [{"row": 2, "column": "姓名", "message": "=HYPERLINK(\"http://x\",\"y\")"},
              {"row": 3, "column": "@SUM(A1)", "message": "+1"},
              {"row": 4, "column": "-2", "message": "\tx"}]
    text = imports.error_report(errors, "csv").decode("utf-8-sig")
    cells = [c for r in csv.reader(io.StringIO(text)) for c in r[1:]]
    assert all(not c.startswith(("=", "+", "-", "@", "\t")) for c in cells), cells
    ws = load_workbook(io.BytesIO(imports.error_report(errors, "xlsx"))).active
    vals = [c for r in ws.iter_rows(min_row=2) for c in r[1:]]
    assert [(c.data_type, c.value) for c in vals] == [
        ("s", "姓名"), ("s", "'=HYPERLINK(\"http://x\",\"y\")"), ("s", "'@SUM(A1)"),
        ("s", "'+1"), ("s", "'-2"), ("s", "'\tx")]
    assert imports.safe_text("王小明") == "王小明"


@pytest.mark.parametrize("kind", imports.KINDS)
def test_templates_have_chinese_headers_and_an_example_row(db, world, kind):
    ws = load_workbook(io.BytesIO(imports.template(kind))).worksheets[0]
    rows = list(ws.iter_rows(values_only=True, max_row=2))
    assert rows[0] == tuple(c.header for c in imports.KINDS[kind])
    assert all(rows[1][i] for i, c in enumerate(imports.KINDS[kind]))
    if kind != "tree":  # the template itself imports (its example names world's grid)
        plan = imports.check(db, world.admin, kind, world.ca, "模板.xlsx", imports.template(kind),
                             LIMITS)
        assert not plan.errors, plan.errors


def _rezip(data: bytes, replace: dict) -> bytes:
    """The same .xlsx with some members replaced (a crafted file, as an attacker would make)."""
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w",
                                                                   zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, replace.get(item.filename, src.read(item.filename)))
        for name in set(replace) - set(src.namelist()):
            dst.writestr(name, replace[name])
    return out.getvalue()


def test_cells_beyond_the_declared_columns_are_never_read():
    """A dimension that understates the sheet bounds the read (no padding to the real width)."""
    from webapp.services.admin.imports import reader
    wb = Workbook()
    wb.active.append(["姓名", "手机号", "网格", "楼栋"])
    wb.active.append(["张三", "13700000001", "第一网格", "1号楼"])
    buf = io.BytesIO()
    wb.save(buf)
    sheet = load_workbook(io.BytesIO(buf.getvalue())).active
    assert sheet.max_column == 4
    table = reader.read("residents", "名单.xlsx", buf.getvalue(), max_bytes=10**6, max_rows=10)
    assert [v for _n, v in table.rows] == [{"name": "张三", "phone": "13700000001",
                                            "grid": "第一网格", "building": "1号楼"}]


def test_a_huge_shared_strings_table_is_refused_unread():
    from webapp.services.admin.imports import reader
    wb = Workbook()
    wb.active.append(["姓名", "手机号", "网格", "楼栋"])
    buf = io.BytesIO()
    wb.save(buf)
    sst = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main">' + b"<si><t>a</t></si>" * 1_200_000 + b"</sst>")
    crafted = _rezip(buf.getvalue(), {"xl/sharedStrings.xml": sst})
    assert len(crafted) < 300_000
    with pytest.raises(reader.BadFile) as e:
        reader.read("residents", "名单.xlsx", crafted, max_bytes=10**6, max_rows=10)
    assert "解压后过大" in str(e.value.fields["file"])


def test_imported_text_is_cleaned_as_the_forms_clean_it(db, world):
    """Bidi overrides, zero-width and terminal escapes were stored from imports (issue 20)."""
    rows = [RES_HEAD, ["李\u202e四\x1b[31m", "13700000044", "第一网格", "1号楼", "2单元\u200b101"]]
    run(db, world.admin, "residents", csv_bytes(rows))
    user = db.scalar(select(User).where(User.phone == "13700000044"))
    assert (user.name, user.address) == ("李四", "2单元101")
