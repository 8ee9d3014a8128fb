"""A street starts from an EMPTY database, through the UI on phones (390×844): `flask setup`,
the street admin signs in with the one-time password and must change it, adds a community and a
grid, appoints a community admin (one-time password shown once), who signs in, changes it and
appoints a grid worker. Every new page is photographed.

The second test is the issue's whole onboarding story from an empty database, with the lists
imported from Excel: the tree (street admin), residents and the members' 报到名单 (community
admin, "名单已核实" ticked). Imported people have no password: staff reset it, the one-time
password is given by phone, and the person chooses their own at the first sign-in."""
import io
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
def phone(browser, empty_site, console_errors):
    made = []

    def make():
        ctx = browser.new_context(base_url=empty_site.url, viewport=PHONE, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
        ctx.set_default_timeout(30_000)
        console_errors.watch(ctx)  # any console error or CSP violation fails the test
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(page, kind: str, org_id: int, name: str, rows, verified=False) -> None:
    """Choose the kind and where it goes, attach the .xlsx, and open its preview."""
    page.goto("/me")
    page.get_by_role("link", name="从 Excel 导入名单").click()
    page.locator("#f-kind").select_option(kind)
    page.locator("#f-org").select_option(str(org_id))
    page.locator("#f-file").set_input_files(files=[{"name": name, "mimeType": XLSX,
                                                    "buffer": _xlsx(rows)}])
    if verified:
        page.get_by_label("名单已核实", exact=False).check()
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url(re.compile(r"/admin/imports/\d+$"))


def _import(page, kind, org_id, name, rows, created: int, verified=False) -> None:
    """Upload, check the preview's counts, confirm, and see the result."""
    _upload(page, kind, org_id, name, rows, verified)
    page.get_by_role("button", name="确认导入").wait_for()
    assert page.locator(".stat-grid dd").all_inner_texts() == [str(created), "0", "0"]
    shot(page, f"onboarding-import-{kind}-preview")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text(f"导入完成：新增 {created}，更新 0，未变 0。").wait_for()
    shot(page, f"onboarding-import-{kind}-done")


def _reset(staff_page, name: str, who: str) -> str:
    """Staff find a person, reset the password and read the one-time password (shown once)."""
    staff_page.goto("/staff/people")
    staff_page.get_by_role("link", name=name).click()
    staff_page.get_by_role("button", name="重置密码").click()
    temp = staff_page.locator("#temp-password").inner_text().strip()
    shot(staff_page, f"onboarding-reset-by-{who}")
    return temp


def test_a_street_onboards_its_people_from_excel(app, db, phone):
    out = app.test_cli_runner().invoke(args=[
        "setup", "--street", "新华街道", "--admin-phone", "13900000001", "--admin-name", "赵志刚"],
        env={"WISHGRID_ADMIN_PASSWORD": ""})
    assert out.exit_code == 0, out.output
    temp = re.search(r"^\s{4}(\S+)$", out.output, re.M).group(1)
    street_admin = phone()
    ui_login(street_admin, SimpleNamespace(phone="13900000001"), temp)
    _change_password(street_admin, temp, "street-admin-pw-1", "street-admin-import")
    db.rollback()
    street = db.scalar(select(Org).where(Org.kind == "street"))

    # The street admin imports the whole tree of the street from Excel.
    street_admin.goto("/me")
    street_admin.get_by_role("link", name="从 Excel 导入名单").click()
    shot(street_admin, "onboarding-imports")
    _import(street_admin, "tree", street.id, "街道组织树.xlsx", [
        ["社区", "网格", "楼栋"], ["城西社区", "第一网格", "1号楼"], ["城西社区", "第一网格", "2号楼"],
        ["城西社区", "第二网格", "7号楼"], ["城东社区", "东一网格", "东1栋"]], created=4)  # rows
    db.rollback()
    community = db.scalar(select(Org).where(Org.kind == "community", Org.name == "城西社区"))
    grid = db.scalar(select(Org).where(Org.kind == "grid", Org.name == "第一网格"))

    # It appoints the community admin, who signs in and appoints a grid worker.
    street_admin.goto(f"/staff/team?community={community.id}")
    street_admin.locator("#f-phone").fill("13900000002")
    street_admin.locator("#f-name").fill("孙红梅")
    street_admin.locator("#f-org_id").select_option(str(community.id))
    street_admin.get_by_label("社区管理员（选择社区）").check()
    street_admin.get_by_role("button", name="任命").click()
    admin_temp = street_admin.locator("#temp-password").inner_text().strip()
    admin = phone()
    ui_login(admin, SimpleNamespace(phone="13900000002"), admin_temp)
    _change_password(admin, admin_temp, "community-admin-pw-1", "community-admin-import")
    admin.goto("/staff/team")
    admin.locator("#f-phone").fill("13900000003")
    admin.locator("#f-name").fill("周丽萍")
    admin.locator("#f-org_id").select_option(str(grid.id))
    admin.get_by_label("网格员（选择网格）").check()
    admin.get_by_role("button", name="任命").click()
    worker_temp = admin.locator("#temp-password").inner_text().strip()

    # The community admin imports the residents: a bad row first (nothing imported), then fixed.
    residents = [["姓名", "手机号", "网格", "楼栋", "门牌/地址"],
                 ["林阿婆", "13900000201", "第一网格", "1号楼", "2单元301"],
                 ["王大爷", "", "第一网格", "2号楼", "1单元101"]]
    _upload(admin, "residents", community.id, "居民名单.xlsx",
            residents + [["错号码", "1390000", "第一网格", "9号楼", ""]])
    admin.get_by_text("有 2 处需要修改，没有导入任何数据").wait_for()
    shot(admin, "onboarding-import-residents-errors")
    _import(admin, "residents", community.id, "居民名单.xlsx", residents, created=2)
    # ... and the members reported by their units, already checked (名单已核实).
    _import(admin, "members", community.id, "报到名单.xlsx", [
        ["姓名", "手机号", "单位", "特长"], ["高建国", "13900000301", "", "水电维修、理发"]],
        created=1, verified=True)
    db.rollback()
    imported = {u.name: u for u in db.scalars(select(User).where(User.name.in_(
        ("林阿婆", "王大爷", "高建国"))))}
    assert all(u.password_hash is None for u in imported.values())  # nobody can sign in yet
    assert imported["高建国"].role_names() == {"member"}

    # The grid worker signs in and resets the resident's password (given by phone).
    worker = phone()
    ui_login(worker, SimpleNamespace(phone="13900000003"), worker_temp)
    _change_password(worker, worker_temp, "grid-worker-pw-1", "grid-worker")
    resident_temp = _reset(worker, "林阿婆", "grid-worker")

    # The resident signs in, chooses a password and posts a wish; the admin publishes it.
    resident = phone()
    ui_login(resident, SimpleNamespace(phone="13900000201"), resident_temp)
    _change_password(resident, resident_temp, "resident-pw-1", "resident")
    resident.goto("/wishes/new")
    resident.get_by_label("标题").fill("帮忙换厨房灯泡")
    resident.get_by_label("详细说明").fill("灯泡在高处，我够不着。")
    resident.locator("#f-category").select_option(label="助老助残")
    resident.get_by_role("button", name="提交心愿").click()
    resident.wait_for_url(re.compile(r"/wishes/\d+$"))
    wish_id = int(resident.url.rsplit("/", 1)[1])
    resident.get_by_text("待审核").first.wait_for()
    admin.goto("/admin/review")
    admin.locator(f"#wish-{wish_id} [data-action=approve]").click()
    with admin.expect_response(lambda r: r.request.method == "POST" and "/review" in r.url):
        admin.locator("#review-form [data-action=approve]").click()

    # The imported member: the community admin resets the password, the member signs in,
    # sets their own and claims the wish from the menu.
    member_temp = _reset(admin, "高建国", "community-admin")
    member = phone()
    ui_login(member, SimpleNamespace(phone="13900000301"), member_temp)
    _change_password(member, member_temp, "member-pw-1", "member")
    member.goto("/menu")
    member.locator(f"#wish-{wish_id} [data-action=claim]").click()
    member.locator(f"#wish-{wish_id}").filter(has_text="您已认领").wait_for()
    shot(member, "onboarding-member-claimed")
    member.goto("/me")
    member.get_by_role("link", name="更换工作单位（重新报到）").click()
    member.get_by_role("heading", name="更换工作单位").wait_for()
    shot(member, "onboarding-member-change-unit")

    db.rollback()
    from webapp.models import Claim, Wish
    wish = db.get(Wish, wish_id)
    assert wish.status == "claimed" and wish.resident.name == "林阿婆"
    assert [c.volunteer.name for c in db.scalars(select(Claim).where(Claim.wish_id == wish_id))
            ] == ["高建国"]
    kinds = db.scalars(select(AdminLog.kind).order_by(AdminLog.id)).all()
    assert kinds == ["setup", "password_change", "import", "appoint", "password_change",
                     "appoint", "import", "import", "password_change", "password_reset",
                     "password_change", "password_reset", "password_change"]
