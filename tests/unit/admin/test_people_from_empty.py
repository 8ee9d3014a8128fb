"""居民与账号 on a street set up from an empty database (flask setup's service, the tree,
residents registered by staff; no demo, no fixture world): each row, read lean, shows the
building, its grid, the roles, and the phone and address only to staff who cover the person;
a search by a phone's digits finds only a phone the viewer may see."""
from tests.emptyutil import street_with_a_member
from webapp.models import RoleGrant, utcnow
from webapp.services.admin import grants, people_list, staff, tree
from webapp.services.people import residents


def test_a_new_streets_people_page_shows_what_each_viewer_covers(db):
    new = street_with_a_member(db)
    grid = tree.add_node(db, new.admin, "grid", "一网格", new.community.id)
    building = tree.add_node(db, new.admin, "building", "1号楼", grid.id)
    worker = residents.make_account(db, "网格员小李", "13600000006")
    grants.grant_role(db, new.admin, worker, "grid_worker", grid, utcnow())
    db.commit()
    aunt = residents.add_resident_by_staff(db, new.admin, "王阿姨", building.id, "1单元101",
                                           phone="13600000004")
    # A member living in the grid: on the grid worker's list, but not a plain resident, so
    # not in the grid worker's care (policy.covers): their phone is not the worker's to see.
    neighbour = residents.make_account(db, "李党员", "13600000007", building)
    db.add(RoleGrant(user_id=neighbour.id, role="member", org_id=new.community.id))
    db.commit()
    for viewer, covered in ((new.admin, {"王阿姨", "新党员", "网格员小李", "李党员"}),
                            (worker, {"王阿姨"})):
        communities = {c.id for c in staff.communities_for(db, viewer)}
        rows = {r["name"]: r for r in people_list.people_page(
            db, viewer, communities, people_list.Filters())["rows"]}
        assert rows["王阿姨"]["grid"] == "一网格" and rows["王阿姨"]["building"] == "1号楼"
        assert rows["王阿姨"]["roles"] == ["resident"]
        assert {n for n, r in rows.items() if r["can_manage"]} == covered, viewer.name
        for name, r in rows.items():
            shown = name in covered
            assert (r["phone"] is not None) is shown and bool(r["address"]) is (
                shown and name == "王阿姨"), (viewer.name, name)
        assert rows["王阿姨"]["phone"] == aunt.phone and rows["王阿姨"]["address"] == "1单元101"
    assert "李党员" in {r["name"] for r in people_list.people_page(
        db, worker, set(), people_list.Filters())["rows"]}  # listed, phone hidden (above)
    # By the phone's last digits: the admin finds the member living in the grid; the grid
    # worker, who lists them but may not see their phone, finds nobody (confirming the number
    # would disclose it).
    for viewer, want in ((new.admin, ["李党员"]), (worker, [])):
        communities = {c.id for c in staff.communities_for(db, viewer)}
        page = people_list.people_page(db, viewer, communities, people_list.Filters(q="0007"))
        assert [r["name"] for r in page["rows"]] == want and page["total"] == len(want)
