"""保险登记 pages (issue 24 item 6): the register, the warning at sign-up, the insurer's .xlsx."""
import io
from datetime import timedelta

from openpyxl import load_workbook

from tests.conftest import login
from tests.listsutil import signed_project
from webapp.models import utcnow
from webapp.services.lists import project_sessions as ps
from webapp.services.lists.resources import local_today


def test_register_warn_and_download(app, client, db, world):
    app.config["WTF_CSRF_ENABLED"] = False
    day = local_today(utcnow()) + timedelta(days=2)
    p = signed_project(db, world, now=utcnow(), requires_insurance=True,
                       starts_on=day.isoformat(), ends_on=(day + timedelta(days=7)).isoformat(),
                       rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU")
    sid = ps.of_project(db, p)[0].id
    login(client, world.member)
    page = client.get(f"/lists/sessions/{sid}").get_data(as_text=True)
    assert 'id="insurance-warning"' in page
    # The sign-up goes through, with the warning.
    client.post(f"/lists/sessions/{sid}/signup", data={"as": "server"})
    page = client.get(f"/lists/sessions/{sid}").get_data(as_text=True)
    assert "您已报名（服务）" in page and "要求志愿者有意外保险" in page

    login(client, world.admin)
    assert "保险登记" in client.get("/lists/").get_data(as_text=True)
    resp = client.post("/lists/insurance", data={"phone": world.member.phone, "insurer": "平安保险",
                                                 "number": "PA-1", "covers_from": day.isoformat(),
                                                 "covers_to": (day + timedelta(days=30)).isoformat()})
    assert resp.status_code == 302
    bad = client.post("/lists/insurance", data={"phone": "139", "insurer": "", "number": "x y",
                                                "covers_from": "", "covers_to": ""})
    assert bad.status_code == 422
    assert "PA-1" in client.get("/lists/insurance").get_data(as_text=True)
    assert "下载保险名单" in client.get(f"/lists/projects/{p.id}").get_data(as_text=True)
    resp = client.get(f"/lists/projects/{p.id}/insurance.xlsx")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    ws = load_workbook(io.BytesIO(resp.data)).active
    assert any(r[2] == "李志愿" and r[6] == "PA-1" for r in ws.iter_rows(values_only=True))

    login(client, world.member)
    page = client.get(f"/lists/sessions/{sid}").get_data(as_text=True)
    assert 'id="insurance-warning"' not in page
    assert client.get(f"/lists/projects/{p.id}/insurance.xlsx").status_code == 403
