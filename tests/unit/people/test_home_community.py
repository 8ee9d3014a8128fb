"""users.community_id (the community of the person's building, indexed with the name for
居民与账号 and the activation counts) is kept on every way a person gets or changes a home."""
from sqlalchemy import select

from tests.unit.admin.test_imports import RESIDENTS, csv_bytes, run
from webapp.models import Org, User, utcnow
from webapp.services.admin import accounts_admin
from webapp.services.people import residents


def _strays(db) -> list:
    """People whose users.community_id is not their building's community."""
    db.expire_all()
    rows = db.execute(select(User.id, User.name, User.community_id, Org.community_id)
                      .outerjoin(Org, Org.id == User.building_id)).all()
    return [r for r in rows if r[2] != r[3]]


def test_every_builder_keeps_it(db, world, demo):
    """The world (make_user), the demo (registrations, 代为登记, imports through the services)."""
    assert db.scalar(select(User.id).where(User.community_id == world.ca.id)) is not None
    assert _strays(db) == []


def test_added_by_staff_moved_imported_and_homeless(db, world):
    added = residents.add_resident_by_staff(db, world.grid_worker, "钱奶奶", world.ba1.id, "5-101")
    assert added.community_id == world.ca.id
    accounts_admin.rehome(db, added, world.bb1, "东1-3", utcnow(), actor=world.street_admin)
    db.commit()
    assert db.get(User, added.id).community_id == world.cb.id
    run(db, world.admin, "residents", csv_bytes(RESIDENTS))  # a Core insert of the new rows
    imported = db.scalar(select(User).where(User.name == "张三"))
    assert imported.community_id == world.ca.id
    homeless = db.get(User, world.street_admin.id)
    assert homeless.building_id is None and homeless.community_id is None
    assert _strays(db) == []
