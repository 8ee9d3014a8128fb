"""`flask setup` from an empty database: the street, its first admin, the password's three ways."""
from sqlalchemy import func, select

from webapp.models import AdminLog, Org, RoleGrant, User
from webapp.services.people import accounts

ARGS = ["setup", "--street", "城西街道", "--admin-phone", "13900000001", "--admin-name", "钱主任"]


def _counts(db):
    db.expire_all()
    return tuple(db.scalar(select(func.count()).select_from(m)) for m in (Org, User, RoleGrant,
                                                                           AdminLog))


def test_setup_with_the_password_from_the_environment(app, db):
    r = app.test_cli_runner().invoke(args=ARGS, env={"WISHGRID_ADMIN_PASSWORD": "strong-pass-1"})
    assert r.exit_code == 0, r.output
    street = db.scalar(select(Org).where(Org.kind == "street"))
    assert street.name == "城西街道"
    admin = accounts.authenticate(db, "13900000001", "strong-pass-1")
    assert admin is not None and not admin.must_change_password
    assert {(g.role, g.org_id) for g in admin.roles} == {("street_admin", street.id)}
    log = db.scalar(select(AdminLog))
    assert (log.kind, log.street_id, log.target_user_id, log.actor_id) == (
        "setup", street.id, admin.id, None)
    assert "strong-pass-1" not in r.output


def test_setup_without_a_password_prints_a_one_time_one(app, db):
    r = app.test_cli_runner().invoke(args=ARGS, env={"WISHGRID_ADMIN_PASSWORD": ""})
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    temp = lines[lines.index(next(x for x in lines if "One-time password" in x)) + 1].strip()
    assert len(temp) >= 12
    admin = accounts.authenticate(db, "13900000001", temp)
    assert admin is not None and admin.must_change_password


def test_an_existing_street_is_refused_and_nothing_changes(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=ARGS, env={"WISHGRID_ADMIN_PASSWORD": "strong-pass-1"}).exit_code == 0
    before = _counts(db)
    again = runner.invoke(args=ARGS[:2] + [" 城西街道 ", "--admin-phone", "13900000002",
                                           "--admin-name", "别人"],
                          env={"WISHGRID_ADMIN_PASSWORD": "other-pass-2"})
    assert again.exit_code != 0
    assert "already exists" in again.output and "nothing was changed" in again.output
    assert _counts(db) == before
    assert accounts.authenticate(db, "13900000002", "other-pass-2") is None


def test_a_new_street_name_adds_a_second_street(app, db):
    runner = app.test_cli_runner()
    env = {"WISHGRID_ADMIN_PASSWORD": "strong-pass-1"}
    assert runner.invoke(args=ARGS, env=env).exit_code == 0
    r = runner.invoke(args=["setup", "--street", "城东街道", "--admin-phone", "13900000002",
                            "--admin-name", "孙主任"], env=env)
    assert r.exit_code == 0, r.output
    assert db.scalars(select(Org.name).where(Org.kind == "street").order_by(Org.id)).all() == [
        "城西街道", "城东街道"]


def test_bad_input_exits_non_zero_and_writes_nothing(app, db):
    r = app.test_cli_runner().invoke(args=["setup", "--street", "城西街道", "--admin-phone", "123",
                                           "--admin-name", "钱主任"],
                                     env={"WISHGRID_ADMIN_PASSWORD": "short"})
    assert r.exit_code != 0
    assert "admin_phone" in r.output and "password" in r.output
    assert _counts(db) == (0, 0, 0, 0)
