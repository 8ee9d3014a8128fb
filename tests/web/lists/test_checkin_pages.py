"""On-site check-in pages (issue 24) through the test client: the runner's rotating code with its
live count, a scan that signs in first and comes back, a stale code refused, a GET that never
checks anyone in, walk-ins, the runner's list and 补录 kept apart in the ledger."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select, update

from tests.conftest import PASSWORD, login
from tests.listsutil import NOW, signed_project
from webapp.models import LedgerEntry, ProjectSession, SessionSignup, User, utcnow
from webapp.services.lists import checkin
from webapp.services.lists import project_sessions as ps


def _live_session(app, db, world):
    """A signed project whose first session started five minutes ago; member and resident in."""
    app.config["WTF_CSRF_ENABLED"] = False
    p = signed_project(db, world)
    s = ps.of_project(db, p)[0]
    ps.signup(db, world.member, s.id, "server", now=NOW)
    ps.signup(db, world.resident, s.id, now=NOW)
    start = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    db.execute(update(ProjectSession).where(ProjectSession.id == s.id)
               .values(starts_at=start, ends_at=start + timedelta(hours=2)))
    db.commit()
    db.refresh(s)
    return s


def _row(db, s, user):
    db.expire_all()
    return db.scalar(select(SessionSignup).where(SessionSignup.session_id == s.id,
                                                 SessionSignup.user_id == user.id))


def _code_url(html: str) -> str:
    return html.split('data-url="')[1].split('"')[0]


def test_the_runner_shows_a_rotating_code_with_the_live_count(app, client, db, world):
    s = _live_session(app, db, world)
    login(client, world.resident)
    assert client.get(f"/lists/sessions/{s.id}/code").status_code == 403
    login(client, world.unit_admin)
    resp = client.get(f"/lists/sessions/{s.id}/code")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    assert "<svg" in html and "专家义诊进社区" in html and "在场 0 人" in html
    assert 'data-hx-trigger="every 5s"' in html
    url = _code_url(html)
    assert "/lists/c/" in url and checkin.read_code(url.rsplit("/", 1)[1]) == s.id
    checkin.scan(db, world.member, s.id)
    live = client.get(f"/lists/sessions/{s.id}/code/live").get_data(as_text=True)
    assert "在场 1 人" in live and "<svg" in live and "<html" not in live


def test_a_scan_signs_in_first_then_checks_in_with_one_tap(app, client, db, world):
    s = _live_session(app, db, world)
    resp = client.get("/lists/c/" + checkin.code_for(s.id))  # not signed in: the code is read, a ticket kept, then sign in
    assert resp.status_code == 302 and resp.location.endswith(f"/lists/sessions/{s.id}/scan")
    resp = client.get(resp.location)
    assert resp.status_code == 302 and "/login" in resp.location
    nxt = f"/lists/sessions/{s.id}/scan"
    resp = client.post("/login", data={"phone": world.member.phone, "password": PASSWORD,
                                       "next": nxt})
    assert resp.status_code == 302 and resp.location.endswith(nxt)
    page = client.get(nxt).get_data(as_text=True)
    assert "签到</button>" in page
    assert _row(db, s, world.member).checked_in_at is None  # a GET never checks anyone in
    resp = client.post(nxt)
    assert resp.status_code == 302
    assert _row(db, s, world.member).checkin_method == "scan"
    page = client.get(nxt).get_data(as_text=True)
    assert "签到成功" in page and "已签到" in page and "<button" not in page.split("checkin-state")[1]
    # The ticket is used: a second tap without a new scan does nothing.
    client.post(nxt)
    assert _row(db, s, world.member).checked_out_at is None


def test_a_stale_or_forged_code_is_refused_and_leaves_no_ticket(app, client, db, world):
    s = _live_session(app, db, world)
    login(client, world.member)
    old = checkin.code_for(s.id, utcnow() - timedelta(seconds=61))
    resp = client.get(f"/lists/c/{old}")
    assert resp.status_code == 409 and "已过期" in resp.get_data(as_text=True)
    assert "<button" not in client.get(f"/lists/sessions/{s.id}/scan").get_data(as_text=True)
    client.post(f"/lists/sessions/{s.id}/scan")
    assert _row(db, s, world.member).checked_in_at is None
    assert client.get("/lists/c/1-999.forged").status_code == 404


def test_check_out_later_credits_presence_capped_by_the_length(app, client, db, world):
    s = _live_session(app, db, world)
    login(client, world.member)
    client.get("/lists/c/" + checkin.code_for(s.id))
    client.post(f"/lists/sessions/{s.id}/scan")
    # Three hours later (the clock moved by moving the record), the same code again.
    db.execute(update(SessionSignup).where(SessionSignup.user_id == world.member.id)
               .values(checked_in_at=utcnow() - timedelta(hours=3)))
    db.commit()
    client.get("/lists/c/" + checkin.code_for(s.id))
    page = client.get(f"/lists/sessions/{s.id}/scan").get_data(as_text=True)
    assert "签退</button>" in page
    client.post(f"/lists/sessions/{s.id}/scan")
    page = client.get(f"/lists/sessions/{s.id}/scan").get_data(as_text=True)
    assert "签退成功" in page and "计服务时长 2.0 小时" in page
    assert db.scalar(select(LedgerEntry.hours)) == Decimal("2.0")


def test_a_walk_in_by_phone_from_the_code_page(app, client, db, world):
    s = _live_session(app, db, world)
    login(client, world.unit_admin)
    resp = client.post(f"/lists/sessions/{s.id}/walk-in", data={"phone": "139 1234 5678"})
    assert resp.status_code == 422 and "请填写姓名" in resp.get_data(as_text=True)
    resp = client.post(f"/lists/sessions/{s.id}/walk-in",
                       data={"phone": "139 1234 5678", "name": "钱大爷", "as": "attendee"})
    assert resp.status_code == 302
    user = db.scalar(select(User).where(User.phone == "13912345678"))
    assert user is not None and _row(db, s, user).walk_in
    page = client.get(f"/lists/sessions/{s.id}").get_data(as_text=True)
    assert "钱大爷" in page and "现场登记" in page


def test_the_runner_checks_someone_out_and_the_admin_enters_honour_hours(app, client, db, world):
    s = _live_session(app, db, world)
    login(client, world.unit_admin)
    client.post(f"/lists/sessions/{s.id}/checkin", data={"user_id": str(world.resident.id)})
    assert _row(db, s, world.resident).checkin_method == "staff"
    login(client, world.admin)
    page = client.get(f"/lists/sessions/{s.id}").get_data(as_text=True)
    assert "补录时长" in page and "李志愿" in page.split("补录时长", 1)[1]
    resp = client.post(f"/lists/sessions/{s.id}/honour", data={
        "user_id": str(world.member.id), "hours": "1.5", "reason": "忘带手机，负责人证明"})
    assert resp.status_code == 302
    entry = db.scalar(select(LedgerEntry))
    assert (entry.basis, entry.hours, entry.points) == ("honour", Decimal("1.5"), Decimal("0"))
    html = client.get("/ledger/").get_data(as_text=True)
    assert "补录" in html.split('id="entries-h"')[1]
    login(client, world.member)
    html = client.get("/ledger/me").get_data(as_text=True)
    assert "补录" in html
