"""idlists.id_in: a list of ids sent as one parameter on both engines, so however many ids
a read is given, it is one statement text (SQLite prepares it once, PostgreSQL plans it once)."""
from sqlalchemy import select

from tests.planutil import statements_sent
from webapp.models import User
from webapp.services import idlists


def _read(db, ids):
    return set(db.scalars(select(User.id).where(idlists.id_in(db, User.id, ids))))


def test_ids_are_one_parameter_however_many(db, world):
    ids = sorted({world.resident.id, world.resident2.id, world.member.id})
    assert _read(db, ids) == set(ids)
    assert _read(db, set()) == set()
    assert _read(db, {ids[0], 10**9}) == {ids[0]}  # an id no row has finds nothing
    with statements_sent(db.get_bind()) as said:
        for n in (1, 2, 3):
            assert _read(db, ids[:n]) == set(ids[:n])
    assert len(said) == 3 and len(set(said)) == 1, said
