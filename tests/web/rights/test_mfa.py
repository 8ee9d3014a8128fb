"""两步验证 for admins: enrolment with a QR code, the second step at sign-in, a street that
requires it sends an admin to enrol before anything else, codes are taken once, and a lost
phone is reset by the admin above (logged)."""
from datetime import timedelta

import pyotp
from sqlalchemy import select

from tests.conftest import PASSWORD, login
from webapp.models import AdminLog, User, utcnow
from webapp.services.people import mfa


def _sign_in(client, user):
    return client.post("/login", data={"phone": user.phone, "password": PASSWORD})


def _enrol(client, db, user) -> pyotp.TOTP:
    client.post("/me/2fa/begin")
    page = client.get("/me/2fa").get_data(as_text=True)
    db.expire_all()
    secret = db.get(User, user.id).totp_secret
    assert "<svg" in page and secret in page
    totp = pyotp.TOTP(secret)
    r = client.post("/me/2fa/confirm", data={"code": totp.now()})
    assert r.status_code == 302
    return totp


def test_enrolment_then_every_sign_in_asks_for_a_code(app, client, db, world):
    login(client, world.admin)
    totp = _enrol(client, db, world.admin)
    assert db.scalar(select(AdminLog.kind).where(AdminLog.target_user_id == world.admin.id,
                                                 AdminLog.kind == "mfa_enable"))
    c = app.test_client()
    assert _sign_in(c, world.admin).status_code == 302
    r = c.get("/admin/review")
    assert r.status_code == 302 and "/login/2fa" in r.headers["Location"]
    assert c.post("/login/2fa", data={"code": "000000"}).status_code == 422
    # The code used at enrolment is spent: the next step's code (or a later one) is needed.
    later = totp.at(utcnow() + timedelta(seconds=30))
    assert c.post("/login/2fa", data={"code": later}).status_code == 302
    assert c.get("/admin/review").status_code == 200
    # Taken once: the same code in another browser is refused.
    d = app.test_client()
    _sign_in(d, world.admin)
    assert d.post("/login/2fa", data={"code": later}).status_code == 422


def test_a_street_that_requires_it_sends_admins_to_enrol_first(client, db, world):
    mfa.set_required(db, world.street_admin, world.street.id, True)
    login(client, world.admin)
    r = client.get("/admin/review")
    assert r.status_code == 302 and r.headers["Location"].endswith("/me/2fa")
    assert "本街道要求管理员开启两步验证" in client.get("/me/2fa").get_data(as_text=True)
    # A resident of the same street is not asked.
    other = client.application.test_client()
    login(other, world.resident)
    assert other.get("/me").status_code == 200
    _enrol(client, db, world.admin)
    assert client.get("/admin/review").status_code == 200


def test_only_the_streets_admin_sets_the_requirement(db, world):
    import pytest
    from webapp.services.errors import Forbidden
    with pytest.raises(Forbidden):
        mfa.set_required(db, world.admin, world.street.id, True)


def test_a_lost_phone_is_reset_by_the_admin_above_and_logged(app, client, db, world):
    login(client, world.admin)
    _enrol(client, db, world.admin)
    boss = app.test_client()
    login(boss, world.street_admin)
    page = boss.get(f"/staff/people/{world.admin.id}").get_data(as_text=True)
    assert "重置两步验证" in page
    assert boss.post(f"/staff/people/{world.admin.id}/2fa/reset").status_code == 302
    db.expire_all()
    assert db.get(User, world.admin.id).totp_enabled_at is None
    assert client.get("/me").status_code == 302  # the admin's sessions ended
    assert db.scalar(select(AdminLog.id).where(AdminLog.kind == "mfa_reset",
                                               AdminLog.target_user_id == world.admin.id))
    # A community admin cannot reset a fellow community admin (no cover).
    peer = app.test_client()
    login(peer, world.admin_b)
    assert peer.post(f"/staff/people/{world.admin.id}/2fa/reset").status_code == 403


def test_non_admins_cannot_enrol(client, world):
    login(client, world.member)
    assert client.post("/me/2fa/begin").status_code == 403
    assert "不需要设置" in client.get("/me/2fa").get_data(as_text=True)


def test_the_api_asks_an_enrolled_admin_for_the_code(app, client, db, world):
    login(client, world.admin)
    totp = _enrol(client, db, world.admin)
    api = app.test_client()
    body = {"phone": world.admin.phone, "password": PASSWORD}
    r = api.post("/api/v1/tokens", json=body)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "mfa_required"
    r = api.post("/api/v1/tokens", json={**body, "otp": totp.at(utcnow() + timedelta(seconds=30))})
    assert r.status_code == 201


def test_the_api_refuses_an_unenrolled_admin_of_a_street_that_requires_it(app, db, world):
    mfa.set_required(db, world.street_admin, world.street.id, True)
    r = app.test_client().post("/api/v1/tokens", json={"phone": world.street_admin.phone,
                                                      "password": PASSWORD})
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "mfa_enrolment_required"
    r = app.test_client().post("/api/v1/tokens", json={"phone": world.member.phone,
                                                      "password": PASSWORD})
    assert r.status_code == 201


def test_the_operator_resets_a_street_admin_from_the_command_line(app, client, db, world):
    login(client, world.street_admin)
    _enrol(client, db, world.street_admin)
    out = app.test_cli_runner().invoke(args=["mfa-reset", "--phone", world.street_admin.phone])
    assert out.exit_code == 0, out.output
    db.expire_all()
    assert db.get(User, world.street_admin.id).totp_secret is None
    log = db.scalar(select(AdminLog).where(AdminLog.kind == "mfa_reset"))
    assert log.actor_id is None and log.target_user_id == world.street_admin.id
