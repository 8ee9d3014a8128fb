"""需关爱家庭标注 a page at a time: the buildings' kept counts say which buildings a page spans,
and each page reads only its own households. The pages, put together, are the whole list."""
from webapp.services.pairing import care_page, pairings


def test_pages_put_together_are_the_whole_list_in_its_order(db, world, make_user):
    for i, b in enumerate([world.ba2, world.ba1, world.ba2, world.ba1, world.ba1]):
        make_user(f"住户{i}", None, b, [("resident", b, None)])
    pairings.set_care(db, world.admin, world.resident2.id, ["lonely_elder"], consent=True)
    for actor in (world.admin, world.grid_worker, world.grid_worker2):
        whole = [(r["id"], r["building"], r["tags"]) for r in care_page.care_list(db, actor)]
        for per_page in (1, 2, 3, 30):
            first = care_page.care_page(db, actor, per_page=per_page)
            got = [(r["id"], r["building"], r["tags"]) for n in range(1, first["pages"] + 1)
                   for r in care_page.care_page(db, actor, page=n, per_page=per_page)["rows"]]
            assert got == whole and first["total"] == len(whole), (actor.name, per_page)
    # the admin's list spans both grids' buildings: 王小明, 李志愿 and three more in 1号楼,
    # 赵阿姨 and two more in 7号楼
    whole = care_page.care_list(db, world.admin)
    assert [r["building"] for r in whole] == ["1号楼"] * 5 + ["7号楼"] * 3
    one = care_page.care_page(db, world.admin, building=world.ba2.id, page=2, per_page=2)
    assert [r["id"] for r in one["rows"]] == [r["id"] for r in whole if r["building"] == "7号楼"][2:]


def test_a_households_care_tags_move_with_it_and_put_it_first_there(db, world):
    """Suggestions read a community's care tags by their community: a household that moves
    takes its tags along (the `db` fixture checks every test leaves each tag in its
    household's community)."""
    from webapp.models import CareTag, utcnow
    from webapp.services.admin import accounts_admin
    from webapp.services.pairing import suggestions
    pairings.set_care(db, world.admin, world.resident2.id, ["lonely_elder"], consent=True)
    first = suggestions.suggest(db, world.admin, world.ca.id)[0]
    assert first["household_id"] == world.resident2.id
    accounts_admin.rehome(db, world.resident2, world.bb1, "东1-2", utcnow(),
                          actor=world.street_admin)
    db.commit()
    assert {t.community_id for t in db.query(CareTag)} == {world.cb.id}
    there = suggestions.suggest(db, world.admin_b, world.cb.id)
    assert there[0]["household_id"] == world.resident2.id and there[0]["care"]
    assert world.resident2.id not in {
        s["household_id"] for s in suggestions.suggest(db, world.admin, world.ca.id)}
