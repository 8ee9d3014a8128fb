"""结对安排 at district size (issue 27): the manual pairing reads the buildings with their counts
and one chosen building's households only; 现有结对 is counted and paged in the database."""
import pytest

from tests.planutil import plan_of
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
    # members (hundreds at district size) are listed once a building is chosen: before, only
    # whether there are any (the form shows then)
    assert got["members"] == [] and got["has_members"]
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
    assert [p["id"] for p in pages[0]["rows"]] + [p["id"] for p in pages[1]["rows"]] == live
    assert pages[0]["rows"][0] == {"id": live[0], "household": "甲大爷", "member": "陈党员"}
    empty = pairings.active_page(db, world.admin_b, world.cb.id)
    assert (empty["total"], empty["pages"], empty["page"], empty["rows"]) == (0, 1, 1, [])
    with pytest.raises(Forbidden):
        pairings.active_page(db, world.admin_b, world.ca.id)


def _households_in_order(db, org, paired: set, tagged: set) -> list:
    """The households the slow way: every one of the community, care-tagged first, then by
    grid, building and id, less those paired or whose latest pairing they declined."""
    from sqlalchemy import select

    from webapp.models import Org, Pairing, User
    latest = {p.household_id: p.status for p in db.scalars(
        select(Pairing).where(Pairing.community_id == org.id).order_by(Pairing.id))}
    rows = db.execute(select(User.id, User.name, User.building_id, Org.grid_id)
                      .join(Org, Org.id == User.building_id)
                      .where(*pairings.is_household(org.id))).all()
    return [r for r in sorted(rows, key=lambda r: (r.id not in tagged, r.grid_id or 0,
                                                   r.building_id, r.id))
            if r.id not in paired and latest.get(r.id) != "declined"]


def _suggest_by_ranking_everyone(db, org, limit):
    """The suggestions the slow way: every member ranked by (nearness, skills, load, id) for
    each household, its needs read on its own (how suggest worked out each pair before)."""
    from sqlalchemy import select

    from webapp.models import Category, CareTag, Org, Pairing, User, Wish
    from webapp.services.people.orgs import setting
    from webapp.services.pairing import suggestions as sg
    cap = int(setting(org, "pairing_max_households"))
    mems = pairings.members(db, org.id)
    load = {m.id: 0 for m in mems}
    paired = set()
    for mid, hid in db.execute(select(Pairing.member_id, Pairing.household_id).where(
            Pairing.community_id == org.id, Pairing.status == "active")):
        load[mid] = load.get(mid, 0) + 1
        paired.add(hid)
    tagged = set(db.scalars(select(CareTag.household_id).join(
        User, User.id == CareTag.household_id).where(User.community_id == org.id)))
    cats = dict(db.execute(select(Category.id, Category.name)).all())
    grid_of = dict(db.execute(select(Org.id, Org.grid_id)).all())
    out = []
    for h in _households_in_order(db, org, paired, tagged):
        if len(out) >= limit:
            break
        tags = pairings.tags_of(db, [h.id]).get(h.id, [])
        needs = {w for t in tags for w in sg.CARE_NEEDS.get(t, ())} | {
            cats[c] for c in db.scalars(select(Wish.category_id).where(Wish.resident_id == h.id))}
        best = None
        for m in mems:
            if m.id == h.id or load[m.id] >= cap:
                continue
            near = (2 if m.building_id == h.building_id else
                    1 if m.building_id and grid_of.get(m.building_id) == h.grid_id else 0)
            hits = sg._skill_hits(sg._skills(m.skills), needs) if needs else []
            key = (near, len(hits), -load[m.id], -m.id)
            if best is None or key > best[0]:
                best = (key, m, hits)
        if best is not None:
            load[best[1].id] += 1
            out.append((h.id, best[1].id, best[0][0], best[2]))
    return out


