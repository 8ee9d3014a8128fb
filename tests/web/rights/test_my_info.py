"""我的信息 on the web: a person reads, downloads, corrects and withdraws; staff do it for a
resident without a phone only, and every look is in the admin log."""
import io

from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import login
from webapp.models import AdminLog, BoardConsent, RoleGrant, User, utcnow


def test_a_resident_reads_and_downloads_everything(client, db, world, make_wish):
    make_wish("closed", estimated_hours=2)
    login(client, world.resident)
    page = client.get("/me/info").get_data(as_text=True)
    assert "王小明" in page and "帮忙买菜送上楼" in page and "谁看过我的联系方式" in page
    r = client.get("/me/info.xlsx")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    wb = load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames[0] == "基本信息" and "心愿" in wb.sheetnames


def test_a_person_corrects_the_name_and_withdraws_consents(client, db, world):
    db.get(User, world.member.id).geo_consent_at = utcnow()
    db.add(BoardConsent(user_id=world.member.id))
    db.commit()
    login(client, world.member)
    assert client.post("/me/info", data={"name": "", "skills": "x"}).status_code == 422
    assert client.post("/me/info", data={"name": "李志远", "skills": "修电器"}).status_code == 302
    for what in ("geo", "board"):
        assert client.post("/me/info/withdraw", data={"what": what}).status_code == 302
    db.expire_all()
    m = db.get(User, world.member.id)
    assert (m.name, m.skills, m.geo_consent_at) == ("李志远", "修电器", None)
    assert db.scalar(select(BoardConsent.id)) is None


def test_staff_act_for_a_resident_without_a_phone_and_it_is_logged(client, db, world):
    grandma = User(phone=None, name="刘奶奶", building_id=world.ba1.id, address="1单元101")
    db.add(grandma)
    db.flush()
    db.add(RoleGrant(user_id=grandma.id, role="resident", org_id=world.ba1.id))
    db.commit()
    login(client, world.grid_worker)
    assert "查看个人信息" in client.get(f"/staff/people/{grandma.id}").get_data(as_text=True)
    assert "刘奶奶" in client.get(f"/staff/people/{grandma.id}/data").get_data(as_text=True)
    assert client.get(f"/staff/people/{grandma.id}/data.xlsx").status_code == 200
    assert client.post(f"/staff/people/{grandma.id}/data",
                       data={"name": "刘桂芳", "address": "1单元102"}).status_code == 302
    kinds = db.scalars(select(AdminLog.kind).where(AdminLog.target_user_id == grandma.id)).all()
    assert kinds.count("data_access") >= 2 and "data_correct" in kinds
    db.expire_all()
    assert db.get(User, grandma.id).address == "1单元102"
    # A resident with a phone speaks for herself; another grid's worker covers nobody here.
    assert client.get(f"/staff/people/{world.resident.id}/data").status_code == 403
    login(client, world.grid_worker2)
    assert client.get(f"/staff/people/{grandma.id}/data").status_code == 403
