"""A title search within the communities a list can show (issue 27): SQLite reads only their part
of the title index (its rows keyed by community), and finds there what a plain scan finds; the
part follows new titles and deleted wishes; the staff and menu lists give the same pages."""
import pytest
from sqlalchemy import delete, select, text, update

from webapp.models import Category, Notification, Wish, WishEvent
from webapp.services import textsearch
from webapp.services.wishes import menu, wish_search

TITLES = ["修水龙头12", "修水龙头120", "帮忙修水龙头", "陪同去医院复查", "修水管", "ABC 辅导"]


@pytest.fixture
def two(db, world, make_wish):
    """The same titles in 城西社区 (A) and 城东社区 (B)."""
    cat_b = db.scalar(select(Category.id).where(Category.community_id == world.cb.id))
    for t in TITLES:
        make_wish("pending_review", title=t)
        make_wish("pending_review", title=t, resident=world.resident_b, category=cat_b)
    return world


def _found(db, q, communities):
    return set(db.scalars(select(Wish.id).where(
        textsearch.matches(db, Wish, ("title",), q, communities=communities))))


def _scan(db, q, communities):
    rows = db.scalars(select(Wish)).all()
    return {w.id for w in rows if q.lower() in w.title.lower()
            and (communities is None or w.community_id in communities)}


@pytest.mark.parametrize("q", ["修水龙头12", "修水龙头", "水龙", "医院复查", "abc", "无此事"])
def test_a_scoped_search_finds_in_its_communities_what_a_scan_finds(db, two, q):
    sqlite = db.get_bind().dialect.name == "sqlite"
    for scope in ({two.ca.id}, {two.cb.id}, {two.ca.id, two.cb.id}, set(), None):
        found = _found(db, q, scope)
        want = _scan(db, q, scope)
        assert found & _scan(db, q, None) == found  # nothing that does not hold the text
        assert want <= found, (q, scope)
        if (sqlite and textsearch.indexed(q)
                or textsearch.tagged(db, Wish, ("title",), q, scope)):
            # Read from the communities' rowid ranges (SQLite) or tagged trigrams (PostgreSQL):
            # no wish of another community at all.
            assert found == want, (q, scope)
    assert _found(db, q, None) == _scan(db, q, None)


def test_a_scope_wider_than_the_ranges_reads_the_whole_index(db, two, monkeypatch):
    """More communities than RANGES: the whole index (both communities' rows); within RANGES
    their part alone (SQLite's rowid ranges, PostgreSQL's tagged trigrams)."""
    monkeypatch.setattr(textsearch, "RANGES", 1)
    assert _found(db, "修水龙头", {two.ca.id, two.cb.id}) == _scan(db, "修水龙头", None)
    assert _found(db, "修水龙头", {two.ca.id}) == _scan(db, "修水龙头", {two.ca.id})


def test_the_community_part_follows_new_titles_and_deletes(db, two):
    a = db.scalar(select(Wish).where(Wish.community_id == two.ca.id, Wish.title == "修水管"))
    db.execute(update(Wish).where(Wish.id == a.id).values(title="换灯泡"))
    db.commit()
    assert _found(db, "换灯泡", {two.ca.id}) == {a.id}
    assert a.id not in _found(db, "修水管", {two.ca.id})
    for table in (Notification, WishEvent):  # a wish is never deleted by the app; by hand here
        db.execute(delete(table).where(table.wish_id == a.id))
    db.execute(delete(Wish).where(Wish.id == a.id))
    db.commit()
    assert _found(db, "换灯泡", {two.ca.id}) == set()
    if db.get_bind().dialect.name == "sqlite":  # the index equals its content, row for row
        db.execute(text("INSERT INTO wishes_fts(wishes_fts, rank) VALUES ('integrity-check', 1)"))


@pytest.mark.parametrize("who,view", [("admin", "all"), ("admin_b", "all"),
                                      ("street_admin", "all"), ("grid_worker", "all")])
def test_each_list_gives_what_testing_its_every_wish_gives(db, two, who, view):
    """The list's communities (its own, the street's, the grid's) are the ranges it reads."""
    user = getattr(two, who)
    for q in ("修水龙头12", "水龙头", "医院"):
        shown, _c = menu.list_wishes(db, user, view=view, q=q, limit=50)
        every, _c = menu.list_wishes(db, user, view=view, limit=50)
        assert [w.id for w in shown] == [w.id for w in every if q in w.title], (who, q)
        assert shown, (who, q)


