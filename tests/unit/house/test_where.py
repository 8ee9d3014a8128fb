"""An IN of nothing inside an OR (a community admin has no street, a street admin no grid) left
SQLite no index to read: finding the viewer's one community scanned every org of a district.
The places a viewer looks after are read with only the lists that hold something."""
import pytest
from sqlalchemy import select

from tests.planutil import statements_sent
from webapp.models import Org
from webapp.services.admin import people_list, staff
from webapp.services.people import activation
from webapp.services.where import in_any


def test_in_any_leaves_out_the_empty_lists(db, world):
    both = in_any((Org.id, {world.ca.id}), (Org.street_id, set()))
    assert "street_id" not in str(both.compile(db.get_bind()))
    assert db.scalars(select(Org.id).where(both)).all() == [world.ca.id]
    assert db.scalars(select(Org.id).where(in_any((Org.id, []), (Org.street_id, ())))).all() == []


@pytest.mark.parametrize("who", ["admin", "street_admin", "grid_worker"])
def test_a_viewers_places_are_read_without_an_in_of_nothing(db, world, who):
    me = getattr(world, who)
    with statements_sent(db.get_bind()) as said:
        communities = {c.id for c in staff.communities_for(db, me)}
        people_list.places(db, me, communities)
        activation.grids_for(db, me)
    orgs = [x for x in said if "FROM orgs" in x]
    assert orgs and not [x for x in orgs if "1!=1" in x or "1 != 1" in x], orgs
