"""Imports say what they read (issue 23 item 3): every column used and every column left out,
the headers street offices use (楼栋号, 房号, 联系电话 …), and the tree nodes an import creates,
by name, a typo'd one flagged beside the name it resembles."""
import io

from sqlalchemy import select

from jobs.imports import process_import_jobs
from tests.conftest import login
from tests.unit.admin.test_imports import LIMITS, csv_bytes, run
from webapp.models import Org, User, utcnow
from webapp.services.admin import imports


def _upload(client, data, kind):
    return client.post("/admin/imports", data={"kind": kind, "file": (io.BytesIO(data), "名单.csv")},
                       content_type="multipart/form-data")


def test_a_tree_headed_with_building_numbers_keeps_its_buildings(db, world):
    rows = [["社区名称", "网格名称", "楼栋号"], ["城西社区", "第一网格", "3号楼"]]
    job = run(db, world.admin, "tree", csv_bytes(rows))
    assert job.counts["create"] == 1
    assert db.scalar(select(Org.id).where(Org.name == "3号楼", Org.parent_id == world.ga1.id))


def test_residents_with_room_numbers_and_contact_phones(db, world):
    rows = [["户主姓名", "联系电话", "所属网格", "楼号", "房号", "备注"],
            ["张三", "137 0000 0001", "第一网格", "1号楼", "2单元101", "独居"]]
    scope = imports.scope_for(db, world.admin, "residents")
    job = imports.preview(db, world.admin, "residents", scope, "名单.csv", csv_bytes(rows),
                          LIMITS)
    used = {(u["file"], u["column"]) for u in job.layout["used"]}
    assert used == {("户主姓名", "姓名"), ("联系电话", "手机号"), ("所属网格", "网格"),
                    ("楼号", "楼栋"), ("房号", "门牌/地址")}
    assert job.layout["ignored"] == [{"file": "备注", "why": "unknown"}]
    imports.confirm(db, world.admin, job.id, LIMITS)
    assert db.scalar(select(User.address).where(User.phone == "13700000001")) == "2单元101"


def test_the_preview_lists_columns_and_new_nodes_by_name(client, db, world):
    login(client, world.admin)
    rows = [["社区", "网格", "楼栋号", "手机号码", "楼栋"],
            ["城西社区", "第一网络", "9号楼", "", "x"],
            ["城西社区", "第一网格", "10号楼", "", "y"]]
    r = _upload(client, csv_bytes(rows), "tree")
    page = client.get(r.headers["Location"]).text
    # used: the first building column; ignored: a phone column (not a tree column) and a
    # second building column
    assert "楼栋号</strong> → 楼栋" in page
    assert "手机号码</strong> · 无法识别的列名" in page and "楼栋</strong> · 与前面的列重复" in page
    # the typo'd grid is a new node, shown beside the grid it resembles
    assert "城西社区 / 第一网络" in page and "与“第一网格”相近" in page
    assert "城西社区 / 第一网格 / 10号楼" in page and "将新建 3 个节点" in page
    assert "有 1 个新名称与已有的名称相近" in page


def test_a_typod_grid_in_a_residents_list_names_the_right_one(db, world):
    rows = [["姓名", "手机号", "网格", "楼栋"], ["张三", "13700000001", "第1网格", "1号楼"]]
    plan = imports.check(db, world.admin, "residents", world.ca, "名单.csv", csv_bytes(rows),
                         LIMITS)
    assert "是不是“第一网格”？" in plan.errors[0]["message"]


def test_a_big_file_checked_by_the_job_process_keeps_its_columns(client, app, db, world,
                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_ASYNC_ROWS", 2)
    login(client, world.admin)
    rows = [["社区名称", "网格名称", "楼栋号", "备注"]] + [
        ["城西社区", "第一网格", f"{i}0号楼", ""] for i in range(1, 5)]
    r = _upload(client, csv_bytes(rows), "tree")
    assert "备注" in client.get(r.headers["Location"]).text  # columns known at upload
    process_import_jobs(db, utcnow())
    page = client.get(r.headers["Location"]).text
    assert "备注</strong> · 无法识别的列名" in page and "城西社区 / 第一网格 / 40号楼" in page


def test_the_api_dry_run_says_the_same(client, db, world):
    from tests.web.apiutil import Api
    api = Api(client, world.admin)
    data = csv_bytes([["社区名称", "网格名称", "楼栋号", "备注"], ["城西社区", "第一网格", "5号楼", ""]])
    r = client.post("/api/v1/imports?kind=tree&dry_run=1",
                    data={"file": (io.BytesIO(data), "树.csv")},
                    headers={"Authorization": f"Bearer {api.token}"},
                    content_type="multipart/form-data")
    assert r.status_code == 200, r.json
    assert [u["column"] for u in r.json["used"]] == ["社区", "网格", "楼栋"]
    assert r.json["ignored"] == [{"file": "备注", "why": "unknown"}]
    assert r.json["new_nodes"] == [{"kind": "building", "path": "城西社区 / 第一网格 / 5号楼",
                                    "like": None}]
