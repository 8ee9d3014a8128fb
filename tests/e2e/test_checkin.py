"""On-site check-in in a real browser at 390×844 with two phones (issue 24): the responsible
person shows the session's rotating code, the volunteer opens the code's URL (as a camera
would), signs in, is checked in with one tap, later checks out; the count on the runner's phone
follows by itself, the ledger shows presence hours capped by the session's length, and a code
60 s old is refused.

The clock cannot be moved in a live browser: the session is moved to "now" in the database, and
before the check-out the check-in is moved three hours back (as in tests/e2e/test_lists.py)."""
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from sqlalchemy import select, update

from tests.conftest import PASSWORD
from tests.e2e.conftest import shot, ui_login
from tests.listsutil import NOW, signed_project
from webapp.models import LedgerEntry, ProjectSession, SessionSignup, utcnow
from webapp.services.lists import checkin
from webapp.services.lists import project_sessions as ps


def _code_path(runner) -> str:
    """The path of the URL in the QR code on the runner's screen (its host is PUBLIC_URL's)."""
    return urlsplit(runner.locator(".checkin-qr").get_attribute("data-url")).path


def _tap(page, name: str) -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name=name, exact=True).click()


def _session_under_way(db, world) -> int:
    """A signed project's first session, begun five minutes ago (2 h long), `member` signed
    up as a server: its id."""
    p = signed_project(db, world)
    s = ps.of_project(db, p)[0]
    ps.signup(db, world.member, s.id, "server", now=NOW)
    start = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    db.execute(update(ProjectSession).where(ProjectSession.id == s.id)
               .values(starts_at=start, ends_at=start + timedelta(hours=2)))
    db.commit()
    return s.id


def test_two_phones_check_in_and_out_by_the_rotating_code(new_context, db, world):
    sid = _session_under_way(db, world)

    runner = new_context().new_page()
    ui_login(runner, world.unit_admin)
    runner.goto(f"/lists/sessions/{sid}")
    with runner.expect_navigation(wait_until="domcontentloaded"):
        runner.get_by_role("link", name="显示签到码").click()
    assert runner.locator(".checkin-qr svg").is_visible()
    assert "在场 0 人" in runner.locator(".checkin-count").inner_text()
    shot(runner, "checkin-code")

    # The volunteer's camera opens the code's URL: not signed in yet, so sign in, then back.
    volunteer = new_context().new_page()
    volunteer.goto(_code_path(runner))
    assert urlsplit(volunteer.url).path == "/login"
    volunteer.get_by_label("手机号").fill(world.member.phone)
    volunteer.get_by_label("密码").fill(PASSWORD)
    with volunteer.expect_navigation(wait_until="domcontentloaded"):
        volunteer.get_by_role("button", name="登录").click()
    assert urlsplit(volunteer.url).path == f"/lists/sessions/{sid}/scan"
    shot(volunteer, "checkin-scan")
    _tap(volunteer, "签到")
    assert "签到成功" in volunteer.content()
    assert "已签到" in volunteer.locator("#checkin-state").inner_text()
    shot(volunteer, "checkin-done")
    db.rollback()  # a fresh snapshot: the server wrote in its own session
    row = db.scalar(select(SessionSignup).where(SessionSignup.user_id == world.member.id))
    assert row.checkin_method == "scan" and row.checked_out_at is None

    # The runner's phone counts them in without a reload (htmx polls the code and the count).
    runner.locator(".checkin-count").filter(has_text="在场 1 人").wait_for(timeout=20_000)

    # Three hours on (the check-in moved back): the volunteer scans the code again to leave.
    db.rollback()
    db.execute(update(SessionSignup).where(SessionSignup.id == row.id)
               .values(checked_in_at=utcnow().replace(microsecond=0) - timedelta(hours=3)))
    db.commit()
    volunteer.goto(_code_path(runner))
    _tap(volunteer, "签退")
    assert "签退成功" in volunteer.content()
    assert "计服务时长 2.0 小时" in volunteer.content()  # 3 h on site, a 2-hour session
    shot(volunteer, "checkin-out")
    runner.locator(".checkin-count").filter(has_text="已签退 1 人").wait_for(timeout=20_000)
    shot(runner, "checkin-code-count")

    db.rollback()
    entry = db.scalar(select(LedgerEntry))
    assert (entry.hours, entry.basis, entry.volunteer_id) == (Decimal("2.0"), "presence",
                                                              world.member.id)
    volunteer.goto("/ledger/me")
    assert "其中现场签到 2.0 小时" in volunteer.content() and "现场签到" in volunteer.content()
    shot(volunteer, "checkin-ledger")

    # A photo of a code taken 61 seconds ago is refused, and nothing changes.
    old = checkin.code_for(sid, utcnow() - timedelta(seconds=61))
    volunteer.goto(f"/lists/c/{old}")
    assert "已过期" in volunteer.content()
    assert volunteer.get_by_role("button", name="签到").count() == 0
    shot(volunteer, "checkin-expired")


VENUE = {"latitude": 39.9087, "longitude": 116.3975}
FAR = {"latitude": 39.9200, "longitude": 116.3975}  # about 1.26 km away


def test_a_scan_outside_the_fence_is_taken_and_marked_for_review(new_context, db, world):
    sid = _session_under_way(db, world)

    # The runner, standing at the venue, makes it the check-in place (the phone's location).
    runner = new_context(geolocation=VENUE, permissions=["geolocation"]).new_page()
    ui_login(runner, world.unit_admin)
    runner.goto(f"/lists/sessions/{sid}/code")
    _tap(runner, "以当前位置为签到地点")
    assert "已设置签到地点" in runner.content()
    db.rollback()
    got = db.get(ProjectSession, sid)
    assert abs(float(got.lat) - VENUE["latitude"]) < 1e-5

    # The volunteer is 1.26 km away (faked), consents once, and is still checked in.
    volunteer = new_context(geolocation=FAR, permissions=["geolocation"]).new_page()
    ui_login(volunteer, world.member)
    volunteer.goto(_code_path(runner))
    volunteer.get_by_label("同意签到时使用我的位置").check()
    shot(volunteer, "checkin-geo-consent")
    _tap(volunteer, "签到")
    assert "签到成功" in volunteer.content()
    assert "不在范围内" in volunteer.locator("#geo-state").inner_text()
    db.rollback()
    row = db.scalar(select(SessionSignup).where(SessionSignup.user_id == world.member.id))
    assert row.in_fence is False and 1200 < row.in_distance_m < 1300
    runner.goto(f"/lists/sessions/{sid}")
    assert "范围外" in runner.locator("li.slot", has_text="李志愿").inner_text()
    shot(runner, "checkin-geo-flagged")
