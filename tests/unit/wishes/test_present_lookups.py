"""A list's cards read what they show beyond the wishes in one statement: the grids' and
buildings' names, the residents' names (and whether each has a phone), the viewer's claims."""
from tests.planutil import statements_sent
from webapp.services.wishes import present


def test_a_list_of_cards_is_one_statement_with_every_part(db, world, make_wish):
    mine = make_wish("claimed", volunteers=[world.member])
    other = make_wish("published", title="陪同去医院复查", resident=world.resident2)
    world.resident2.phone = None  # a resident served through the grid worker
    db.commit()
    db.expire_all()
    wishes = [db.merge(mine), db.merge(other)]
    present.cards(db, wishes, world.member)  # the wishes and the viewer loaded, as a list has them
    with statements_sent(db.get_bind()) as said:
        cards = present.cards(db, wishes, world.member)
    assert len(said) == 1, said
    by_id = {c["id"]: c for c in cards}
    assert by_id[mine.id]["my_claim_status"] == "active" and by_id[mine.id]["my_claim_id"]
    assert by_id[other.id]["my_claim_status"] is None and "claim" in by_id[other.id]["actions"]
    assert by_id[mine.id]["grid"] == world.ga1.name and by_id[other.id]["building"] == world.ba2.name
    assert by_id[other.id]["resident"] == world.resident2.name[:1] + "**"
    (own,) = present.cards(db, [wishes[1]], world.resident2)
    assert own["resident"] == world.resident2.name
    phones = {facts.id: facts.resident.phone for _c, facts, _n in present.shared_parts(db, wishes)}
    assert phones == {mine.id: True, other.id: None}
