"""The import pages: upload → preview → confirm, big files through the job process, downloads,
and who may import where (another community's and another street's admins may not)."""
import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from jobs.imports import process_import_jobs
from tests.conftest import login
from tests.unit.admin.test_imports import RESIDENTS, csv_bytes, written, xlsx_bytes
from tests.web.apiutil import Api
from webapp.models import AdminLog, ImportJob, Org, User, utcnow


def _upload(client, data, filename="居民.csv", **form):
    fields = {"kind": "residents", **{k: str(v) for k, v in form.items()}}
    fields["file"] = (io.BytesIO(data), filename)
    return client.post("/admin/imports", data=fields, content_type="multipart/form-data")


def test_upload_preview_confirm_and_again_nothing(client, db, world):
    login(client, world.admin)
    page = client.get("/admin/imports")
    assert page.status_code == 200 and "从 Excel 导入名单" in page.text
    assert "/admin/imports/template.xlsx?kind=residents" in page.text
    r = _upload(client, csv_bytes(RESIDENTS, "gb18030"))
    assert r.status_code == 303
    preview = client.get(r.headers["Location"])
    assert "确认导入" in preview.text and "待确认" in preview.text
    assert db.scalar(select(User.id).where(User.phone == "13700000001")) is None  # not yet
    job_id = int(r.headers["Location"].rsplit("/", 1)[1])
    done = client.post(f"/admin/imports/{job_id}/confirm", follow_redirects=True)
    assert "导入完成：新增 3，更新 0，未变 0。" in done.text and "已导入" in done.text
    assert db.scalar(select(User.id).where(User.phone == "13700000001"))
    assert client.post(f"/admin/imports/{job_id}/confirm").status_code == 409  # once only
    again = _upload(client, csv_bytes(RESIDENTS, "gb18030"))
    j2 = int(again.headers["Location"].rsplit("/", 1)[1])
    done2 = client.post(f"/admin/imports/{j2}/confirm", follow_redirects=True)
    assert "导入完成：新增 0，更新 0，未变 3。" in done2.text


def test_bad_rows_are_shown_and_downloadable_and_cannot_be_confirmed(client, db, world):
    login(client, world.admin)
    rows = RESIDENTS + [["=cmd|' /C calc'!A0", "", "第一网格", "1号楼", ""],
                        ["孙七", "", "第九网格", "1号楼", ""]]
    r = _upload(client, csv_bytes(rows))
    page = client.get(r.headers["Location"])
    assert "有 2 处需要修改，没有导入任何数据" in page.text and "确认导入" not in page.text
    assert "本社区没有名为“第九网格”的网格" in page.text
    job_id = int(r.headers["Location"].rsplit("/", 1)[1])
    before = written(db)
    assert client.post(f"/admin/imports/{job_id}/confirm").status_code == 409
    assert written(db) == before
    rep = client.get(f"/admin/imports/{job_id}/errors?fmt=csv")
    table = list(csv.reader(io.StringIO(rep.data.decode("utf-8-sig"))))
    assert table[0] == ["行号", "列", "问题"] and table[1][:2] == ["5", "姓名"]
    xl = client.get(f"/admin/imports/{job_id}/errors?fmt=xlsx")
    ws = load_workbook(io.BytesIO(xl.data)).active
    assert [c.value for c in next(ws.iter_rows(min_row=3, max_row=3))][:2] == [6, "网格"]


