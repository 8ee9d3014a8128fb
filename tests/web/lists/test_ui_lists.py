"""服务清单 pages through the test client: publish, book, confirm (phone disclosed and logged),
draft and sign a project, sign up, check in — and bad forms show errors and write nothing."""
from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import login
from webapp.models import (Booking, Disclosure, LedgerEntry, Project, Resource, SessionSignup,
                           utcnow)
from webapp.services.lists.resources import local_today

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _csrf_off(app):
    app.config["WTF_CSRF_ENABLED"] = False


def _tomorrow():
    return local_today(utcnow()) + timedelta(days=1)


def test_unit_publishes_resident_books_unit_confirms_and_sees_the_phone(app, client, db, world):
    _csrf_off(app)
    day = _tomorrow()
    login(client, world.unit_admin)
    resp = client.post("/lists/resources/new", data={
        "kind": "venue", "name": "会议室", "place": "医院三楼", "needs_approval": "1",
        "weekday0": str(day.isoweekday()), "start0": "09:00", "end0": "11:00", "capacity0": "2"})
    assert resp.status_code == 302
    r = db.scalar(select(Resource))
    login(client, world.resident)
    page = client.get(f"/lists/resources/{r.id}").get_data(as_text=True)
    assert "剩余 2/2" in page
    assert client.post(f"/lists/resources/{r.id}/book", data={
        "date": day.isoformat(), "start": "09:00"}).status_code == 302
    b = db.scalar(select(Booking))
    assert "待确认" in client.get("/lists/bookings").get_data(as_text=True)
    login(client, world.resident2)
    page = client.get(f"/lists/resources/{r.id}").get_data(as_text=True)
    assert "剩余 1/2" in page and "王小明" not in page
    login(client, world.unit_admin)
    assert "13800000101" not in client.get(f"/lists/resources/{r.id}/bookings").get_data(as_text=True)
    client.post(f"/lists/bookings/{b.id}/confirm")
    page = client.get(f"/lists/resources/{r.id}/bookings").get_data(as_text=True)
    assert "王小明" in page and "13800000101" in page
    assert db.scalar(select(func.count()).select_from(Disclosure).where(
        Disclosure.booking_id == b.id)) == 1


def test_bad_resource_and_project_forms_show_field_errors_and_write_nothing(app, client, db, world):
    _csrf_off(app)
    login(client, world.unit_admin)
    resp = client.post("/lists/resources/new", data={"kind": "venue", "name": "x"})
    assert resp.status_code == 422 and "至少 2 个字" in resp.get_data(as_text=True)
    resp = client.post("/lists/projects/new", data={
        "unit_id": str(world.unit.id), "title": "义诊", "content": "义诊",
        "starts_on": "2025-03-01", "ends_on": "2025-06-30", "rrule": "FREQ=SOMETIMES",
        "start": "09:00", "end": "11:00"})
    assert resp.status_code == 422 and "重复规则格式不正确" in resp.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Resource)) == 0
    assert db.scalar(select(func.count()).select_from(Project)) == 0
    login(client, world.resident)
    assert client.get("/lists/resources/new").status_code == 403


def test_project_drafted_signed_served_and_in_the_ledger(app, client, db, world):
    _csrf_off(app)
    day = _tomorrow()
    login(client, world.admin)
    resp = client.post("/lists/projects/new", data={
        "unit_id": str(world.unit.id), "title": "专家义诊进社区", "content": "专家义诊",
        "target": "每周 1 次", "target_per_month": "4", "starts_on": day.isoformat(),
        "ends_on": (day + timedelta(days=20)).isoformat(),
        "rrule": f"FREQ=WEEKLY;BYDAY={DAYS[day.weekday()]}", "start": "09:00", "end": "11:00",
        "session_capacity": "10", "server_capacity": "2"})
    assert resp.status_code == 302
    p = db.scalar(select(Project))
    client.post(f"/lists/projects/{p.id}/sign")
    login(client, world.unit_admin)
    client.post(f"/lists/projects/{p.id}/sign")
    db.refresh(p)
    assert p.status == "signed"
    page = client.get(f"/lists/projects/{p.id}").get_data(as_text=True)
    sid = int(page.split("/lists/sessions/")[1].split('"')[0])
    login(client, world.resident)
    assert "报名参加" in client.get(f"/lists/sessions/{sid}").get_data(as_text=True)
    client.post(f"/lists/sessions/{sid}/signup", data={"as": "attendee"})
    login(client, world.member)
    client.post(f"/lists/sessions/{sid}/signup", data={"as": "server"})
    assert db.scalar(select(func.count()).select_from(SessionSignup)) == 2
    login(client, world.unit_admin)
    page = client.get(f"/lists/sessions/{sid}").get_data(as_text=True)
    assert "李志愿" in page and "王小明" in page
    # Check-in opens 30 minutes before the start: too early now, so a clear 409.
    resp = client.post(f"/lists/sessions/{sid}/checkin", data={"user_id": str(world.member.id)})
    assert resp.status_code == 409 and "活动开始前 30 分钟起" in resp.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_calendar_feed_is_secret_and_resettable(app, client, db, world):
    _csrf_off(app)
    login(client, world.resident)
    page = client.get("/lists/calendar").get_data(as_text=True)
    url = page.split('value="')[1].split('"')[0]
    path = url[url.index("/lists/calendar/"):]
    body = client.get(path)
    assert body.status_code == 200 and body.get_data(as_text=True).startswith("BEGIN:VCALENDAR")
    client.post("/lists/calendar")
    assert client.get(path).status_code == 404
    assert client.get("/lists/calendar/nope.ics").status_code == 404
