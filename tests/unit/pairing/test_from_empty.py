"""A street set up from nothing (flask setup's service, the tree, 代为登记): the buildings'
kept household counts, 结对安排's figures and the new coverage page work without the demo."""
from types import SimpleNamespace

from webapp.models import RoleGrant, utcnow
from webapp.services.admin import grants, setup, tree
from webapp.services.pairing import batches, coverage, pairings
from webapp.services.people import residents

PASSWORD = "a-long-enough-password-1"


def test_a_street_from_an_empty_database_counts_and_pairs_its_households(db):
    res = setup.create_street(db, SimpleNamespace(street="新建街道", admin_phone="13600000001",
                                                  admin_name="街道管理员", password=PASSWORD))
    community = tree.add_node(db, res.admin, "community", "新建社区", res.street.id)
    admin = residents.make_account(db, "社区管理员", "13600000002")
    grants.grant_role(db, res.admin, admin, "community_admin", community, utcnow())
    db.commit()
    grid = tree.add_node(db, admin, "grid", "新一网格", community.id)
    building = tree.add_node(db, admin, "building", "新1栋", grid.id)
    assert coverage.headline(db, community) == {"households": 0, "paired": 0, "paired_share": 0.0}
    homes = [residents.add_resident_by_staff(db, admin, f"住户{i}", building.id, f"{i}01")
             for i in range(3)]
    # a member who reported here (报到's approval is tested on its own) and lives here too,
    # so is a household as well
    member = residents.make_account(db, "新党员", "13600000003", building)
    db.add(RoleGrant(user_id=member.id, role="member", org_id=community.id))
    db.commit()
    assert coverage.headline(db, community)["households"] == 4
    pairings.pair(db, admin, member.id, [homes[0].id])
    choices = batches.manual_choices(db, admin, community.id)
    assert [(b["building"], b["unpaired"]) for b in choices["buildings"]] == [("新1栋", 3)]
    page = coverage.coverage_page(db, admin, community.id, utcnow().year)
    assert (page["households"], page["paired"], page["members"]) == (4, 1, 1)
    assert [g["grid"] for g in page["by_grid"]] == ["新一网格"]
