"""Accounts looked after: own password change, staff reset + the must-change flow (web and API),
deactivation and reactivation, moving house. Each really cuts the old cookie and token."""
from sqlalchemy import select

from tests.conftest import PASSWORD, login
from tests.web.apiutil import Api
from webapp.models import AdminLog, Claim, Notification, User
from webapp.services.people import accounts
from webapp.services.wishes import claims


def _sign_in(app, phone, password=PASSWORD):
    c = app.test_client()
    r = c.post("/login", data={"phone": phone, "password": password})
    assert r.status_code == 302, r.status_code
    return c


def test_changing_ones_password_keeps_this_session_and_ends_the_others(app, client, db, world):
    here, there = _sign_in(app, world.resident.phone), _sign_in(app, world.resident.phone)
    token = Api(client, world.resident)
    r = here.post("/me/password", data={"current_password": "wrong", "new_password": "new-pass-1",
                                        "new_password2": "new-pass-1"})
    assert r.status_code == 422 and "当前密码不对" in r.get_data(as_text=True)
    r = here.post("/me/password", data={"current_password": PASSWORD,
                                        "new_password": "new-pass-1", "new_password2": "other-1"})
    assert r.status_code == 422
    r = here.post("/me/password", data={"current_password": PASSWORD,
                                        "new_password": "new-pass-1", "new_password2": "new-pass-1"})
    assert r.status_code == 302
    assert here.get("/me").status_code == 200  # this session carries on
    assert there.get("/me").status_code == 302  # the other device is signed out
    assert token.get("/wishes").status_code == 401  # and the API token is gone
    assert accounts.authenticate(db, world.resident.phone, "new-pass-1") is not None
    assert accounts.authenticate(db, world.resident.phone, PASSWORD) is None


def test_api_password_change(client, db, world):
    api = Api(client, world.member)
    r = api.post("/me/password", {"current_password": "nope", "new_password": "new-pass-1"})
    assert r.status_code == 422 and "current_password" in r.json["error"]["fields"]
    r = api.post("/me/password", {"current_password": PASSWORD, "new_password": "new-pass-1"})
    assert r.status_code == 200 and r.json == {"password_changed": True}
    assert api.get("/wishes").status_code == 401


def test_reset_cuts_access_and_forces_a_new_password_on_the_web(app, client, db, world):
    victim_web = _sign_in(app, world.resident.phone)
    victim_api = Api(client, world.resident)
    gw = Api(client, world.grid_worker)
    r = gw.post(f"/users/{world.resident.id}/password-reset")
    assert r.status_code == 200
    temp = r.json["temporary_password"]
    assert victim_web.get("/me").status_code == 302
    assert victim_api.get("/wishes").status_code == 401
    assert db.scalar(select(Notification.event).where(
        Notification.user_id == world.resident.id, Notification.event == "password_reset"))
    assert db.scalar(select(AdminLog.actor_id).where(AdminLog.kind == "password_reset")) == \
        world.grid_worker.id
    # Signing in with the one-time password: every page leads to the change form first.
    web = _sign_in(app, world.resident.phone, temp)
    for path in ("/", "/me", "/my/wishes", "/inbox"):
        r = web.get(path)
        assert r.status_code == 302 and r.headers["Location"].endswith("/me/password"), path
    assert web.get("/me/password").status_code == 200
    r = web.get("/me", headers={"HX-Request": "true"})
    assert r.headers.get("HX-Redirect", "").endswith("/me/password")
    r = web.post("/me/password", data={"current_password": temp, "new_password": "mine-now-1",
                                       "new_password2": "mine-now-1"})
    assert r.status_code == 302
    assert web.get("/me").status_code == 200


