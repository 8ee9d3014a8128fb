"""The `world` fixture is copied in from one build (tests/snapshot.py): the copy must be what a
build gives, and a test whose fixtures wrote first must still get a whole world."""
import pytest
from sqlalchemy import func, select

from webapp.models import Org, User
from webapp.services.people import orgs as org_svc


@pytest.fixture
def early_street(db):
    """Rows written before `world`: its copied rows would clash with them (ids 1, …)."""
    return org_svc.add_org(db, "street", "先来的街道").id


def test_a_world_after_rows_of_its_own_is_built_whole(early_street, world, db):
    assert db.get(Org, early_street).name == "先来的街道"
    assert world.street.name == "测试街道" and world.street.id != early_street
    assert world.member.unit_id == world.unit.id and world.cat.community_id == world.ca.id
    assert db.scalar(select(func.count(User.id))) == 13


def test_the_copy_is_a_build(world, db, make_user):
    assert world.resident.phone == "13800000101" and world.admin_b.phone == "13800000111"
    assert {c.name for c in world.categories.values()} == set(world.categories)
    assert make_user().phone == "13900000013"  # numbered after the world's 13, as after a build
