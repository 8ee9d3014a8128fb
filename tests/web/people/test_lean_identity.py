"""The signed-in identity of a read-only request: one Core statement, plain values, still live
(services/people/identity.py); writes keep the ORM user."""
from sqlalchemy import delete, event

from tests.conftest import login
from webapp.extensions import db as _db
from webapp.models import RoleGrant, User
from webapp.services import policy
from webapp.services.people import accounts, identity


def _load(app, user_id, method="GET"):
    """What Flask-Login's user loader answers for the cookie of `user_id` (generation 0, as
    the factories make them), and the statements it ran."""
    statements = []

    def count(_conn, _cursor, statement, *_a):
        statements.append(statement)
    engine = _db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        with app.test_request_context("/me", method=method):
            loaded = app.login_manager._user_callback(f"{user_id}.0")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return loaded, [s for s in statements if s.strip().upper() not in ("BEGIN", "ROLLBACK")]


def test_a_get_loads_user_grants_and_generation_in_one_statement_without_orm_rows(app, db, world):
    member_id = world.member.id
    db.expunge_all()  # nothing in the identity map to lean on
    user, statements = _load(app, member_id)
    assert isinstance(user, identity.LeanUser) and not isinstance(user, User)
    assert len(statements) == 1
    assert "role_grants" in statements[0] and "session_gen" in statements[0]
    assert not any(isinstance(o, (User, RoleGrant)) for o in db.identity_map.values())


def test_a_write_gets_the_orm_user(app, db, world):
    user, _statements = _load(app, world.member.id, method="POST")
    assert isinstance(user, User)


def test_the_lean_identity_answers_the_policy_like_the_model(app, db, world):
    people = [world.resident, world.member, world.unit_admin, world.grid_worker, world.admin,
              world.street_admin, world.member_b]
    for person in people:
        lean, _st = _load(app, person.id)
        orm = db.get(User, person.id)
        assert lean.id == orm.id and lean.name == orm.name and lean.get_id() == orm.get_id()
        assert lean.role_names() == orm.role_names()
        for role in ("resident", "member", "unit_admin", "grid_worker", "community_admin"):
            assert policy.community_ids_for(lean, role) == policy.community_ids_for(orm, role)
            assert policy.org_ids_for(lean, role) == policy.org_ids_for(orm, role)
        assert policy.unit_ids_admined(lean) == policy.unit_ids_admined(orm)
        assert policy.home_community_id(lean) == policy.home_community_id(orm)
        assert policy.primary_role(lean) == policy.primary_role(orm)
        assert (lean.building and lean.building.grid_id) == (orm.building and orm.building.grid_id)


def test_a_removed_grant_or_deactivation_counts_on_the_very_next_get(app, client, db, world):
    login(client, world.admin)
    assert client.get("/admin/review").status_code == 200
    # Straight in the database, no session bump: the next request reads the grants again.
    db.execute(delete(RoleGrant).where(RoleGrant.user_id == world.admin.id))
    db.commit()
    assert client.get("/admin/review").status_code == 403
    login(client, world.member)
    assert client.get("/me").status_code == 200
    db.get(User, world.member.id).active = False
    db.commit()
    assert client.get("/me").status_code == 302


def test_what_the_lean_row_lacks_comes_from_the_model_and_writes_reach_it(app, db, world):
    lean, _st = _load(app, world.member.id)
    assert lean.unit.name == world.unit.name  # not in the statement: loaded from the ORM
    lean.locale = "en"  # a write through the identity lands on the ORM row
    db.commit()
    db.expire_all()
    assert db.get(User, world.member.id).locale == "en"
    assert lean.locale == "en"


def test_a_token_read_is_lean_and_a_token_write_is_not(app, db, world):
    raw = accounts.issue_token(db, world.member)
    lean = accounts.user_for_token(db, raw, lean=True)
    assert isinstance(lean, identity.LeanUser) and lean.id == world.member.id
    assert isinstance(accounts.user_for_token(db, raw), User)
    db.get(User, world.member.id).active = False
    db.commit()
    assert accounts.user_for_token(db, raw, lean=True) is None
