"""Issue 23 item 6 on the page: import the good rows, download the bad ones, shared phones said."""
import io

from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import login
from tests.unit.admin.test_imports import RES_HEAD, csv_bytes
from tests.web.admin.test_imports import _upload
from webapp.models import User


def test_the_good_rows_go_in_and_the_bad_ones_come_back(client, db, world):
    login(client, world.admin)
    rows = [RES_HEAD, ["张三", "151 9487 5749", "第一网格", "1号楼", "3单元502"],
            ["张大妈", "15194875749", "第一网格", "1号楼", "3单元502"],  # same household
            ["孙七", "15194875l49", "第一网格", "1号楼", ""]]
    r = _upload(client, csv_bytes(rows))
    url = r.headers["Location"]
    page = client.get(url).text
    assert "只导入没有问题的 2 行" in page and "第 9 位是字母 l" in page
    assert "一户共用手机号：1 人" in page and "由“<span data-user-content>张三</span>”用它登录" in page
    assert "下载有问题的 1 行" in page
    done = client.post(url + "/confirm", data={"skip_bad": "1"}, follow_redirects=True)
    assert "导入完成：新增 2，更新 0，未变 0。" in done.text
    assert "1 行有问题，没有导入" in done.text and "只导入没有问题" not in done.text
    assert db.scalar(select(User.name).where(User.phone == "15194875749")) == "张三"
    xl = client.get(url + "/rejects.xlsx")
    assert xl.status_code == 200 and "attachment" in xl.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(xl.data)).active
    assert [c.value for c in ws[2]][:2] == ["孙七", "15194875l49"]
    assert client.post(url + "/confirm", data={"skip_bad": "1"}).status_code == 409  # once


def test_english_preview_of_the_good_rows(client, db, world):
    db.get(User, world.admin.id).locale = "en"
    db.commit()
    login(client, world.admin)
    r = _upload(client, csv_bytes([RES_HEAD, ["张三", "13700000001", "第一网格", "1号楼", ""],
                                   ["孙七", "15194875l49", "第一网格", "1号楼", ""]]))
    page = client.get(r.headers["Location"]).text
    assert "Import only the 1 good rows" in page and "Character 9 of the phone number is the letter l" in page
    assert ">手机号</td>" not in page  # the column named in English too
