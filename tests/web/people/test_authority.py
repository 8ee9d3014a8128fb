"""Authority over people (issue 20): no street, community or grid steps around the cover rule.

Each test replays a finding of the outside review through the API and the web; on the old code
the attacker got the victim's role, password and home."""
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import PASSWORD, login
from tests.web.apiutil import Api
from webapp.models import AdminLog, Invitation, Pairing, PairingEvent, User, utcnow
from webapp.schemas.admin import StaffAppoint
from webapp.services.admin import invites, setup, staff, tree
from webapp.services.admin.imports import service as imports
from webapp.services.pairing import pairings


def _second_street(db, make_user):
    """A second street set up as `flask setup` does, with one community of its own."""
    from types import SimpleNamespace
    res = setup.create_street(db, SimpleNamespace(street="别的街道", admin_phone="13600000001",
                                                  admin_name="别街道", password=PASSWORD))
    community = tree.add_node(db, res.admin, "community", "新建社区", res.street.id)
    grid = tree.add_node(db, res.admin, "grid", "新一网格", community.id)
    building = tree.add_node(db, res.admin, "building", "新1栋", grid.id)
    return SimpleNamespace(admin=res.admin, street=res.street, community=community, grid=grid,
                           building=building)


def test_another_street_cannot_take_over_a_community_admin(client, db, world, make_user):
    evil = _second_street(db, make_user)
    victim = world.admin
    api = Api(client, evil.admin)
    r = api.post("/staff", {"phone": victim.phone, "role": "community_admin",
                            "org_id": evil.community.id})
    assert r.status_code == 201 and r.json["grant_id"] is None and r.json["invitation_id"]
    db.expire_all()
    assert victim.role_names() == {"community_admin"}  # nothing about her account changed
    assert api.post(f"/users/{victim.id}/password-reset").status_code == 403
    assert api.post(f"/users/{victim.id}/move",
                    {"building_id": evil.building.id}).status_code == 403
    assert api.post(f"/users/{victim.id}/deactivate").status_code == 403
    # Her own street's admin sees what was asked of her, from where.
    mine = Api(client, world.street_admin).get("/admin-log", kind="invite").json["items"]
    assert [(e["target_user_id"], e["kind"]) for e in mine] == [(victim.id, "invite")]
    # She declines on her next sign-in: still nothing changed, the inviter is told.
    web = client
    r = web.post("/login", data={"phone": victim.phone, "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"].endswith("/invitations")
    page = web.get("/invitations").get_data(as_text=True)
    assert "新建社区" in page and "接受" in page
    r = web.post(f"/invitations/{r_inv(db, victim)}/decline")
    assert r.status_code == 303
    db.expire_all()
    assert victim.role_names() == {"community_admin"}
    assert db.scalar(select(Invitation.status)) == "declined"


def r_inv(db, user) -> int:
    return db.scalar(select(Invitation.id).where(Invitation.user_id == user.id))


def test_a_neighbouring_community_admin_only_invites_and_acceptance_grants(client, db, world):
    outsider = world.admin_b  # 城东
    result = staff.appoint(db, outsider, StaffAppoint(phone=world.grid_worker.phone,
                                                      role="grid_worker", org_id=world.gb1.id))
    assert result.grant is None and result.temporary_password is None
    assert Api(client, outsider).post(
        f"/users/{world.grid_worker.id}/password-reset").status_code == 403
    db.expire_all()
    assert {g.org_id for g in world.grid_worker.roles if g.active} == {world.ga1.id}
    invites.accept(db, world.grid_worker, result.invitation.id)
    db.expire_all()
    assert {g.org_id for g in world.grid_worker.roles if g.active} == {world.ga1.id, world.gb1.id}
    # Both communities' logs hold the invitation and the acceptance.
    for community in (world.ca, world.cb):
        kinds = set(db.scalars(select(AdminLog.kind).where(
            AdminLog.community_id == community.id, AdminLog.target_user_id == world.grid_worker.id)))
        assert {"invite", "invite_accept"} <= kinds, community.name


def test_rank_inside_one_community(client, db, world):
    gw, admin = Api(client, world.grid_worker), Api(client, world.admin)
    assert gw.post(f"/users/{world.unit_admin.id}/password-reset").status_code == 403
    assert gw.post(f"/users/{world.member.id}/password-reset").status_code == 403
    assert admin.post(f"/users/{world.unit_admin.id}/password-reset").status_code == 403
    assert admin.post(f"/users/{world.unit_admin.id}/deactivate").status_code == 403
    # What they do cover still works: the grid worker's resident, the admin's member.
    assert gw.post(f"/users/{world.resident.id}/password-reset").status_code == 200
    assert admin.post(f"/users/{world.member2.id}/password-reset").status_code == 200
    login(client, world.admin)
    assert client.get(f"/staff/people/{world.unit_admin.id}").status_code == 403


def test_imports_invite_accounts_the_importer_does_not_cover(db, world, make_user):
    from tests.unit.admin.test_imports import csv_bytes, run
    evil = _second_street(db, make_user)
    rows = [["姓名", "手机号", "网格", "楼栋"], [world.street_admin.name, world.street_admin.phone,
                                           "新一网格", "新1栋"]]
    job = run(db, evil.admin, "residents", csv_bytes(rows), scope=evil.community)
    assert job.counts.get("invite") == 1
    db.expire_all()
    assert world.street_admin.building_id is None  # not re-homed into the importer's building
    members = [["姓名", "手机号", "单位", "特长"], [world.admin.name, world.admin.phone, "", "维修"]]
    job = run(db, evil.admin, "members", csv_bytes(members), scope=evil.community,
              verified=True)
    assert job.counts.get("invite") == 1
    db.expire_all()
    assert "member" not in world.admin.role_names() and not world.admin.skills


def test_one_time_passwords_expire_and_die_at_first_use(app, client, db, world):
    temp = Api(client, world.grid_worker).post(
        f"/users/{world.resident.id}/password-reset").json["temporary_password"]
    first = app.test_client()
    assert first.post("/login", data={"phone": world.resident.phone,
                                      "password": temp}).status_code == 302
    again = app.test_client().post("/login", data={"phone": world.resident.phone,
                                                    "password": temp})
    assert again.status_code == 403 and "已经用过或已过期" in again.get_data(as_text=True)
    assert Api(client).post("/tokens", {"phone": world.resident.phone,
                                        "password": temp}).status_code == 403
    # The first session still sets its own password with it, once.
    r = first.post("/me/password", data={"current_password": temp, "new_password": "mine-1234",
                                         "new_password2": "mine-1234"})
    assert r.status_code == 302
    # A reset never used expires after the configured hours.
    temp = Api(client, world.admin).post(
        f"/users/{world.member2.id}/password-reset").json["temporary_password"]
    person = db.get(User, world.member2.id)
    person.password_expires_at = utcnow() - timedelta(minutes=1)
    db.commit()
    late = app.test_client().post("/login", data={"phone": person.phone, "password": temp})
    assert late.status_code == 403


def test_a_house_move_ends_the_pairing_of_the_old_community(client, db, world):
    [p] = pairings.pair(db, world.admin, world.member.id, [world.resident2.id])
    r = Api(client, world.street_admin).post(f"/users/{world.resident2.id}/move",
                                             {"building_id": world.bb1.id})
    assert r.status_code == 200
    db.expire_all()
    assert db.get(Pairing, p.id).status == "ended"
    assert db.scalars(select(PairingEvent.action).where(PairingEvent.pairing_id == p.id)
                      .order_by(PairingEvent.id)).all() == ["pair", "end"]
    # The member of the old community no longer sees the household's contact.
    login(client, world.member)
    assert world.resident2.phone not in client.get("/pairing/").get_data(as_text=True)


def test_deactivation_ends_the_members_pairings(client, db, world):
    [p] = pairings.pair(db, world.admin, world.member2.id, [world.resident2.id])
    assert Api(client, world.admin).post(f"/users/{world.member2.id}/deactivate").status_code == 200
    db.expire_all()
    assert db.get(Pairing, p.id).status == "ended"


def test_the_cover_table_in_the_docs_is_the_codes(db, world, make_user):
    from pathlib import Path
    from tests.web.cover_table import derive
    table = derive(db, world, make_user)
    doc = (Path(__file__).resolve().parents[3] / "docs" / "SECURITY.md").read_text("utf-8")
    start, end = "<!-- cover-table: derived by tests/web/people/test_authority.py -->", "<!-- /cover-table -->"
    assert start in doc and end in doc, "docs/SECURITY.md lacks the cover table markers"
    documented = doc.split(start)[1].split(end)[0].strip()
    assert documented == table, "docs/SECURITY.md's cover table differs from the code:\n" + table


def test_the_web_page_and_the_api_agree_on_who_served_a_wish(client, db, world, make_wish):
    """A volunteer whose service was confirmed still opens the wish, on the page as in the API
    (the page used to count only live claims)."""
    wish = make_wish("confirmed")
    login(client, world.member)
    assert client.get(f"/wishes/{wish.id}").status_code == 200
    assert Api(client, world.member).get(f"/wishes/{wish.id}").status_code == 200
    login(client, world.member_b)  # a volunteer of another community: neither
    assert client.get(f"/wishes/{wish.id}").status_code == 403
    assert Api(client, world.member_b).get(f"/wishes/{wish.id}").status_code == 404