def test_suggestions_look_near_first_and_choose_as_ranking_every_member_would(
        db, world, make_user, make_wish, monkeypatch):
    """At district size a community has hundreds of members: suggest looks for the nearest with
    room among the household's building, then its grid, then everyone, reads a building's
    households a page at a time and batches each chunk's needs. The pairs must be those of
    ranking every member for every household."""
    from webapp.services.pairing import suggestions
    monkeypatch.setattr(suggestions, "PAGE", 2)  # the world's buildings take several pages
    from webapp.services.people import orgs as org_svc
    ba3 = org_svc.add_org(db, "building", "3号楼", world.ga1)  # a second building of grid one
    nobody = org_svc.add_org(db, "building", "9号楼", world.ga2)
    db.commit()
    for name, b, skills in (("钱党员", ba3, "维修,助老"), ("孙党员", world.ba1, "陪伴"),
                            ("周党员", None, "法律,辅导"), ("吴党员", world.ba2, "助残,康复")):
        u = make_user(name, None, b, [("member", world.ca, None)])
        u.skills = skills
    world.member3.skills = "陪伴"
    homes = [make_user(f"住户{i}", None, b, [("resident", b, None)])
             for i, b in enumerate([world.ba1, ba3, ba3, world.ba2, nobody, nobody, world.ba1,
                                    ba3, world.ba2, nobody, nobody, world.ba1])]
    db.commit()
    pairings.set_care(db, world.grid_worker2, homes[4].id, ["lonely_elder"], consent=True)
    pairings.set_care(db, world.grid_worker2, homes[8].id, ["disabled"], consent=True)
    make_wish(resident=homes[9])  # a wish's category is a need too
    (no,) = pairings.pair(db, world.admin, world.member2.id, [homes[7].id])
    pairings.end(db, world.admin, no.id, "不需要", declined=True)  # never suggested again
    world.ca.settings = {"pairing_max_households": 2}  # members fill: every tier is reached
    db.commit()
    slow = _suggest_by_ranking_everyone(db, world.ca, 100)
    whys = {s[2] for s in slow}
    assert whys == {0, 1, 2} and any(s[3] for s in slow), slow  # the world exercises it all
    for limit in (100, 5, 1):
        got = suggestions.suggest(db, world.admin, world.ca.id, limit=limit)
        assert [(s["household_id"], s["member_id"], s["skills"]) for s in got] == [
            (h, m, hits) for h, m, _near, hits in slow[:limit]]
        assert [s["why"] for s in got] == [
            ("community", "same_grid", "same_building")[near] for _h, _m, near, _s in slow[:limit]]


def test_a_communitys_members_are_read_from_the_grants_index_alone(db, world):
    """Suggestions and the manual picker list a community's members: hundreds among half a
    million grants at district size. Their grants are found and tested in the (org, role,
    active, user) index, not looked up one by one in the table."""
    plan = plan_of(db, pairings.members_query(world.ca.id))
    sqlite = db.get_bind().dialect.name == "sqlite"
    assert ("COVERING INDEX " if sqlite else "") + "ix_role_grants_org_role" in plan, plan
    got = {m.id: m.grid_id for m in pairings.members(db, world.ca.id)}
    assert got[world.member.id] == world.member.building.grid_id  # a member's grid, same read


def test_the_last_batch_is_found_at_the_end_of_the_creators_index(db, world):
    """An admin makes thousands of pairings over the years: when they last made some in a
    community is read at the end of the (creator, community, time) index, not from all of them."""
    if db.get_bind().dialect.name == "sqlite":
        plan = plan_of(db, batches.last_made(world.ca.id, world.admin.id))
        assert "COVERING INDEX ix_pairings_creator" in plan, plan
    else:  # its planner takes a tiny table's community index, priced the same: the index is there
        from sqlalchemy import inspect
        found = {i["name"]: i["column_names"]
                 for i in inspect(db.get_bind()).get_indexes("pairings")}
        assert found["ix_pairings_creator"] == ["created_by_id", "community_id", "created_at"]
