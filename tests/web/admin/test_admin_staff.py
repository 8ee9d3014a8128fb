"""Staff: appoint by phone (new or existing account), the staff list, removal cuts access."""
from sqlalchemy import select

from tests.conftest import PASSWORD, login
from tests.web.apiutil import Api
from webapp.models import AdminLog, Notification, RoleGrant, User
from webapp.services.people import accounts, orgs


def test_appointing_a_new_phone_creates_the_account_with_a_one_time_password(client, db, world):
    admin = Api(client, world.admin)
    r = admin.post("/staff", {"phone": "13700000088", "name": "新网格员", "role": "grid_worker",
                              "org_id": world.ga1.id})
    assert r.status_code == 201, r.json
    temp = r.json["temporary_password"]
    user = db.get(User, r.json["user_id"])
    assert user.must_change_password and accounts.authenticate(db, "13700000088", temp)
    grant = db.get(RoleGrant, r.json["grant_id"])
    assert (grant.role, grant.org_id, grant.granted_by_id) == ("grid_worker", world.ga1.id,
                                                               world.admin.id)
    assert grant.created_at is not None
    assert db.scalar(select(Notification.event).where(Notification.user_id == user.id)) == \
        "role_granted"
    log = db.scalar(select(AdminLog).where(AdminLog.kind == "appoint"))
    assert (log.community_id, log.target_user_id, log.actor_id) == (world.ca.id, user.id,
                                                                    world.admin.id)
    assert temp not in str(log.details) + log.summary
    # The staff list says who, which role, since when and by whom.
    items = admin.get("/staff", community=world.ca.id).json["items"]
    row = next(i for i in items if i["user_id"] == user.id)
    assert row["role"] == "grid_worker" and row["granted_by"] == "孙主任" and row["since"]


def test_appointing_an_existing_phone_adds_the_role_without_a_password(client, db, world):
    api = Api(client, world.street_admin)
    r = api.post("/staff", {"phone": world.member.phone, "role": "community_admin",
                            "org_id": world.cb.id})
    assert r.status_code == 201 and "temporary_password" not in r.json
    db.expire_all()
    assert "community_admin" in db.get(User, world.member.id).role_names()
    assert accounts.authenticate(db, world.member.phone, PASSWORD) is not None
    again = api.post("/staff", {"phone": world.member.phone, "role": "community_admin",
                                "org_id": world.cb.id})
    assert again.status_code == 409 and again.json["error"]["code"] == "already_appointed"
    new = api.post("/staff", {"phone": "13700000089", "role": "community_admin",
                              "org_id": world.cb.id})
    assert new.status_code == 422 and "name" in new.json["error"]["fields"]


def test_who_may_appoint_whom(client, db, world, make_user):
    admin, gw = Api(client, world.admin), Api(client, world.grid_worker)
    body = {"phone": world.member3.phone, "role": "grid_worker"}
    assert admin.post("/staff", {**body, "org_id": world.gb1.id}).status_code == 403  # B's grid
    assert gw.post("/staff", {**body, "org_id": world.ga1.id}).status_code == 403
    assert admin.post("/staff", {**body, "org_id": world.ca.id}).status_code == 422  # wrong kind
    assert admin.post("/staff", {"phone": world.member3.phone, "role": "community_admin",
                                 "org_id": world.ca.id}).status_code == 201  # a fellow admin
    street2 = orgs.add_org(db, "street", "另一街道")
    db.commit()
    other = Api(client, make_user("蒋街道", "13800000199", None,
                                  [("street_admin", street2, None)]))
    assert other.post("/staff", {**body, "role": "community_admin",
                                 "org_id": world.ca.id}).status_code == 403
    assert other.get("/staff", community=world.ca.id).status_code == 403


def test_removing_a_role_cuts_the_persons_session_and_token(app, client, db, world):
    gw_client = app.test_client()
    assert gw_client.post("/login", data={"phone": world.grid_worker.phone,
                                          "password": PASSWORD}).status_code == 302
    gw_token = Api(client, world.grid_worker)
    assert gw_token.get("/wishes").status_code == 200
    grant = db.scalar(select(RoleGrant.id).where(RoleGrant.user_id == world.grid_worker.id))
    admin = Api(client, world.admin)
    r = client.delete(f"/api/v1/staff/{grant}", headers={"Authorization": f"Bearer {admin.token}"})
    assert r.status_code == 204
    assert gw_client.get("/me").status_code == 302  # back to the login page
    assert gw_token.get("/wishes").status_code == 401
    db.expire_all()
    assert "grid_worker" not in db.get(User, world.grid_worker.id).role_names()
    assert db.scalar(select(AdminLog.kind).where(AdminLog.target_user_id == world.grid_worker.id)) \
        == "remove_role"
    r = client.delete(f"/api/v1/staff/{grant}", headers={"Authorization": f"Bearer {admin.token}"})
    assert r.status_code == 409


def test_staff_page_appoints_and_shows_the_password_once(client, db, world):
    login(client, world.admin)
    page = client.get("/staff/team").get_data(as_text=True)
    assert "周网格" in page and "孙主任" in page
    r = client.post("/staff/team", data={"phone": "13700000090", "name": "新网格员",
                                         "role": "grid_worker", "org_id": world.ga2.id})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    user = db.scalar(select(User).where(User.phone == "13700000090"))
    temp = html.split('id="temp-password">')[1].split("<")[0]
    assert accounts.authenticate(db, "13700000090", temp).id == user.id
    assert temp not in client.get("/staff/team").get_data(as_text=True)
    bad = client.post("/staff/team", data={"phone": "123", "role": "grid_worker",
                                           "org_id": world.ga2.id})
    assert bad.status_code == 422 and "field-error" in bad.get_data(as_text=True)
