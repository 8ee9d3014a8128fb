"""Login, logout and registration through the real forms (test client)."""
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, login
from webapp.extensions import limiter
from webapp.models import Registration, RoleGrant, Unit, User


def _count(db, model, **where):
    return db.scalar(select(func.count()).select_from(model).filter_by(**where))


# --- login ----------------------------------------------------------------------------------

def test_login_with_the_form_then_pages_know_the_user(client, world):
    resp = client.post("/login", data={"phone": world.resident.phone, "password": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    page = client.get("/me").get_data(as_text=True)
    assert world.resident.name in page and "退出登录" in page


def test_wrong_password_shows_message_next_to_field_and_stays_logged_out(client, world):
    resp = client.post("/login", data={"phone": world.resident.phone, "password": "nope-nope"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert re.search(r'id="err-password">手机号或密码不对', html)
    assert f'value="{world.resident.phone}"' in html  # the phone is kept, the password is not
    assert "nope-nope" not in html
    assert client.get("/me").status_code == 302


def test_unknown_phone_and_bad_format_are_refused(client, world):
    resp = client.post("/login", data={"phone": "13999999999", "password": PASSWORD})
    assert resp.status_code == 422 and "手机号或密码不对" in resp.get_data(as_text=True)
    resp = client.post("/login", data={"phone": "12345", "password": PASSWORD})
    assert resp.status_code == 422 and 'id="err-phone"' in resp.get_data(as_text=True)


def test_user_without_password_cannot_log_in(client, db, world):
    # Residents registered by a grid worker have no password at all.
    u = User(phone="13700000001", name="无密码", password_hash=None)
    db.add(u)
    db.commit()
    resp = client.post("/login", data={"phone": "13700000001", "password": "anything1"})
    assert resp.status_code == 422


@pytest.mark.parametrize("nxt,expected", [
    ("/my/wishes", "/my/wishes"),
    ("//evil.example/x", "/"),
    ("https://evil.example/", "/"),
    ("/\\evil.example", "/"),
])
def test_next_is_followed_only_within_the_site(client, world, nxt, expected):
    resp = client.post(f"/login?next={nxt}",
                       data={"phone": world.resident.phone, "password": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"] == expected


def test_login_form_carries_next_through(client, world):
    page = client.get("/login?next=/my/wishes").get_data(as_text=True)
    assert 'name="next" value="/my/wishes"' in page


def test_logout_is_a_post_and_ends_the_session(client, world):
    login(client, world.resident)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/me").status_code == 302


def test_login_is_rate_limited_per_ip_and_per_phone(app, db, world):
    """A second app with the limiter on (the test config turns it off)."""
    from config import TestConfig
    from webapp import create_app

    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        RATELIMIT_ENABLED = True
        LOGIN_RATE_LIMIT = "3 per minute"
        LOGIN_ACCOUNT_RATE_LIMIT = "3 per minute"
    try:
        limited = create_app(Limited)
        limiter.reset()
        c = limited.test_client()
        bad = {"phone": world.resident.phone, "password": "wrong-password"}
        # The same phone from three different addresses uses up the phone's bucket …
        for i in range(3):
            r = c.post("/login", data=bad, environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
            assert r.status_code == 422
        r = c.post("/login", data=bad, environ_base={"REMOTE_ADDR": "10.0.0.99"})
        assert r.status_code == 429 and "操作太频繁" in r.get_data(as_text=True)
        # … and one address is limited whatever phone it tries.
        for i in range(3):
            c.post("/login", data={"phone": f"1390000000{i}", "password": "x"},
                   environ_base={"REMOTE_ADDR": "10.0.1.1"})
        r = c.post("/login", data={"phone": world.member.phone, "password": PASSWORD},
                   environ_base={"REMOTE_ADDR": "10.0.1.1"})
        assert r.status_code == 429
        # GET (showing the form) is never limited.
        assert c.get("/login", environ_base={"REMOTE_ADDR": "10.0.1.1"}).status_code == 200
    finally:
        limiter.reset()
        limiter.enabled = False


# --- register -------------------------------------------------------------------------------

def _form(world, **over):
    data = {"role": "resident", "name": "新居民", "phone": "13600000001", "password": "secret-123",
            "building_id": str(world.ba1.id), "address": "2单元301", "consent": "1"}
    data.update(over)
    return data


def test_register_form_groups_buildings_by_community_and_grid(client, world):
    page = client.get("/register").get_data(as_text=True)
    assert '<optgroup label="城西社区 · 第一网格">' in page
    assert '<optgroup label="城东社区 · 东一网格">' in page
    assert "区人民医院" in page and "个人信息保护法" in page


def test_register_resident_logs_in_without_registration(client, db, world):
    resp = client.post("/register", data=_form(world))
    assert resp.status_code == 302
    user = db.scalar(select(User).where(User.phone == "13600000001"))
    assert user.building_id == world.ba1.id and user.address == "2单元301"
    assert {g.role for g in user.roles} == {"resident"}
    assert _count(db, Registration, user_id=user.id) == 0
    assert "新居民" in client.get("/me").get_data(as_text=True)


def test_register_member_creates_pending_personal_registration(client, db, world):
    data = _form(world, role="member", phone="13600000002", unit_id=str(world.unit.id))
    data.update(skills=["家电维修", "法律咨询"], skills_other="会修自行车")
    resp = client.post("/register", data=data, follow_redirects=True)
    html = resp.get_data(as_text=True)
    user = db.scalar(select(User).where(User.phone == "13600000002"))
    reg = db.scalar(select(Registration).where(Registration.user_id == user.id))
    assert reg.kind == "personal" and reg.status == "pending" and reg.community_id == world.ca.id
    assert user.unit_id == world.unit.id and user.skills == "家电维修,法律咨询,会修自行车"
    assert "报到已提交" in html and "待审核" in html  # the notice, and the status on 我的
    assert "member" not in user.role_names()  # not a member until approved


def test_register_unit_admin_creates_pending_unit(client, db, world):
    resp = client.post("/register", data=_form(world, role="unit_admin", phone="13600000003",
                                                unit_name="区税务局"))
    assert resp.status_code == 302
    unit = db.scalar(select(Unit).where(Unit.name == "区税务局"))
    reg = db.scalar(select(Registration).where(Registration.unit_id == unit.id))
    assert unit.status == "pending" and reg.kind == "unit" and reg.status == "pending"


@pytest.mark.parametrize("over,field", [
    ({"consent": ""}, "consent"),
    ({"phone": "1234"}, "phone"),
    ({"password": "short"}, "password"),
    ({"name": ""}, "name"),
    ({"building_id": ""}, "building_id"),
    ({"role": "superadmin"}, "role"),
    ({"role": "unit_admin", "unit_name": ""}, "unit_name"),
    ({"phone": "13800000101"}, "phone"),  # already registered (world.resident)
])
def test_register_bad_input_shows_error_by_field_and_writes_nothing(client, db, world, over,
                                                                     field):
    users, grants = _count(db, User), _count(db, RoleGrant)
    resp = client.post("/register", data=_form(world, **over))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert f'id="err-{field}"' in html, html
    assert 'value="新居民"' in html or field == "name"  # values are kept
    assert _count(db, User) == users and _count(db, RoleGrant) == grants


def test_register_building_of_another_kind_is_refused(client, db, world):
    resp = client.post("/register", data=_form(world, building_id=str(world.ga1.id)))
    assert resp.status_code == 422 and 'id="err-building_id"' in resp.get_data(as_text=True)
