"""我的 → 更换工作单位: a member re-reports with the new unit; the community sees the unit they
leave and approves; the new unit confirms them (tests/unit/people/test_unit_change.py: the hours)."""
from sqlalchemy import select

from tests.conftest import login
from webapp.models import Registration, Unit


def test_member_re_reports_and_the_admin_sees_the_old_unit(client, db, world, make_user):
    new = Unit(name="区税务局", community_id=world.ca.id, status="approved")
    db.add(new)
    db.commit()
    login(client, world.member)
    assert "/me/unit" in client.get("/me").text
    page = client.get("/me/unit")
    assert page.status_code == 200 and "区人民医院" in page.text and "区税务局" in page.text
    bad = client.post("/me/unit", data={"unit_id": str(world.unit_b.id)})  # community B's unit
    assert bad.status_code == 422 and "请选择本社区已报到的单位。" in bad.text
    r = client.post("/me/unit", data={"unit_id": str(new.id)})
    assert r.status_code == 303 and r.headers["Location"].endswith("/me")
    me = client.get("/me").text
    assert "个人报到 · 城西社区 · 区税务局" in me and "待审" in me
    assert "等待社区审核" in client.get("/me/unit").text  # no second form meanwhile
    again = client.post("/me/unit", data={"unit_id": str(new.id)})
    assert again.status_code == 409 and "还有一条报到在等待社区审核" in again.text
    reg = db.scalar(select(Registration).where(Registration.user_id == world.member.id,
                                               Registration.status == "pending"))
    login(client, world.admin)
    page = client.get("/admin/registrations").text
    assert "原单位：区人民医院" in page
    client.post(f"/admin/registrations/{reg.id}/approve")
    db.expire_all()
    assert (world.member.unit_id, world.member.unit_confirmed_at) == (new.id, None)
    login(client, world.resident)
    assert client.get("/me/unit").status_code == 403  # not a member
