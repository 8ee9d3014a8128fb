"""Password rules on every path that sets a password: sign-up, own change, recovery by code and
`flask setup`; a common password or one made of the person's own phone number is refused next
to the field and nothing is written."""
import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, login
from webapp.models import Org, User
from webapp.schemas import parse
from webapp.schemas.admin import SetupInput
from webapp.services.admin import setup as setup_svc
from webapp.services.errors import Invalid
from webapp.services.people import password_rules, signin_codes
from webapp.services.people.passwords import verify_password


@pytest.mark.parametrize("pw", ["12345678", "password", "Passw0rd", "aaaaaaaa", "abababab",
                                "23456789", "98765432", "abcdefgh", "qwertyuiop", "1qaz2wsx"])
def test_common_passwords_are_refused(pw):
    assert password_rules.problem(pw) is not None


@pytest.mark.parametrize("pw", ["13800000110", "a13800000110", "00000110x", "x800000110",
                                "wg000110", "138000001"])
def test_the_own_phone_number_is_refused(pw):
    assert "手机号" in password_rules.problem(pw, "13800000110")


@pytest.mark.parametrize("pw", ["秋天的银杏叶子黄了", "long-enough-1", "wishgrid-test", "mine-now-1"])
def test_ordinary_passwords_pass(pw):
    assert password_rules.problem(pw, "13800000110") is None


@pytest.mark.engine_neutral
def test_sign_up_refuses_a_common_password_next_to_the_field(client, db, world):
    r = client.post("/register", data={"role": "resident", "name": "新居民", "phone": "13600000001",
                                       "password": "12345678", "building_id": str(world.ba1.id),
                                       "consent": "1"})
    assert r.status_code == 422 and "太常见" in r.get_data(as_text=True)
    assert db.scalar(select(User).where(User.phone == "13600000001")) is None


def test_a_street_admin_cannot_change_to_12345678_or_the_phone(client, db, world):
    login(client, world.street_admin)
    for new, word in (("12345678", "太常见"), (world.street_admin.phone, "手机号")):
        r = client.post("/me/password", data={"current_password": PASSWORD, "new_password": new,
                                              "new_password2": new})
        assert r.status_code == 422 and word in r.get_data(as_text=True)
    db.expire_all()
    assert verify_password(db.get(User, world.street_admin.id).password_hash, PASSWORD)


def test_recovery_by_code_refuses_a_weak_new_password(db, world):
    with pytest.raises(Invalid) as e:
        signin_codes.recover(db, world.admin.phone, "123456", "11111111")
    assert "new_password" in e.value.fields


def test_setup_refuses_a_weak_password_and_creates_nothing(db):
    data = parse(SetupInput, {"street": "新街道", "admin_phone": "13900000001",
                              "admin_name": "管理员", "password": "12345678"})
    with pytest.raises(Invalid) as e:
        setup_svc.create_street(db, data)
    assert "password" in e.value.fields
    db.rollback()
    assert db.scalar(select(func.count(Org.id)).where(Org.name == "新街道")) == 0
