"""Each building's kept household counts (services/pairing/tally.py) follow every kind of write.

(The `db` fixture also checks, after every test of the suite, that no building's counts drifted.)
"""
from sqlalchemy import insert, literal, select, update

from tests.planutil import statements_sent
from webapp.models import Org, RoleGrant, User
from webapp.services.pairing import pairings, tally


def _counts(db, *buildings) -> list[tuple[int, int]]:
    db.expire_all()
    return [tuple(db.execute(select(Org.households, Org.unpaired).where(Org.id == b.id)).one())
            for b in buildings]


def test_world_counts_then_objects_flushed_move_and_leave(db, world, make_user):
    # ba1: 王小明 and 李志愿 (a member living here is a household too); ba2: 赵阿姨; bb1: 卫奶奶
    assert _counts(db, world.ba1, world.ba2, world.bb1) == [(2, 2), (1, 1), (1, 1)]
    make_user("新住户", None, world.ba2, [("resident", world.ba2, None)])
    assert _counts(db, world.ba2) == [(2, 2)]
    # expired by the commit before, so the unit of work never loaded the building it leaves
    db.commit()
    person = db.get(User, world.resident.id)
    db.expire(person)
    person.building_id, person.community_id = world.bb1.id, world.cb.id
    db.commit()
    assert _counts(db, world.ba1, world.bb1) == [(1, 1), (2, 2)]
    person = db.get(User, world.resident2.id)
    db.expire(person)
    person.active = False
    db.commit()
    assert _counts(db, world.ba2) == [(1, 1)]
    assert tally.drift(db) == []


def test_statements_through_the_session_insert_update_and_delete(db, world):
    # an import's way: Core INSERT … RETURNING of users, then their grants
    made = db.execute(insert(User.__table__).returning(User.__table__.c.id), [
        {"phone": f"1370000000{i}", "name": f"导入{i}", "building_id": world.ba2.id,
         "community_id": world.ca.id} for i in range(3)]).scalars().all()
    db.execute(insert(RoleGrant.__table__), [{"user_id": uid, "role": "resident",
                                              "org_id": world.ba2.id, "active": True}
                                             for uid in made])
    db.commit()
    assert _counts(db, world.ba2) == [(4, 4)]
    # an ORM UPDATE of grants (an erasure's way) and of users moving in bulk
    db.execute(update(RoleGrant).where(RoleGrant.user_id == made[0]).values(active=False)
               .execution_options(synchronize_session=False))
    db.execute(update(User).where(User.id.in_(made[1:])).values(building_id=world.ba1.id)
               .execution_options(synchronize_session=False))
    db.commit()
    assert _counts(db, world.ba1, world.ba2) == [(4, 4), (1, 1)]
    assert tally.drift(db) == []


def test_pairing_and_ending_it_move_the_unpaired_count_and_a_rollback_keeps_nothing(db, world):
    rows = pairings.pair(db, world.admin, world.member2.id, [world.resident.id, world.resident2.id])
    assert _counts(db, world.ba1, world.ba2) == [(2, 1), (1, 0)]
    pairings.end(db, world.admin, rows[0].id, "搬走了")
    assert _counts(db, world.ba1) == [(2, 2)]
    # a transaction rolled back leaves the counts as they were, and forgets what it noted
    db.add(RoleGrant(user_id=world.member3.id, role="resident", org_id=world.ba2.id))
    db.flush()
    db.rollback()
    db.commit()
    assert _counts(db, world.ba2) == [(1, 0)]
    assert tally.drift(db) == []


def test_recount_all_mends_a_database_made_before_the_counts(db, world):
    db.execute(update(Org).values(households=0, unpaired=0)
               .execution_options(synchronize_session=False))
    db.commit()
    assert len(tally.drift(db)) == 3
    tally.recount_all(db)
    db.commit()
    assert tally.drift(db) == [] and _counts(db, world.ba1) == [(2, 2)]


def test_an_insert_from_a_select_recounts_every_building(db, world):
    # its rows are not in the statement, so the session cannot tell whose grant it adds
    db.execute(insert(RoleGrant).from_select(
        ["user_id", "role", "org_id", "active"],
        select(User.id, literal("resident"), User.building_id, literal(True))
        .where(User.id == world.member3.id)))
    db.commit()
    assert _counts(db, world.ba2) == [(2, 2)] and tally.drift(db) == []


def _waiting(db, *buildings) -> list[tuple[int, int]]:
    db.expire_all()
    return [tuple(db.execute(select(Org.people, Org.not_activated).where(Org.id == b.id)).one())
            for b in buildings]


def test_people_and_those_never_signed_in_follow_sign_in_leaving_and_statements(
        db, world, make_user):
    """The activation box and 待办概览 read these (activation.grids_for, backlog.rows)."""
    from tests.conftest import PASSWORD
    from webapp.services.admin import backlog
    from webapp.services.people import accounts, activation
    before = _waiting(db, world.ba2)[0]
    new = make_user("新导入", "13700001111", world.ba2)  # imported: never signed in
    assert _waiting(db, world.ba2) == [(before[0] + 1, before[1] + 1)]
    db.refresh(world.admin)  # loaded: its own row is not what this looks for
    with statements_sent(db.get_bind()) as said:  # a district community's 5,000: not counted
        box = {g["id"]: g["pending"] for g in activation.grids_for(db, world.admin)}
        backlog.rows(db, world.admin)
    assert said and not [s for s in said if "FROM users" in s], said
    assert box == {g: len(activation.pending(db, g)) for g in box}
    assert box[world.ba2.grid_id] >= 1
    assert accounts.authenticate(db, "13700001111", PASSWORD) is not None  # the first sign-in
    assert _waiting(db, world.ba2) == [(before[0] + 1, before[1])]
    row = {r["community_id"]: r for r in backlog.rows(db, world.admin)}[world.ca.id]
    assert (row["people"], row["activated"]) == (
        sum(p for p, _w in _waiting(db, world.ba1, world.ba2)),
        sum(p - w for p, w in _waiting(db, world.ba1, world.ba2)))
    db.get(User, new.id).active = False  # left: no longer counted at all
    db.commit()
    assert _waiting(db, world.ba2) == [before]
    db.execute(update(User).where(User.id == new.id).values(active=True, activated_at=None))
    db.commit()  # a statement through the session: counted as never signed in again
    assert _waiting(db, world.ba2) == [(before[0] + 1, before[1] + 1)]
    assert tally.drift(db) == []