def test_bad_file_answers_on_the_form(client, db, world, app, monkeypatch):
    login(client, world.admin)
    before = written(db)
    r = _upload(client, b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png")
    assert r.status_code == 422 and "这不是 Excel（.xlsx）或 CSV 文件" in r.text
    r = _upload(client, "名字,电话\r\n张三,1\r\n".encode(), "x.csv")
    assert r.status_code == 422 and "表头缺少这些列：网格、楼栋" in r.text
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1024 * 1024)
    r = _upload(client, b"a" * (1024 * 1024 + 70 * 1024), "big.csv")
    assert r.status_code == 422 and "最多 1.0 MB" in r.text
    r = client.post("/admin/imports", data={"kind": "residents"},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and "请选择要上传的" in r.text
    assert written(db) == before


def test_big_file_progress_through_the_job_process(client, db, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_ASYNC_ROWS", 5)
    login(client, world.admin)
    rows = [RESIDENTS[0]] + [[f"居民{i}", f"1370000{i:04d}", "第一网格", "1号楼", ""]
                             for i in range(12)]
    r = _upload(client, csv_bytes(rows))
    url = r.headers["Location"]
    page = client.get(url)
    assert "排队检查" in page.text and 'data-hx-trigger="every 2s"' in page.text
    assert "<progress" in page.text
    process_import_jobs(db, utcnow())
    frag = client.get(url, headers={"HX-Request": "true"})
    assert "确认导入" in frag.text and "data-hx-get" not in frag.text
    job_id = int(url.rsplit("/", 1)[1])
    client.post(f"/admin/imports/{job_id}/confirm")
    assert "排队导入" in client.get(url).text
    process_import_jobs(db, utcnow())
    assert "已导入" in client.get(url).text
    assert db.scalar(select(ImportJob.counts).where(ImportJob.id == job_id))["create"] == 12


def test_street_admin_imports_a_tree_for_the_street(client, db, world):
    login(client, world.street_admin)
    data = xlsx_bytes([["社区", "网格", "楼栋"], ["新华社区", "新一网格", "A栋"]])
    r = _upload(client, data, "树.xlsx", kind="tree", org=world.street.id)
    job_id = int(r.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/admin/imports/{job_id}/confirm")
    assert db.scalar(select(Org).where(Org.name == "A栋")).street_id == world.street.id
    log = db.scalar(select(AdminLog).where(AdminLog.kind == "import"))
    assert log.street_id == world.street.id and log.actor_id == world.street_admin.id
    tpl = client.get("/admin/imports/template.xlsx?kind=tree")
    ws = load_workbook(io.BytesIO(tpl.data)).worksheets[0]
    assert [c.value for c in ws[1]] == ["社区", "网格", "楼栋"]


def test_other_community_and_other_street_admins_cannot_import_into_a(client, db, world,
                                                                      make_user):
    other = Org(kind="street", name="别的街道", settings={})
    db.add(other)
    db.commit()
    other_admin = make_user("别街道", "13600000001", None, [("street_admin", other, None)])
    before = written(db)
    for user in (world.admin_b, other_admin):
        c = client.application.test_client()
        login(c, user)
        assert _upload(c, csv_bytes(RESIDENTS), org=world.ca.id).status_code == 403
        assert _upload(c, csv_bytes([["社区", "网格", "楼栋"], ["城西社区", "新网格", ""]]),
                       kind="tree", org=world.street.id).status_code == 403
        api = Api(c, user)
        r = c.post(f"/api/v1/imports?kind=residents&community={world.ca.id}&dry_run=1",
                   data={"file": (io.BytesIO(csv_bytes(RESIDENTS)), "x.csv")},
                   headers={"Authorization": f"Bearer {api.token}"})
        assert r.status_code == 403
    c = client.application.test_client()
    login(c, world.grid_worker)
    assert _upload(c, csv_bytes(RESIDENTS), org=world.ca.id).status_code == 403
    assert {k: v for k, v in written(db).items()} == before
    # Their own imports are theirs alone: A's admin cannot open B's admin's job.
    login(client, world.admin_b)
    r = _upload(client, csv_bytes([RESIDENTS[0], ["甲", "", "东一网格", "东1栋", ""]]))
    login(client, world.admin)
    assert client.get(r.headers["Location"]).status_code == 404


def test_a_stalled_import_offers_to_process_it_again(app, client, db, world, monkeypatch):
    from datetime import timedelta

    from sqlalchemy import update
    monkeypatch.setitem(app.config, "IMPORT_ASYNC_ROWS", 5)
    login(client, world.admin)
    rows = [RESIDENTS[0]] + [[f"居民{i}", f"1370000{i:04d}", "第一网格", "1号楼", ""]
                             for i in range(12)]
    url = _upload(client, csv_bytes(rows)).headers["Location"]
    job_id = int(url.rsplit("/", 1)[1])
    assert client.post(f"/admin/imports/{job_id}/retry").status_code == 409  # not stalled
    db.execute(update(ImportJob).where(ImportJob.id == job_id).values(
        status="checking", heartbeat_at=utcnow() - timedelta(hours=1)))  # its process died
    db.commit()
    process_import_jobs(db, utcnow())
    page = client.get(url).text
    assert "后台处理中断了" in page and "重新处理" in page and "data-hx-get" not in page
    r = client.post(f"/admin/imports/{job_id}/retry", follow_redirects=True)
    assert "已重新排队处理。" in r.text and 'data-hx-trigger="every 2s"' in r.text
    process_import_jobs(db, utcnow())
    assert "确认导入" in client.get(url).text
