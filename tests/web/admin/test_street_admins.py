"""More than one street admin (issue 23 item 9): appointed by a street admin on the staff page
(or the API), or by `flask setup --add-admin`; a handover (the new admin removes the old one)
keeps the admin log; nobody removes their own role, so a street never loses its last admin."""
from sqlalchemy import select

from tests.conftest import login
from tests.web.apiutil import Api
from webapp.models import AdminLog, RoleGrant, User
from webapp.services import policy
from webapp.services.admin import adminlog, staff
from webapp.services.errors import Conflict, Forbidden


def _grant(db, user, street):
    return db.scalar(select(RoleGrant).where(RoleGrant.user_id == user.id,
                                             RoleGrant.role == "street_admin",
                                             RoleGrant.org_id == street.id))


def test_a_street_admin_appoints_a_second_one_and_hands_over(app, client, db, world):
    app.config["WTF_CSRF_ENABLED"] = False
    before = {a.id for a in adminlog.entries(db, world.street_admin, street_id=world.street.id)}
    login(client, world.street_admin)
    page = client.get(f"/staff/team?community={world.ca.id}").get_data(as_text=True)
    assert 'value="street_admin"' in page and f'<option value="{world.street.id}"' in page
    r = client.post(f"/staff/team?community={world.ca.id}", data={
        "phone": "13700000077", "name": "新街道", "role": "street_admin",
        "org_id": world.street.id})
    assert r.status_code == 200 and "13700000077" in r.get_data(as_text=True)  # the one-time password page
    new = db.scalar(select(User).where(User.phone == "13700000077"))
    assert policy.is_street_admin(new, world.street.id)
    # the newcomer reads the whole street log, from before their appointment too
    lines = {a.id for a in adminlog.entries(db, new, street_id=world.street.id)}
    assert before <= lines
    # the handover: the new admin removes the old one; the old one's lines stay
    old = _grant(db, world.street_admin, world.street)
    new.must_change_password = False  # as after their first sign-in
    db.commit()
    login(client, new)
    r = client.post(f"/staff/team/{old.id}/remove")
    assert r.status_code == 302 and "/staff/team" in r.headers["Location"]
    db.expire_all()
    assert not policy.is_street_admin(db.get(User, world.street_admin.id), world.street.id)
    assert before <= {a.id for a in adminlog.entries(db, new, street_id=world.street.id)}
    kinds = db.scalars(select(AdminLog.kind).where(AdminLog.street_id == world.street.id)).all()
    assert "appoint" in kinds and "remove_role" in kinds


def test_nobody_else_appoints_street_admins_and_no_one_removes_themself(db, world):
    from webapp.schemas.admin import StaffAppoint
    data = StaffAppoint(phone="13700000078", name="某人", role="street_admin",
                        org_id=world.street.id)
    try:
        staff.appoint(db, world.admin, data)
        raise AssertionError("a community admin appointed a street admin")
    except Forbidden:
        db.rollback()
    own = _grant(db, world.street_admin, world.street)
    try:
        staff.remove(db, world.street_admin, own.id)
        raise AssertionError("removed their own street admin role")
    except Conflict as exc:
        assert exc.code == "own_role"


def test_the_api_appoints_a_street_admin(client, db, world):
    api = Api(client, world.street_admin)
    r = api.post("/staff", {"phone": "13700000079", "name": "第二位", "role": "street_admin",
                            "org_id": world.street.id})
    assert r.status_code == 201, r.json
    assert policy.is_street_admin(db.scalar(select(User).where(User.phone == "13700000079")),
                                  world.street.id)


def test_flask_setup_add_admin(app, db):
    runner = app.test_cli_runner()
    base = ["setup", "--street", "城西街道", "--admin-phone", "13900000001",
            "--admin-name", "钱主任"]
    assert runner.invoke(args=base, env={"WISHGRID_ADMIN_PASSWORD": "strong-pass-1"}).exit_code == 0
    add = ["setup", "--street", "城西街道", "--admin-phone", "13900000002", "--admin-name", "孙主任",
           "--add-admin"]
    r = runner.invoke(args=add, env={"WISHGRID_ADMIN_PASSWORD": "strong-pass-2"})
    assert r.exit_code == 0, r.output
    assert "now also its street admin" in r.output
    second = db.scalar(select(User).where(User.phone == "13900000002"))
    from webapp.models import Org
    street = db.scalar(select(Org).where(Org.kind == "street"))
    assert policy.is_street_admin(second, street.id)
    log = db.scalars(select(AdminLog.kind).where(AdminLog.street_id == street.id)
                     .order_by(AdminLog.id)).all()
    assert log == ["setup", "appoint"]
    again = runner.invoke(args=add, env={"WISHGRID_ADMIN_PASSWORD": "strong-pass-2"})
    assert again.exit_code == 1 and "已经是" in again.output
    missing = runner.invoke(args=["setup", "--street", "无此街道", "--admin-phone", "13900000003",
                                  "--admin-name", "某人", "--add-admin"])
    assert missing.exit_code == 1 and "没有名为" in missing.output
    assert db.scalar(select(User.id).where(User.phone == "13900000003")) is None
