"""结对安排 at district size (issue 27): the manual pairing reads the buildings with their counts
and one chosen building's households only; 现有结对 is counted and paged in the database."""
import pytest

from webapp.services.errors import Forbidden
from webapp.services.pairing import batches, pairings


@pytest.fixture
def homes(world, make_user):
    """Four more households of 城西社区: two in 1号楼, two in 7号楼."""
    return [make_user(n, None, b, [("resident", b, None)])
            for n, b in (("甲大爷", world.ba1), ("乙奶奶", world.ba2), ("丙阿姨", world.ba2),
                         ("丁大伯", world.ba1))]


def _unpaired_by_building(db, community_id) -> dict:
    """What the counts must be, worked out the slow way (every household, in Python)."""
    paired = {p.household_id for p in pairings.active_pairings(db, community_id)}
    out: dict[int, list[int]] = {}
    for h in pairings.households(db, community_id):
        if h.id not in paired:
            out.setdefault(h.building_id, []).append(h.id)
    return out


def test_buildings_are_counted_and_only_the_chosen_one_is_listed(db, world, homes):
    pairings.pair(db, world.admin, world.member3.id, [homes[0].id])
    want = _unpaired_by_building(db, world.ca.id)
    got = batches.manual_choices(db, world.admin, world.ca.id)
    assert {b["id"]: b["unpaired"] for b in got["buildings"]} == {
        b: len(ids) for b, ids in want.items()}
    assert [b["building"] for b in got["buildings"]] == ["1号楼", "7号楼"]  # by grid, building
    assert got["building"] is None and got["households"] == [] and not got["refused"]
    one = batches.manual_choices(db, world.admin, world.ca.id, building=world.ba2.id)
    assert one["building"] == {"id": world.ba2.id, "name": "7号楼"}
    assert [h["id"] for h in one["households"]] == want[world.ba2.id]
    assert homes[3].id not in {h["id"] for h in one["households"]}  # 1号楼's
    # members with their load, counted in the database
    load = {m["id"]: (m["paired"], m["room"]) for m in one["members"]}
    assert load[world.member3.id] == (1, 9) and load[world.member2.id] == (0, 10)


def test_a_refused_forms_building_is_that_of_its_households(db, world, homes):
    got = batches.manual_choices(db, world.admin, world.ca.id, household_ids=[homes[3].id])
    assert got["building"]["id"] == world.ba1.id and not got["refused"]
    assert homes[3].id in {h["id"] for h in got["households"]}
    # the building sent with the form wins; another community's household opens nothing
    got = batches.manual_choices(db, world.admin, world.ca.id, building=world.ba2.id,
                                 household_ids=[homes[3].id])
    assert got["building"]["id"] == world.ba2.id
    got = batches.manual_choices(db, world.admin, world.ca.id,
                                 household_ids=[world.resident_b.id])
    assert got["building"] is None and got["households"] == [] and not got["refused"]


@pytest.mark.parametrize("which", ["foreign", "grid", "unknown"])
def test_a_building_not_of_the_community_shows_nothing(db, world, homes, which):
    building = {"foreign": world.bb1.id, "grid": world.ga1.id, "unknown": 10 ** 8}[which]
    got = batches.manual_choices(db, world.admin, world.ca.id, building=building)
    assert got["building"] is None and got["households"] == [] and got["refused"]
    with pytest.raises(Forbidden):  # and another community's admin cannot ask at all
        batches.manual_choices(db, world.admin_b, world.ca.id, building=world.ba1.id)


def test_active_pairings_are_counted_and_paged(db, world, homes):
    rows = pairings.pair(db, world.admin, world.member3.id, [h.id for h in homes])
    rows += pairings.pair(db, world.admin, world.member2.id, [world.resident2.id])
    pairings.end(db, world.admin, rows[1].id, "搬走")
    live = [p.id for p in rows if p.id != rows[1].id]
    pages = [pairings.active_page(db, world.admin, world.ca.id, n, per_page=2) for n in (1, 2, 3)]
    assert [(p["total"], p["pages"], p["page"]) for p in pages] == [(4, 2, 1), (4, 2, 2),
                                                                    (4, 2, 2)]  # past the end
    assert [p.id for p in pages[0]["rows"]] + [p.id for p in pages[1]["rows"]] == live
    assert pages[0]["rows"][0].household.name == "甲大爷"
    empty = pairings.active_page(db, world.admin_b, world.cb.id)
    assert (empty["total"], empty["pages"], empty["page"], empty["rows"]) == (0, 1, 1, [])
    with pytest.raises(Forbidden):
        pairings.active_page(db, world.admin_b, world.ca.id)