def test_must_change_flow_on_the_api(client, db, world):
    temp = Api(client, world.admin).post(
        f"/users/{world.member.id}/password-reset").json["temporary_password"]
    r = client.post("/api/v1/tokens", json={"phone": world.member.phone, "password": temp})
    assert r.status_code == 201 and r.json["password_change_required"] is True
    api = Api(client, token=r.json["token"])
    r = api.get("/wishes")
    assert r.status_code == 403 and r.json["error"]["code"] == "password_change_required"
    assert api.post("/me/password", {"current_password": temp,
                                     "new_password": "mine-now-1"}).status_code == 200
    r = client.post("/api/v1/tokens", json={"phone": world.member.phone, "password": "mine-now-1"})
    assert r.json["password_change_required"] is False
    assert Api(client, token=r.json["token"]).get("/wishes").status_code == 200


def test_reset_scope_never_reaches_up_or_across(client, db, world):
    gw = Api(client, world.grid_worker)
    assert gw.post(f"/users/{world.admin.id}/password-reset").status_code == 403  # an admin
    assert gw.post(f"/users/{world.resident2.id}/password-reset").status_code == 403  # grid A2
    assert Api(client, world.admin_b).post(
        f"/users/{world.resident.id}/password-reset").status_code == 403
    assert Api(client, world.admin).post(
        f"/users/{world.admin.id}/password-reset").status_code == 403  # not oneself
    assert Api(client, world.street_admin).post(
        f"/users/{world.admin.id}/password-reset").status_code == 200


def test_deactivation_cuts_access_releases_claims_and_keeps_records(app, client, db, world,
                                                                    make_wish):
    wish = make_wish("published", capacity=2)
    claim = claims.claim(db, world.member, wish.id)[0]
    web, api = _sign_in(app, world.member.phone), Api(client, world.member)
    admin = Api(client, world.admin)
    r = admin.post(f"/users/{world.member.id}/deactivate", {"reason": "已迁出"})
    assert r.status_code == 200 and r.json == {"id": world.member.id, "active": False}
    assert web.get("/me").status_code == 302
    assert api.get("/wishes").status_code == 401
    r = client.post("/api/v1/tokens", json={"phone": world.member.phone, "password": PASSWORD})
    assert r.status_code == 401
    db.expire_all()
    assert db.get(Claim, claim.id).status == "released"
    assert db.scalar(select(Notification.event).where(
        Notification.user_id == world.resident.id, Notification.event == "claim_released"))
    assert db.get(User, world.member.id).name == "李志愿"  # records stay
    assert admin.post(f"/users/{world.member.id}/deactivate").status_code == 409
    assert admin.post(f"/users/{world.member.id}/reactivate").json["active"] is True
    assert _sign_in(app, world.member.phone).get("/me").status_code == 200
    kinds = db.scalars(select(AdminLog.kind).order_by(AdminLog.id)).all()
    assert kinds == ["deactivate", "reactivate"]


def test_moving_house(client, db, world):
    login(client, world.admin)
    r = client.post(f"/staff/people/{world.resident.id}/move",
                    data={"building_id": world.ba2.id, "address": "2单元301"})
    assert r.status_code == 302
    db.expire_all()
    person = db.get(User, world.resident.id)
    assert (person.building_id, person.address) == (world.ba2.id, "2单元301")
    assert {g.org_id for g in person.roles if g.role == "resident"} == {world.ba2.id}
    assert db.scalar(select(AdminLog.kind).where(AdminLog.target_user_id == person.id)) == \
        "move_house"
    # A grid worker moves only into their own grid.
    login(client, world.grid_worker2)
    r = client.post(f"/staff/people/{world.resident.id}/move",
                    data={"building_id": world.ba1.id})
    assert r.status_code == 422


def test_person_page_and_people_search(client, db, world):
    login(client, world.grid_worker)
    html = client.get("/staff/people?q=王").get_data(as_text=True)
    assert "王小明" in html and "赵阿姨" not in html
    html = client.get(f"/staff/people/{world.resident.id}").get_data(as_text=True)
    assert "重置密码" in html and "停用账号" in html
    r = client.post(f"/staff/people/{world.resident.id}/password-reset")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert client.get(f"/staff/people/{world.resident2.id}").status_code == 403
