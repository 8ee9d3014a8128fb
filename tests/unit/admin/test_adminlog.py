"""The admin log: lines land in the act's transaction and each reader sees only their scope."""
import pytest

from webapp.services.admin import adminlog
from webapp.services.errors import Forbidden


def test_record_and_read_by_scope(db, world):
    adminlog.record(db, world.admin, "appoint", world.ga1, target=world.grid_worker,
                    summary="任命网格员")
    adminlog.record(db, world.admin_b, "password_reset", world.cb, target=world.resident_b)
    db.commit()
    mine = adminlog.entries(db, world.admin, community_id=world.ca.id)
    assert [(e.kind, e.target_user_id) for e in mine] == [("appoint", world.grid_worker.id)]
    street = adminlog.entries(db, world.street_admin, street_id=world.street.id)
    assert {e.kind for e in street} == {"appoint", "password_reset"}
    assert [e.kind for e in adminlog.entries(db, world.street_admin, street_id=world.street.id,
                                             person_id=world.resident_b.id)] == ["password_reset"]
    assert adminlog.entries(db, world.street_admin, street_id=world.street.id,
                            kind="import") == []


@pytest.mark.parametrize("who,scope", [("admin", "cb"), ("admin_b", "ca"), ("grid_worker", "ca"),
                                       ("member", "ca"), ("admin", "street")])
def test_other_scopes_are_refused(db, world, who, scope):
    kw = ({"street_id": world.street.id} if scope == "street"
          else {"community_id": getattr(world, scope).id})
    with pytest.raises(Forbidden):
        adminlog.entries(db, getattr(world, who), **kw)
