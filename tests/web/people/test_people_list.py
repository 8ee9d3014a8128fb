"""居民与账号 at real size (issue 23 item 5): a total, pages, filters by grid, building, role and
status (each with a person who must appear and one who must not), and the filtered list as CSV
and Excel with formula text neutralised."""
import csv
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import login
from tests.unit.ledger.test_export_injection import DANGEROUS, _is_number


@pytest.fixture
def crowd(db, world, make_user):
    """60 residents of 1号楼 (more than one page) and one of 7号楼."""
    people = [make_user(f"居民{i:02d}", f"1370000{i:04d}", world.ba1,
                        [("resident", world.ba1, None)]) for i in range(60)]
    return people


def _names(html):
    import re
    return set(re.findall(r'href="/staff/people/\d+">([^<]+)</a>', html))


def test_total_and_pages(client, world, crowd):
    login(client, world.admin)
    page1 = client.get("/staff/people").get_data(as_text=True)
    assert "共 " in page1 and "第 1 / 2 页" in page1 and 'rel="next"' in page1
    import re
    total = int(re.search(r"共 (\d+) 人", page1)[1])
    assert total >= 61
    page2 = client.get("/staff/people?page=2").get_data(as_text=True)
    assert "第 2 / 2 页" in page2 and 'rel="prev"' in page2
    assert len(_names(page1) | _names(page2)) >= 60 and not (_names(page1) & _names(page2))
    # beyond the last page: the last page, not an empty one
    assert "第 2 / 2 页" in client.get("/staff/people?page=99").get_data(as_text=True)


def test_each_filter_keeps_who_must_appear_and_drops_who_must_not(client, db, world, crowd):
    from webapp.models import User
    login(client, world.admin)
    get = lambda **a: client.get("/staff/people", query_string=a).get_data(as_text=True)  # noqa
    by_grid = _names(get(grid=world.ga2.id))
    assert world.resident2.name in by_grid and "居民00" not in by_grid
    by_building = _names(get(building=world.ba1.id))
    assert "居民00" in by_building and world.resident2.name not in by_building
    members = _names(get(role="member"))
    assert world.member2.name in members and "居民00" not in members
    db.get(User, crowd[0].id).active = False
    db.commit()
    stopped = _names(get(status="inactive"))
    assert "居民00" in stopped and "居民01" not in stopped
    assert "居民00" not in _names(get(status="active"))
    from webapp.models import utcnow
    db.get(User, crowd[1].id).activated_at = utcnow()
    db.commit()
    never = _names(get(status="never", building=world.ba1.id))
    assert "居民02" in never and "居民01" not in never and "居民00" not in never
    # filters combine, and the pager keeps them
    page = get(building=world.ba1.id, role="resident", status="active")
    assert "共 61 人" in page  # 59 of the crowd, the resident and the member (a resident too)
    import re
    nxt = re.search(r'<a class="btn btn-quiet" rel="next" href="([^"]+)"', page)[1]
    assert f"building={world.ba1.id}" in nxt and "role=resident" in nxt and "page=2" in nxt


def test_a_foreign_or_bad_filter_is_said_beside_it(client, world):
    login(client, world.admin)
    r = client.get("/staff/people", query_string={"building": world.bb1.id})
    assert r.status_code == 422 and 'id="err-building"' in r.get_data(as_text=True)
    r = client.get("/staff/people", query_string={"role": "king"})
    assert r.status_code == 422


def test_a_grid_worker_filters_only_their_grid(client, world, crowd):
    login(client, world.grid_worker)
    html = client.get("/staff/people").get_data(as_text=True)
    assert f'<option value="{world.ga2.id}"' not in html and f'<option value="{world.ba1.id}"' in html
    assert client.get("/staff/people", query_string={"grid": world.ga2.id}).status_code == 422


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_download_is_the_filtered_list_with_formulas_neutralised(client, db, world, crowd,
                                                                     fmt):
    from webapp.models import User
    for i, ch in enumerate(DANGEROUS):
        db.get(User, crowd[i].id).name = f"{ch}HYPERLINK(1)"
        db.get(User, crowd[i].id).address = f"{ch}cmd|' /C calc'!A0"
    db.commit()
    login(client, world.admin)
    r = client.get("/staff/people/export", query_string={"building": world.ba1.id, "fmt": fmt})
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"), newline="")))
        cells = [c for row in rows for c in row]
    else:
        ws = load_workbook(io.BytesIO(r.data)).worksheets[0]
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
        rows = [[c.value or "" for c in row] for row in ws.iter_rows()]
        cells = [str(c) for row in rows for c in row]
    assert rows[0][:2] == ["姓名", "手机号"]
    living = db.query(User).filter(User.building_id == world.ba1.id).count()
    assert len(rows) - 1 == living >= 60  # everyone of 1号楼, not one page
    assert not any(c.startswith(DANGEROUS) and not _is_number(c) for c in cells)
    assert sum(c.startswith("'") for c in cells) >= 2 * len(DANGEROUS)
    assert world.resident2.name not in cells  # 7号楼: filtered out


def test_the_admin_log_counts_and_pages_back(client, db, world, monkeypatch):
    """A sibling: 管理日志 showed the newest 100 lines and no more; now a total and older pages,
    a street counting each act once though each community keeps its copy."""
    import re
    from webapp.models import utcnow
    from webapp.services.admin import adminlog
    from webapp.admin import log_views
    monkeypatch.setattr(log_views, "PER_PAGE", 5)
    now = utcnow()
    for i in range(12):
        adminlog.record(db, world.admin, "other", world.ca, summary=f"第{i:02d}条", now=now)
    db.commit()
    login(client, world.admin)
    first = client.get(f"/staff/log?community={world.ca.id}").get_data(as_text=True)
    assert "共 12 条" in first and "第11条" in first and "第06条" not in first
    seen = set(re.findall(r"第(\d\d)条", first))
    page = first
    while 'rel="next"' in page:
        nxt = re.search(r'rel="next" href="([^"]+)"', page)[1].replace("&amp;", "&")
        page = client.get(nxt).get_data(as_text=True)
        assert "回到最新" in page
        shown = set(re.findall(r"第(\d\d)条", page))
        assert not shown & seen
        seen |= shown
    assert seen == {f"{i:02d}" for i in range(12)}
    # an act on a person of two communities is one act for the street
    adminlog.record_on_person(db, world.street_admin, "other", world.ca, world.admin_b,
                              summary="两个社区都记录", now=now)
    db.commit()
    login(client, world.street_admin)
    street = client.get("/staff/log").get_data(as_text=True)
    total = int(re.search(r"共 (\d+) 条", street)[1])
    from sqlalchemy import func, select
    from webapp.models import AdminLog
    rows = db.scalar(select(func.count(AdminLog.id)).where(AdminLog.street_id == world.street.id))
    assert total == rows - 1  # the copy in 城东社区 is the same act
    assert street.count("两个社区都记录") == 1
