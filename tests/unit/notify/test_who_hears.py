"""Who hears what (issue 23 §7): each decision reaches the person it concerns, in the same
transaction as the change, and nobody else."""
from sqlalchemy import select

from webapp.models import Notification, Unit
from webapp.schemas.inputs import Register
from webapp.services.people import accounts, registrations


def _heard(db, user, event) -> list[Notification]:
    db.expire_all()
    return list(db.scalars(select(Notification).where(Notification.user_id == user.id,
                                                      Notification.event == event)))


def _apply(db, world, phone, unit=None):
    _user, reg = accounts.register(db, Register(
        phone=phone, name="新党员", password="long-enough-1", role="member",
        building_id=world.ba1.id, unit_id=unit.id if unit else None, consent=True))
    return reg


def test_applicant_hears_the_approval(db, world):
    reg = _apply(db, world, "13700000201")
    other = _apply(db, world, "13700000202")
    registrations.approve(db, world.admin, reg.id)
    assert len(_heard(db, reg.user, "registration_approved")) == 1
    assert _heard(db, other.user, "registration_approved") == []


def test_applicant_hears_the_rejection_with_its_reason(db, world):
    reg = _apply(db, world, "13700000203")
    registrations.reject(db, world.admin, reg.id, "请补充工作单位")
    assert len(_heard(db, reg.user, "registration_rejected")) == 1
    assert _heard(db, reg.user, "registration_approved") == []


def _unit_with_admin(db, world, make_user, unit_name, admin_name):
    """Another approved unit of community A, with its own admin."""
    unit = Unit(name=unit_name, community_id=world.ca.id, status="approved")
    db.add(unit)
    db.commit()
    return unit, make_user(admin_name, building=world.ba1, roles=[("unit_admin", world.ca, unit)],
                           unit=unit)


def test_unit_admin_hears_a_member_named_the_unit(db, world, make_user):
    other_unit, other_admin = _unit_with_admin(db, world, make_user, "东区学校二", "另一书记")
    _apply(db, world, "13700000204", unit=world.unit)
    assert len(_heard(db, world.unit_admin, "unit_member_named")) == 1
    assert _heard(db, other_admin, "unit_member_named") == []
    _apply(db, world, "13700000205")  # no unit named: nobody asked
    assert len(_heard(db, world.unit_admin, "unit_member_named")) == 1


def test_new_units_admin_hears_a_re_report_once_approved(db, world, make_user):
    new_unit, new_admin = _unit_with_admin(db, world, make_user, "区图书馆", "图书馆书记")
    reg = registrations.re_report(db, world.member3, new_unit.id)
    assert _heard(db, new_admin, "unit_member_named") == []  # not before the community approves
    registrations.approve(db, world.admin, reg.id)
    assert len(_heard(db, new_admin, "unit_member_named")) == 1
    assert _heard(db, world.unit_admin, "unit_member_named") == []


def test_grid_worker_hears_their_on_behalf_wish_waits_for_confirmation(db, world, make_wish):
    make_wish("done", resident=world.grid_worker, on_behalf_of=world.resident.id)
    assert len(_heard(db, world.grid_worker, "wish_done_on_behalf")) == 1
    assert len(_heard(db, world.resident, "wish_done")) == 1


def test_grid_worker_not_told_of_a_wish_the_resident_posted(db, world, make_wish):
    make_wish("done")
    assert _heard(db, world.grid_worker, "wish_done_on_behalf") == []
