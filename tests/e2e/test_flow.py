"""The whole wish loop through the UI, on three phones at once (390×844): a new resident and a
new member register, the community admin approves the member and reviews the wish, the member
claims, starts and marks it done, the resident confirms and rates it."""
import re

from sqlalchemy import select

from tests.e2e.conftest import shot, ui_login
from webapp.models import ServiceRecord, User, Wish


def _register(page, role_label: str, name: str, phone: str, building_id: int, extra=None):
    page.goto("/register")
    page.get_by_label(role_label, exact=True).check()
    page.get_by_label("姓名").fill(name)
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码").fill("long-enough-pw")
    page.locator("#f-building_id").select_option(str(building_id))
    page.get_by_label("门牌号").fill("2单元301")
    if extra:
        extra(page)
    page.get_by_label("我已阅读并同意").check()
    shot(page, f"register-{role_label}")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(lambda url: "/register" not in url)


def test_whole_flow_on_three_phones(new_context, site, db, world):
    resident, member, admin = (new_context().new_page() for _ in range(3))

    # Register: a resident, and a Party member reporting to 城西社区 (个人报到).
    _register(resident, "居民", "林阿婆", "13900000201", world.ba1.id)
    _register(member, "党员个人报到", "高党员", "13900000202", world.ba1.id,
              extra=lambda p: p.locator("#f-unit_id").select_option(str(world.unit.id)))
    member.get_by_text("社区管理员审核通过后").first.wait_for()

    # The community admin approves the member's registration.
    ui_login(admin, world.admin)
    admin.goto("/admin/registrations")
    card = admin.locator("article.registration").filter(has_text="高党员")
    card.locator("[data-action=approve]").click()
    card.locator(".chip-status").filter(has_text="已通过").wait_for()
    shot(admin, "admin-registrations")

    # The resident posts a wish.
    resident.goto("/wishes/new")
    resident.get_by_label("标题").fill("帮忙换厨房灯泡")
    resident.get_by_label("详细说明").fill("灯泡在高处，我够不着。")
    resident.locator("#f-category").select_option(label="助老助残")
    resident.get_by_role("button", name="提交心愿").click()
    resident.wait_for_url(re.compile(r"/wishes/\d+$"))
    wish_id = int(resident.url.rsplit("/", 1)[1])
    resident.get_by_text("待审核").first.wait_for()
    shot(resident, "resident-wish-posted")

    # The admin reviews it from the queue and publishes it.
    admin.goto("/admin/review")
    shot(admin, "admin-review-queue")
    admin.locator(f"#wish-{wish_id} [data-action=approve]").click()
    with admin.expect_response(lambda r: r.request.method == "POST" and "/review" in r.url):
        admin.locator("#review-form [data-action=approve]").click()
    admin.goto(f"/wishes/{wish_id}")
    admin.get_by_text("待认领").first.wait_for()

    # The member claims it from the menu, starts, and marks it done with the hours.
    member.goto("/menu")
    shot(member, "member-menu")
    member.locator(f"#wish-{wish_id} [data-action=claim]").click()
    member.locator(f"#wish-{wish_id}").filter(has_text="您已认领").wait_for()
    member.goto("/orders")
    member.locator(f"#wish-{wish_id} [data-action=start]").click()
    member.locator(f"#wish-{wish_id}").filter(has_text="您正在服务").wait_for()
    shot(member, "member-orders")
    member.locator(f"#wish-{wish_id} [data-action=done]").click()
    member.get_by_label("实际服务时长（小时）").fill("1.5")
    shot(member, "member-done-form")
    with member.expect_response(lambda r: r.request.method == "POST" and "/done" in r.url):
        member.get_by_role("button", name="标记完成").click()

    # The resident confirms and rates it.
    resident.goto("/my/wishes")
    shot(resident, "resident-my-wishes")
    resident.locator(f"#wish-{wish_id} [data-action=confirm]").click()
    resident.get_by_text("非常满意").click()
    resident.get_by_label("想说的话（可不填）").fill("小高很细心，谢谢！")
    shot(resident, "resident-confirm")
    with resident.expect_response(lambda r: r.request.method == "POST" and "/confirm" in r.url):
        resident.get_by_role("button", name="确认完成").click()
    # The answer tells htmx to navigate to the wish (HX-Redirect): wait for that navigation
    # instead of starting another one that would abort it.
    resident.wait_for_url(re.compile(rf"/wishes/{wish_id}$"))
    resident.locator(".chip-status").filter(has_text="已完成").first.wait_for()
    shot(resident, "resident-wish-closed")

    db.rollback()
    wish = db.get(Wish, wish_id)
    new_member = db.scalar(select(User).where(User.phone == "13900000202"))
    assert wish.status == "closed" and wish.rating == 5
    assert wish.resident.name == "林阿婆"
    [record] = db.scalars(select(ServiceRecord).where(ServiceRecord.wish_id == wish_id))
    assert record.volunteer_id == new_member.id and float(record.hours) == 1.5
    events = [e.action for e in wish.events] if hasattr(wish, "events") else []
    if events:
        assert events[:2] == ["post", "approve"] and events[-1] == "close"
