"""A community admin undoes a 报到 approval made by mistake, within the window (issue 12 §3)."""
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import login
from webapp.models import AdminLog, Notification, Registration, RoleGrant, User, utcnow
from webapp.schemas.inputs import Register
from webapp.services.people import accounts, registrations


def _member_reg(db, world, phone="13900000901"):
    user, reg = accounts.register(db, Register(
        phone=phone, name="新党员", password="wishgrid-test-1", role="member",
        building_id=world.ba1.id, unit_id=world.unit.id, skills="", consent=True))
    return user, reg


def _member_grant(db, user_id, community_id):
    return db.scalar(select(RoleGrant).where(RoleGrant.user_id == user_id,
                                             RoleGrant.role == "member",
                                             RoleGrant.org_id == community_id))


def test_undo_within_the_window_ends_the_role_and_sessions_and_is_logged(client, db, world):
    user, reg = _member_reg(db, world)
    registrations.approve(db, world.admin, reg.id)
    assert _member_grant(db, user.id, world.ca.id).active
    gen = db.get(User, user.id).get_id()
    login(client, world.admin)
    page = client.get("/admin/registrations").get_data(as_text=True)
    assert f"/admin/registrations/{reg.id}/undo" in page  # offered under 最近通过
    r = client.post(f"/admin/registrations/{reg.id}/undo", data={"reason": ""})
    assert r.status_code == 422 and "请写明撤销的原因" in r.get_data(as_text=True)
    r = client.post(f"/admin/registrations/{reg.id}/undo", data={"reason": "单位填错了"})
    assert r.status_code == 302
    db.expire_all()
    assert db.get(Registration, reg.id).status == "pending"
    assert not _member_grant(db, user.id, world.ca.id).active
    assert db.get(User, user.id).get_id() != gen  # every session of the member ended
    log = db.scalar(select(AdminLog).where(AdminLog.kind == "undo_registration"))
    assert log.target_user_id == user.id and log.actor_id == world.admin.id
    assert log.details["reason"] == "单位填错了"
    assert db.scalar(select(Notification).where(Notification.user_id == user.id,
                                                Notification.event == "registration_undone"))
    # Pending again: it can be approved again (the same grant comes back).
    registrations.approve(db, world.admin, reg.id)
    db.expire_all()
    assert _member_grant(db, user.id, world.ca.id).active


def test_undo_after_the_window_is_refused_and_changes_nothing(client, db, world):
    user, reg = _member_reg(db, world)
    registrations.approve(db, world.admin, reg.id)
    reg = db.get(Registration, reg.id)
    reg.decided_at = utcnow() - timedelta(hours=25)  # default window: 24 h
    db.commit()
    login(client, world.admin)
    assert f"/admin/registrations/{reg.id}/undo" not in client.get(
        "/admin/registrations").get_data(as_text=True)
    r = client.post(f"/admin/registrations/{reg.id}/undo", data={"reason": "填错了"})
    assert r.status_code == 409
    db.expire_all()
    assert db.get(Registration, reg.id).status == "approved"
    assert _member_grant(db, user.id, world.ca.id).active
    assert db.scalar(select(AdminLog).where(AdminLog.kind == "undo_registration")) is None


def test_undo_refused_while_the_member_has_a_live_claim(client, db, world, make_wish):
    user, reg = _member_reg(db, world)
    registrations.approve(db, world.admin, reg.id)
    make_wish("claimed", volunteers=[db.get(User, user.id)])
    login(client, world.admin)
    r = client.post(f"/admin/registrations/{reg.id}/undo", data={"reason": "填错了"})
    assert r.status_code == 409
    db.expire_all()
    assert _member_grant(db, user.id, world.ca.id).active


def test_pending_registration_cannot_be_undone_and_other_admins_are_refused(client, db, world):
    _user, reg = _member_reg(db, world)
    login(client, world.admin)
    assert client.post(f"/admin/registrations/{reg.id}/undo",
                       data={"reason": "x"}).status_code == 409
    registrations.approve(db, world.admin, reg.id)
    login(client, world.admin_b)
    assert client.post(f"/admin/registrations/{reg.id}/undo",
                       data={"reason": "x"}).status_code in (403, 404)
    db.expire_all()
    assert db.get(Registration, reg.id).status == "approved"


def test_undoing_a_members_report_ends_their_pairings(db, world):
    """The member role removed: the households they were paired with are no longer theirs."""
    from webapp.models import Pairing
    from webapp.services.pairing import pairings
    user, reg = _member_reg(db, world, phone="13900000902")
    registrations.approve(db, world.admin, reg.id)
    [p] = pairings.pair(db, world.admin, user.id, [world.resident2.id])
    registrations.undo_approval(db, world.admin, reg.id, "报到单位填错")
    db.expire_all()
    assert db.get(Pairing, p.id).status == "ended"
