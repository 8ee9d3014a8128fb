"""A street set up from nothing (flask setup's service, the tree, 代为登记): the buildings'
kept household counts and visited pairings, 结对安排's figures, the coverage page, the
shop's kept accounts and the counts still to activate work without the demo."""
from types import SimpleNamespace

from tests.emptyutil import street_with_a_member
from webapp.models import RoleGrant, utcnow
from webapp.services.admin import grants, setup, tree
from webapp.schemas.pairing import VisitInput
from webapp.services.pairing import batches, coverage, pairings, suggestions, visits
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
    # the member visits twice (the yearly number by default): the kept visited count follows
    today = visits.local_today(utcnow())
    for kind in ("home", "phone"):
        visits.log(db, member, VisitInput(household_id=homes[0].id, date=today, kind=kind))
    page = coverage.coverage_page(db, admin, community.id, today.year)
    assert (page["households"], page["paired"], page["visited"], page["members"]) == (4, 1, 1, 1)
    assert [(g["grid"], g["visited"]) for g in page["by_grid"]] == [("新一网格", 1)]


def test_a_street_from_an_empty_database_keeps_its_members_points_accounts(db):
    """积分台账 on a street made from nothing: the first points make the member's kept account,
    and the page reads it (no demo, no fixture world)."""
    from tests.shoputil import earn
    from webapp.models import ShopAccount
    from webapp.services.ledger import periods
    from webapp.services.shop import accounts
    new = street_with_a_member(db)
    community, admin, member = new.community, new.admin, new.member
    assert db.query(ShopAccount).count() == 0
    earn(db, community, member, 6, when=utcnow())
    assert db.get(ShopAccount, (community.id, member.id)).balance == 6
    got = accounts.tally(db, admin, community.id, periods.parse(None, utcnow(), "month"), page=1)
    assert [(r["name"], r["earned"], r["balance"]) for r in got["rows"]] == [("新党员", 6, 6)]


def test_a_street_from_an_empty_database_suggests_undoes_and_counts_its_homes(db):
    """Session 21's reads on a street made from nothing: the tree counts who lives in each of
    its buildings, a care-tagged household is suggested first (its tag kept by community), and
    the batch the admin made last is found to undo."""
    new = street_with_a_member(db)
    community, admin, member = new.community, new.admin, new.member  # the member lives elsewhere
    grid = tree.add_node(db, admin, "grid", "新一网格", community.id)
    building = tree.add_node(db, admin, "building", "新1栋", grid.id)
    tree.add_node(db, admin, "building", "新2栋", grid.id)  # nobody lives here
    homes = [residents.add_resident_by_staff(db, admin, f"住户{i}", building.id, f"{i}01")
             for i in range(3)]
    db.commit()
    nodes = tree.subtree(db, community)["children"][0]["children"]
    assert {n["name"]: n["people"] for n in nodes} == {"新1栋": 3, "新2栋": 0}
    pairings.set_care(db, admin, homes[2].id, ["lonely_elder"], consent=True)
    got = suggestions.suggest(db, admin, community.id)
    assert [(s["household_id"], s["member_id"]) for s in got] == [
        (homes[2].id, member.id), (homes[0].id, member.id), (homes[1].id, member.id)]
    assert got[0]["care"] and got[0]["why"] == "community"
    assert batches.last_batch(db, admin, community.id) == []
    made = pairings.pair(db, admin, member.id, [homes[2].id, homes[0].id])
    assert {p.id for p in batches.last_batch(db, admin, community.id)} == {p.id for p in made}
    assert [s["household_id"] for s in suggestions.suggest(db, admin, community.id)] == [
        homes[1].id]


def test_a_street_from_an_empty_database_counts_who_is_still_to_activate(db):
    """The activation box and 待办概览 on a street made from nothing read the buildings' kept
    counts: residents registered by staff wait, a printed slip redeemed activates one."""
    from webapp.services.admin import backlog
    from webapp.services.people import activation, signin_codes
    new = street_with_a_member(db)
    grid = tree.add_node(db, new.admin, "grid", "新一网格", new.community.id)
    building = tree.add_node(db, new.admin, "building", "新1栋", grid.id)
    assert activation.grids_for(db, new.admin) == [{"id": grid.id, "name": "新一网格",
                                                    "pending": 0}]
    homes = [residents.add_resident_by_staff(db, new.admin, f"住户{i}", building.id, f"{i}01")
             for i in range(3)]
    assert [g["pending"] for g in activation.grids_for(db, new.admin)] == [3]
    code = signin_codes.make_slip(db, homes[0])
    db.commit()
    assert signin_codes.redeem_slip(db, code).id == homes[0].id
    assert [g["pending"] for g in activation.grids_for(db, new.admin)] == [2]
    (row,) = backlog.rows(db, new.admin)
    assert (row["people"], row["activated"]) == (3, 1)
