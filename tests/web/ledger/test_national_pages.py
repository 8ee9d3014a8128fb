"""The national export's page and downloads through the test client (issue 26 §4)."""
import csv
import io

from openpyxl import load_workbook

from tests.conftest import login
from webapp.services.ledger import national


def test_page_counts_and_both_formats_download(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5, title="陪老人聊天")
    login(client, world.admin)
    assert "全国志愿服务信息系统导出" in client.get("/ledger/").get_data(as_text=True)
    page = client.get("/ledger/national?kind=year").get_data(as_text=True)
    assert 'id="national-counts"' in page and "1 人" in page and "1.5 小时" in page
    r = client.get("/ledger/national/export?kind=year&fmt=xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    assert r.headers["Cache-Control"] == "no-store"
    wb = load_workbook(io.BytesIO(r.data))
    assert [c.value for c in wb["志愿者"][2]] == national.VOLUNTEER_HEADERS
    r = client.get("/ledger/national/export?kind=year&fmt=csv&table=activities")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[1] == national.ACTIVITY_HEADERS and rows[2][1] == "陪老人聊天"
    assert client.get("/ledger/national/export?fmt=pdf").status_code in (400, 422)
    login(client, world.member)
    assert client.get("/ledger/national/export?kind=year").status_code == 403
