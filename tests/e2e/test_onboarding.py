"""A street starts from an EMPTY database, through the UI on phones (390×844): `flask setup`,
the street admin signs in with the one-time password and must change it, adds a community and a
grid, appoints a community admin (one-time password shown once), who signs in, changes it and
appoints a grid worker. Every new page is photographed. (Importing people from Excel is
another branch's part of the flow.)"""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.e2e.conftest import PHONE, shot, ui_login
from webapp.models import AdminLog, Org, User


@pytest.fixture
def empty_site(app, db, live_server):
    """The running site on an empty database (no `world`), CSRF on as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    live_server.clear()
    yield live_server
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def phone(browser, empty_site):
    made = []

    def make():
        ctx = browser.new_context(base_url=empty_site.url, viewport=PHONE, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
        ctx.set_default_timeout(30_000)
        made.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in made:
        ctx.close()


def _change_password(page, temp: str, new: str, name: str) -> None:
    assert page.url.endswith("/me/password"), page.url  # every page leads here first
    page.get_by_text("您正在使用临时密码").wait_for()
    shot(page, f"onboarding-{name}-must-change-password")
    page.locator("#f-current_password").fill(temp)
    page.locator("#f-new_password").fill(new)
    page.locator("#f-new_password2").fill(new)
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_url(lambda url: not url.endswith("/me/password"))
    page.get_by_text("密码已修改").wait_for()


def test_a_street_starts_from_an_empty_database(app, db, phone):
    assert db.scalar(select(Org.id)) is None  # truly empty
    db.rollback()
    out = app.test_cli_runner().invoke(args=[
        "setup", "--street", "新华街道", "--admin-phone", "13900000001", "--admin-name", "赵志刚"],
        env={"WISHGRID_ADMIN_PASSWORD": ""})
    assert out.exit_code == 0, out.output
    temp = re.search(r"^\s{4}(\S+)$", out.output, re.M).group(1)

    street_admin = phone()
    ui_login(street_admin, SimpleNamespace(phone="13900000001"), temp)
    _change_password(street_admin, temp, "street-admin-pw-1", "street-admin")

    # The tree: a community (street admin), then a grid under it.
    street_admin.goto("/staff/tree")
    street_admin.get_by_label("新增社区").fill("城西社区")
    street_admin.get_by_role("button", name="添加").first.click()
    street_admin.get_by_text("已添加“城西社区”").wait_for()
    db.rollback()  # a new snapshot: the server committed in another connection
    community = db.scalar(select(Org).where(Org.kind == "community"))
    street_admin.locator(f"#add-{community.id}").fill("第一网格")
    street_admin.locator(f"#add-{community.id}").press("Enter")
    street_admin.get_by_text("已添加“第一网格”").wait_for()
    street_admin.locator(f"#add-{community.id}").fill("第一网格")  # a sibling's name: 409
    street_admin.locator(f"#add-{community.id}").press("Enter")
    street_admin.locator(".field-error").filter(has_text="已有名为“第一网格”").wait_for()
    shot(street_admin, "onboarding-tree")

    # Staff: appoint the community admin by phone; the one-time password is shown once.
    street_admin.goto(f"/staff/team?community={community.id}")
    street_admin.locator("#f-phone").fill("13900000002")
    street_admin.locator("#f-name").fill("孙红梅")
    street_admin.locator("#f-org_id").select_option(str(community.id))
    street_admin.get_by_label("社区管理员（选择社区）").check()
    street_admin.get_by_role("button", name="任命").click()
    admin_temp = street_admin.locator("#temp-password").inner_text()
    shot(street_admin, "onboarding-temp-password")
    street_admin.get_by_role("link", name="我已记下，返回").click()
    street_admin.get_by_text("孙红梅").first.wait_for()
    shot(street_admin, "onboarding-staff-list")

    # The community admin signs in, changes the password and appoints a grid worker.
    admin = phone()
    ui_login(admin, SimpleNamespace(phone="13900000002"), admin_temp)
    _change_password(admin, admin_temp, "community-admin-pw-1", "community-admin")
    admin.goto("/me")
    admin.get_by_role("link", name="工作人员").click()
    db.rollback()
    grid = db.scalar(select(Org).where(Org.kind == "grid"))
    admin.locator("#f-phone").fill("13900000003")
    admin.locator("#f-name").fill("周丽萍")
    admin.locator("#f-org_id").select_option(str(grid.id))
    admin.get_by_label("网格员（选择网格）").check()
    admin.get_by_role("button", name="任命").click()
    admin.locator("#temp-password").wait_for()

    # The people page and a person's page; the admin log of the street.
    admin.goto("/staff/people")
    shot(admin, "onboarding-people")
    admin.get_by_role("link", name="周丽萍").click()
    admin.get_by_role("heading", name="重置密码").wait_for()
    shot(admin, "onboarding-person")
    street_admin.goto("/staff/log")
    street_admin.get_by_text("周丽萍").first.wait_for()
    shot(street_admin, "onboarding-admin-log")

    db.rollback()
    worker = db.scalar(select(User).where(User.phone == "13900000003"))
    assert worker.must_change_password and worker.role_names() == {"grid_worker"}
    kinds = db.scalars(select(AdminLog.kind).order_by(AdminLog.id)).all()
    assert kinds == ["setup", "password_change", "tree_add", "tree_add", "appoint",
                     "password_change", "appoint"]