def test_the_lists_read_their_communities_part_of_the_index(db, two):
    """The staff list's search counts and collects from its communities' part of the title
    index (one read each), not from the whole index: SQLite's rowid ranges, PostgreSQL's tagged
    trigrams (its district-wide trigram index offered every community's 水龙头)."""
    from tests.planutil import statements_sent
    with statements_sent(db.get_bind()) as said:
        menu.list_wishes(db, two.admin, view="all", q="修水龙头12")
        menu.list_wishes(db, two.street_admin, view="all", q="修水龙头12")
    if db.get_bind().dialect.name == "sqlite":
        fts = [x for x in said if "wishes_fts" in x]
        assert fts and all("rowid BETWEEN" in x for x in fts), fts
        return
    tagged = [x for x in said if "wg_tagged(wishes.community_id, wishes.title)" in x]
    # (one read a list: the admin's community, then the street's two)
    assert [x.count("wg_tagged(wishes.community_id") for x in tagged] == [1, 2], said
    # The lists then test the ids found: no title LIKE but the tagged reads' own.
    assert [x for x in said if "wishes.title LIKE" in x or "title || ''" in x] == tagged, said


def test_a_list_walking_its_wishes_still_reads_its_titles_part(db, two, monkeypatch):
    """People found too often to collect (12 in every phone of a district): the list walks its
    wishes, and their titles are still read from its communities' part only (the district's
    200,000 titles holding 12 took 80 ms to list)."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's index of one- and two-character pieces (12) has "
                    "no parts; its tagged trigrams are tested in the test above")
    from tests.planutil import statements_sent
    from webapp.models import User
    few = textsearch.few_hits
    monkeypatch.setattr(textsearch, "few_hits",  # the titles few, the people not
                        lambda s, model, *a, **k: model is not User and few(s, model, *a, **k))
    for q in ("12", "修水龙头12"):
        with statements_sent(db.get_bind()) as said:
            shown, _c = menu.list_wishes(db, two.admin, view="all", q=q, limit=50)
        listed = [x for x in said if "wishes_grams" in x or "wishes_fts" in x]
        assert listed and all("rowid BETWEEN" in x for x in listed), listed
        every, _c = menu.list_wishes(db, two.admin, view="all", limit=50)
        assert {w.id for w in shown} == {w.id for w in every if q in w.title}, q


def test_the_menu_searches_the_members_communities(db, two, make_wish):
    mine = make_wish("published", title="修水龙头99")
    items, _c = menu.list_wishes(db, two.member, view="menu", q="修水龙头")
    assert [w.id for w in items] == [mine.id]
    assert menu.list_wishes(db, two.member_b, view="menu", q="修水龙头")[0] == []


@pytest.mark.parametrize("walk_from", [1, 10_000])
def test_many_title_hits_in_one_community_walk_its_index_in_the_lists_order(
        db, two, monkeypatch, walk_from):
    """SQLite: past WALK_FROM hits of one community, the staff list walks the community's index
    in its own order and tests each id against the hits, instead of reading and sorting every
    hit's row (1,082 of a district community: 3.3 ms); the same page either way."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 collect path only: PostgreSQL's planner picks its own walk")
    from tests.planutil import plan_of
    monkeypatch.setattr(wish_search, "WALK_FROM", walk_from)
    every, _c = menu.list_wishes(db, two.admin, view="all", limit=50)
    for q in ("修水龙头", "龙头1"):
        shown, _c = menu.list_wishes(db, two.admin, view="all", q=q, limit=2)
        assert [w.id for w in shown] == [w.id for w in every if q in w.title][:2], q
    cond = menu.search(db, "修水龙头", staff=True, communities={two.ca.id})
    # `id + 0`: no reading each hit by id (a test's tiny tables may be walked either way)
    assert ("+ 0" in str(cond.compile(db.get_bind()))) == (walk_from == 1)
    plan = plan_of(db, select(Wish.id).where(Wish.community_id == two.ca.id, cond)
                   .order_by(Wish.created_at.desc(), Wish.id.desc()).limit(2))
    assert "ix_wishes_staff" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
    # A wider scope (the street's communities) has no one index in its order: it collects.
    cond = menu.search(db, "修水龙头", staff=True, communities={two.ca.id, two.cb.id})
    assert "+ 0" not in str(cond.compile(db.get_bind()))
