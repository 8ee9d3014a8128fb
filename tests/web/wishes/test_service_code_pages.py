"""A wish's service code through the test client (issue 24 item 2): the resident's page shows
the rotating code; the volunteer's scan leaves a ticket, one tap starts, a later scan finishes."""
from datetime import timedelta

from sqlalchemy import select, update

from tests.conftest import login
from webapp.models import Claim, utcnow
from webapp.services.wishes import service_code


def _claim(db, w):
    db.expire_all()
    return db.scalar(select(Claim).where(Claim.wish_id == w.id))


def test_the_resident_shows_the_code_and_the_volunteer_starts_and_finishes(
        app, client, db, world, make_wish):
    app.config["WTF_CSRF_ENABLED"] = False
    wanted = (utcnow() + timedelta(minutes=30)).replace(microsecond=0)
    w = make_wish("claimed", wanted_from=wanted, wanted_until=wanted + timedelta(hours=2))
    login(client, world.resident)
    assert "出示服务码" in client.get(f"/wishes/{w.id}").get_data(as_text=True)
    resp = client.get(f"/wishes/{w.id}/service-code")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<svg" in html and "待开始 1 人" in html
    path = "/w/" + html.split('data-url="')[1].split('"')[0].rsplit("/w/", 1)[1]
    login(client, world.member2)  # not a claimer: the scan page refuses
    client.get(path)
    assert client.get(f"/wishes/{w.id}/service-scan").status_code == 403
    login(client, world.member)
    assert client.get(path).status_code == 302
    page = client.get(f"/wishes/{w.id}/service-scan").get_data(as_text=True)
    assert "开始服务</button>" in page and _claim(db, w).status == "active"
    client.post(f"/wishes/{w.id}/service-scan")
    assert _claim(db, w).started_by_code
    # An hour on (the clock moved by moving the record), the code scanned again.
    db.execute(update(Claim).where(Claim.wish_id == w.id)
               .values(started_at=utcnow() - timedelta(hours=1)))
    db.commit()
    client.get("/w/" + service_code.code_for(w.id))
    client.post(f"/wishes/{w.id}/service-scan")
    page = client.get(f"/wishes/{w.id}/service-scan").get_data(as_text=True)
    assert "服务已完成" in page and "1.0 小时" in page
    c = _claim(db, w)
    assert (c.status, c.done_by_code, str(c.hours)) == ("done", True, "1.0")


def test_a_stale_service_code_is_refused(client, db, world, make_wish):
    w = make_wish("claimed")
    login(client, world.member)
    resp = client.get("/w/" + service_code.code_for(w.id, utcnow() - timedelta(seconds=61)))
    assert resp.status_code == 409 and "已过期" in resp.get_data(as_text=True)
