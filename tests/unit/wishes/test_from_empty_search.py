"""A street set up from an empty database (flask setup's service, the tree, an account made by
staff; no demo, no fixture world): its first wishes are found by the community's search through
the title index's part for that community, and not by another community's admin; one- and
two-character text (a surname, a building's number) from the pieces' index."""
from sqlalchemy import select

from tests.emptyutil import street_with_a_member
from tests.planutil import statements_sent
from webapp.models import Category, Wish, utcnow
from webapp.schemas.inputs import WishInput
from webapp.services import textsearch
from webapp.services.admin import grants, people_list, staff, tree
from webapp.services.people import residents
from webapp.services.wishes import menu, wishes


def _wish(db, resident, community, title):
    cat = db.query(Category).filter_by(community_id=community.id).first()
    return wishes.post(db, resident, WishInput(kind="service", title=title, description="腿脚不便。",
                                               category=cat.id, capacity=1, estimated_hours=1))


def test_a_new_streets_first_wishes_are_found_in_its_community(db):
    new = street_with_a_member(db)
    grid = tree.add_node(db, new.admin, "grid", "一网格", new.community.id)
    building = tree.add_node(db, new.admin, "building", "1号楼", grid.id)
    other = tree.add_node(db, new.street_admin, "community", "隔壁社区", new.street.id)
    o_grid = tree.add_node(db, new.street_admin, "grid", "东网格", other.id)
    o_building = tree.add_node(db, new.street_admin, "building", "东1栋", o_grid.id)
    other_admin = residents.make_account(db, "隔壁主任", "13600000009")
    grants.grant_role(db, new.street_admin, other_admin, "community_admin", other, utcnow())
    mine = residents.make_account(db, "王阿姨", "13600000004", building)
    theirs = residents.make_account(db, "李大爷", "13600000005", o_building)
    db.commit()
    w = _wish(db, mine, new.community, "修水龙头漏水")
    theirs_w = _wish(db, theirs, other, "修水龙头坏了")
    for who, want in ((new.admin, [w.id]), (new.street_admin, None), (other_admin, None)):
        with statements_sent(db.get_bind()) as said:
            found, _c = menu.list_wishes(db, who, view="all", q="修水龙头")
        if db.get_bind().dialect.name == "postgresql":  # no statistics yet: read and sorted
            assert [x for x in said if "OFFSET" in x and "wg_tagged" in x], said
        if want is not None:
            assert [x.id for x in found] == want
        else:
            assert len(found) == (2 if who is new.street_admin else 1)
            assert (w.id in [x.id for x in found]) is (who is new.street_admin)
    # The new community's own part of the index (SQLite's rowid range, PostgreSQL's tagged
    # trigrams), and the other community's.
    for community, want in ((new.community, [w.id]), (other, [theirs_w.id])):
        part = textsearch.matches(db, Wish, ("title",), "修水龙头", communities={community.id})
        assert list(db.scalars(select(Wish.id).where(part))) == want, community.name
    # One and two characters (a surname, a building's number) from each engine's pieces' index.
    for q, want in (("王", [w.id]), ("漏", [w.id]), ("1号", [w.id]), ("李", []), ("坏", [])):
        found, _c = menu.list_wishes(db, new.admin, view="all", q=q)
        assert [x.id for x in found] == want, q
    for q in ("王", "阿姨"):
        people = residents.residents_for_staff(db, new.admin, q)
        assert [p["name"] for p in people] == ["王阿姨"], q
    # 居民与账号 a rank at a time (the exact name, names starting with the text, the rest),
    # in the communities the admin's own grant gives (no street: no IN of nothing read).
    communities = {c.id for c in staff.communities_for(db, new.admin)}
    assert communities == {new.community.id}
    for q in ("王阿姨", "王", "阿姨", "李"):
        page = people_list.people_page(db, new.admin, communities, people_list.Filters(q=q))
        assert [r["name"] for r in page["rows"]] == ([] if q == "李" else ["王阿姨"]), q
