"""服务清单 in a real browser at 390×844 (issue 13): a unit publishes a resource and a resident books
it; a project is drafted, signed by both sides, attended and served, ending in the ledger.

Every step goes through the pages a person uses (forms, buttons); the database is read only to
check the outcome, and once to bring the session's start to "now" (the clock cannot be moved
in a live browser, and check-in opens 30 minutes before the start; the server's check-in is
moved two hours back before the check-out)."""
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from tests.e2e.conftest import shot, ui_login
from webapp.models import (Booking, LedgerEntry, Project, ProjectSession, Resource,
                           ServiceRecord, SessionSignup, utcnow)
from webapp.services.ledger import chain
from webapp.services.lists.resources import local_today

WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
WEEKENDS = "FREQ=WEEKLY;BYDAY=SA,SU"


def _path(page) -> str:
    return urlsplit(page.url).path


def _submit(page, name: str, nth: int = 0) -> None:
    """Click a form button and wait for the page it lands on (POST → redirect → GET)."""
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name=name, exact=True).nth(nth).click()


def test_unit_publishes_a_resource_and_a_resident_books_it(new_context, db, world):
    day = local_today(utcnow()) + timedelta(days=1)
    unit = new_context().new_page()
    ui_login(unit, world.unit_admin)
    unit.goto("/lists/resources/new")
    unit.get_by_label("类型").select_option("venue")
    unit.get_by_label("名称").fill("医院三楼会议室")
    unit.get_by_label("地点（公开）").fill("区人民医院三楼")
    unit.get_by_label("星期").first.select_option(str(day.isoweekday()))
    unit.get_by_label("名额").first.fill("2")
    shot(unit, "lists-resource-form")
    _submit(unit, "发布")
    db.rollback()
    r = db.scalar(select(Resource))
    assert r is not None and _path(unit) == f"/lists/resources/{r.id}"

    resident = new_context().new_page()
    ui_login(resident, world.resident)
    resident.goto("/lists/")
    shot(resident, "lists-index")
    resident.get_by_role("link", name="医院三楼会议室").first.click()
    resident.wait_for_url(f"**/lists/resources/{r.id}")
    slot = resident.locator("li.slot", has_text=day.isoformat()).first
    assert "剩余 2/2" in slot.inner_text()
    shot(resident, "lists-resource")
    with resident.expect_navigation(wait_until="domcontentloaded"):
        slot.get_by_role("button", name="预约").click()
    assert _path(resident) == "/lists/bookings"
    assert "待确认" in resident.content()
    shot(resident, "lists-my-bookings")

    unit.goto(f"/lists/resources/{r.id}/bookings")
    assert "13800000101" not in unit.content()  # the phone only once confirmed
    _submit(unit, "确认")
    db.rollback()  # a fresh snapshot: the server wrote in its own session
    assert db.scalar(select(Booking.status)) == "confirmed"
    assert "13800000101" in unit.content() and "王小明" in unit.content()
    shot(unit, "lists-resource-bookings")
    resident.reload()
    assert "已确认" in resident.content()


def test_project_signed_by_both_sides_attended_served_and_in_the_ledger(new_context, db, world):
    day = local_today(utcnow()) + timedelta(days=1)
    admin = new_context().new_page()
    ui_login(admin, world.admin)
    admin.goto("/lists/projects/new")
    admin.get_by_label("责任单位").select_option(str(world.unit.id))
    admin.get_by_label("项目名称").fill("专家义诊进社区")
    admin.get_by_label("服务内容").fill("区人民医院专家到社区义诊")
    admin.get_by_label("每月目标次数").fill("10")
    admin.get_by_label("开始日期").fill(day.isoformat())
    admin.get_by_label("结束日期").fill((day + timedelta(days=30)).isoformat())
    admin.get_by_label("重复规则").select_option(WEEKENDS if day.isoweekday() > 5 else WEEKDAYS)
    admin.get_by_label("每场居民名额").fill("10")
    admin.get_by_label("每场服务人员名额").fill("2")
    shot(admin, "lists-project-form")
    _submit(admin, "保存草稿")
    db.rollback()
    p = db.scalar(select(Project))
    assert p is not None and p.status == "draft" and _path(admin) == f"/lists/projects/{p.id}"
    _submit(admin, "确认签订")
    db.rollback()  # a fresh snapshot: the server wrote in its own session
    assert db.get(Project, p.id).status == "draft"  # one side only

    unit = new_context().new_page()
    ui_login(unit, world.unit_admin)
    unit.goto(f"/lists/projects/{p.id}")
    _submit(unit, "确认签订")
    db.rollback()  # a fresh snapshot: the server wrote in its own session
    assert db.get(Project, p.id).status == "signed"
    shot(unit, "lists-project")
    db.rollback()
    first = db.scalar(select(ProjectSession).where(ProjectSession.project_id == p.id)
                      .order_by(ProjectSession.starts_at))

    resident = new_context().new_page()
    ui_login(resident, world.resident)
    resident.goto(f"/lists/sessions/{first.id}")
    _submit(resident, "报名参加")
    assert "您已报名" in resident.content()
    member = new_context().new_page()
    ui_login(member, world.member)
    member.goto(f"/lists/sessions/{first.id}")
    _submit(member, "报名服务")
    assert "您已报名（服务）" in member.content()
    shot(member, "lists-session")

    # The session's day arrives: it starts now (check-in opens 30 minutes before the start).
    length = first.ends_at - first.starts_at
    start = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    db.rollback()  # no read snapshot held while writing (SQLite locks the whole file)
    db.execute(update(ProjectSession).where(ProjectSession.id == first.id)
               .values(starts_at=start, ends_at=start + length))
    db.commit()

    unit.goto(f"/lists/sessions/{first.id}")
    with unit.expect_navigation(wait_until="domcontentloaded"):
        unit.locator("li.slot", has_text="王小明").get_by_role("button", name="签到").click()
    with unit.expect_navigation(wait_until="domcontentloaded"):
        unit.locator("li.slot", has_text="李志愿").get_by_role("button", name="签到").click()
    shot(unit, "lists-session-checkin")
    db.rollback()  # a fresh snapshot: the server wrote in its own session
    assert db.scalar(select(SessionSignup.present).where(
        SessionSignup.user_id == world.resident.id)) is True
    # Hours come from presence (issue 24): two hours on, the runner checks the server out.
    db.execute(update(SessionSignup).where(SessionSignup.user_id == world.member.id)
               .values(checked_in_at=utcnow().replace(microsecond=0) - timedelta(hours=2)))
    db.commit()
    unit.reload()
    with unit.expect_navigation(wait_until="domcontentloaded"):
        unit.locator("li.slot", has_text="李志愿").get_by_role("button", name="签退").click()
    assert "已签退" in unit.locator("li.slot", has_text="李志愿").inner_text()
    db.rollback()
    rec = db.scalar(select(ServiceRecord).where(ServiceRecord.session_id == first.id))
    assert rec is not None and rec.volunteer_id == world.member.id
    entry = db.scalar(select(LedgerEntry).where(LedgerEntry.record_id == rec.id))
    assert entry is not None and entry.volunteer_id == world.member.id and entry.wish_id is None
    assert entry.hours == rec.hours and entry.hours > 0
    assert all(c["ok"] for c in chain.verify(db, world.ca.id))
    assert db.get(ProjectSession, first.id).status == "held"

    unit.goto(f"/lists/projects/{p.id}")
    assert "本月已开展 1/10 次，服务 1 人次" in unit.content()
    shot(unit, "lists-project-progress")
    member.goto("/lists/calendar")
    shot(member, "lists-calendar")
