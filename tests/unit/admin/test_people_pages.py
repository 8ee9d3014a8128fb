"""居民与账号 pages by two index reads (the people living here by users.community_id, the
people serving here by their roles, merged in name order) give exactly the pages of one plain
pass over every user, for every viewer, filter and page size."""
import pytest

from webapp.models import Org, User
from webapp.services.admin import people_list, staff


def _plain(db, viewer, communities, f) -> list[int]:
    """The list as a scan of every person: living in the viewer's places (their communities'
    buildings, their grids' buildings) or holding an active role at one of those places."""
    gids = {g.org_id for g in viewer.roles if g.role == "grid_worker" and g.active}
    orgs = {o.id: o for o in db.query(Org)}

    def inside(org_id):
        o = orgs.get(org_id)
        if o is None:
            return False
        if f.building is not None:
            return o.id == f.building
        if f.grid is not None:
            return o.id == f.grid or o.grid_id == f.grid
        return o.id in communities | gids or o.community_id in communities or o.grid_id in gids
    out = []
    for u in db.query(User):
        grants = [g for g in u.roles if g.active]
        here = inside(u.building_id) or (f.building is None and any(
            inside(g.org_id) for g in grants))
        if f.role and f.role not in {g.role for g in grants}:
            here = False
        if f.status == "active" and not u.active or f.status == "inactive" and u.active:
            here = False
        if f.status == "never" and (not u.active or u.activated_at is not None):
            here = False
        if here:
            out.append(u)
    return [u.id for u in sorted(out, key=lambda u: (u.name, u.id))]


@pytest.fixture
def mixed(db, world, make_user):
    """A community larger than a page: residents with namesakes, members and a grid worker who
    live in the other community, a member living here (in both groups), one who moved out."""
    for i in range(23):
        b = world.ba1 if i % 2 else world.ba2
        make_user(f"居民{i % 9}", None, b, [("resident", b, None)])
    make_user("外住党员", None, world.bb1, [("member", world.ca, None)])
    for n in "乙丙丁":  # a search's serving people living elsewhere fill more than a page of 4
        make_user(f"外住党员{n}", None, world.bb1, [("member", world.ca, None)])
    make_user("外住网格员", None, world.bb1, [("grid_worker", world.ga1, None)])
    make_user("本地党员", None, world.ba1, [("resident", world.ba1, None), ("member", world.ca, None)])
    gone = make_user("已停用", None, world.ba1, [("resident", world.ba1, None)])
    gone.active = False
    db.commit()
    return world


FILTERS = [{}, {"role": "member"}, {"status": "inactive"}, {"status": "never"},
           {"grid": "ga1"}, {"building": "ba2"}]
CASES = [(v, f) for v in ("admin", "street_admin") for f in FILTERS] + \
    [("grid_worker", f) for f in FILTERS[:4] + [{"grid": "ga1"}, {"building": "ba1"}]]


@pytest.mark.parametrize("viewer,filters", CASES)
def test_pages_are_the_plain_scans_pages(db, mixed, viewer, filters):
    world, me = mixed, getattr(mixed, viewer)
    f = people_list.Filters(**{k: getattr(world, v).id if k in ("grid", "building") else v
                               for k, v in filters.items()})
    communities = {c.id for c in staff.communities_for(db, me)}
    want = _plain(db, me, communities, f)
    assert want, "the case must list somebody"
    for per_page in (4, 50):
        got, page, total = [], 1, None
        while True:
            f.page = page
            r = people_list.people_page(db, me, communities, f, per_page=per_page)
            got += [row["id"] for row in r["rows"]]
            total = r["total"]
            if page >= r["pages"]:
                break
            page += 1
        assert got == want and total == len(want), (per_page, len(got), len(want))


@pytest.mark.parametrize("q", ["居民1", "居民", "外住", "0000", "1390000", "本地党员", "外住党员"])
def test_a_search_found_too_often_to_collect_lists_the_same_people(db, mixed, q, monkeypatch):
    """A text found all over the district is tested on the people listed instead of collected
    from the index (FEW = 0 forces it): the same people, in the same order."""
    from webapp.services import textsearch
    communities = {mixed.ca.id}
    f = people_list.Filters(q=q)
    collected = people_list.people_page(db, mixed.admin, communities, f, per_page=500)
    monkeypatch.setattr(textsearch, "FEW", 0)
    walked = people_list.people_page(db, mixed.admin, communities, f, per_page=500)
    assert collected["rows"], q
    assert [r["id"] for r in walked["rows"]] == [r["id"] for r in collected["rows"]]


@pytest.mark.parametrize("viewer", ["admin", "street_admin", "grid_worker"])
@pytest.mark.parametrize("q", ["居民", "居民1", "党员", "外住", "外住网格员"])
def test_a_name_search_pages_as_the_plain_scan_ranks_it(db, mixed, viewer, q):
    """A name search is counted and paged by the database: page after page, the plain scan's
    people whose name holds the text, the exact name first, then names starting with it."""
    me = getattr(mixed, viewer)
    communities = {c.id for c in staff.communities_for(db, me)}
    everyone = {u.id: u for u in db.query(User)}
    named = [everyone[i] for i in _plain(db, me, communities, people_list.Filters())
             if q in everyone[i].name]
    want = [u.id for u in sorted(named, key=lambda u: (
        0 if u.name == q else 1 if u.name.startswith(q) else 2, u.name, u.id))]
    assert want, "the case must find somebody"
    for per_page in (4, 50):
        got, page = [], 1
        while True:
            r = people_list.people_page(db, me, communities,
                                        people_list.Filters(q=q, page=page), per_page=per_page)
            got += [row["id"] for row in r["rows"]]
            if page >= r["pages"]:
                break
            page += 1
        assert got == want and r["total"] == len(want), (per_page, got, want)


def test_residents_are_searched_in_their_communitys_part_of_the_index(db, mixed):
    """The people living here are found through the community's part of the users' index (a
    text found all over a district counted there alone): SQLite's rowid range, PostgreSQL's
    tagged trigrams; the people serving here, who may live anywhere, are tested one by one."""
    from tests.planutil import statements_sent
    with statements_sent(db.get_bind()) as said:
        query = people_list.list_query(db, mixed.admin, {mixed.ca.id},
                                   people_list.Filters(q="居民1"))
    home, serving = (str(g.compile(db.get_bind())) for g in query.groups(User.id))
    if db.get_bind().dialect.name == "sqlite":
        assert "users_fts" in home and "BETWEEN" in home, home
        assert "users_fts" not in serving and "LIKE" in serving, serving
        return
    read = [x for x in said if "wg_tagged(users.community_id, users.name)" in x]
    assert len(read) == 1 and "users.name LIKE" not in home and "= ANY" in home, (said, home)
    assert "wg_tagged" not in serving and "LIKE" in serving, serving


def test_a_short_text_found_often_here_is_tested_on_the_people_listed(db, mixed, monkeypatch):
    """SQLite: one or two characters come from the community's part of the table of pieces
    while few; found more often than PEOPLE_FEW (the list ranks every match before it shows
    50), the community's people are tested one by one instead of looked up hit by hit."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 tables only: PostgreSQL's planner weighs its indexes itself")

    def home():
        query = people_list.list_query(db, mixed.admin, {mixed.ca.id}, people_list.Filters(q="居"))
        return str(query.groups(User.id)[0].compile(db.get_bind()))
    assert "users_grams" in home() and "BETWEEN" in home(), home()
    monkeypatch.setattr(people_list, "PEOPLE_FEW", 0)
    assert "users_grams" not in home() and "LIKE" in home(), home()


@pytest.mark.parametrize("q", ["居民", "民", "ann", "ANN", "居民甲", "无此人"])
def test_a_name_search_reads_a_rank_at_a_time_in_the_name_indexs_order(db, mixed, make_user, q):
    """The exact name, then the names starting with the text, then the rest, each read in the
    name index's order only as far as the page needs (居民: 50 of a district community's 5,000,
    not all 5,000 ranked and sorted); the same pages as ranking every match. A text with ASCII
    letters, which SQLite's LIKE matches in either case, has no range of the index there."""
    from tests.planutil import statements_sent
    for name in ("居民", "居民甲", "老居民", "Ann", "ann", "ANNA", "Joanna", "居民", "民", "居民甲乙"):
        make_user(name, None, mixed.ba1, [("resident", mixed.ba1, None)])
    sqlite = db.get_bind().dialect.name == "sqlite"
    communities = {mixed.ca.id}
    everyone = {u.id: u for u in db.query(User)}
    named = [everyone[i] for i in _plain(db, mixed.admin, communities, people_list.Filters())
             if q.lower() in everyone[i].name.lower()]

    def tier(name):  # SQLite's LIKE folds ASCII case; PostgreSQL's LIKE does not
        starts = name.lower().startswith(q.lower()) if sqlite else name.startswith(q)
        return 0 if name == q else 1 if starts else 2
    want = [u.id for u in sorted(named, key=lambda u: (tier(u.name), u.name, u.id))]
    assert q == "无此人" or len({tier(u.name) for u in named}) > 1, "the case must span ranks"
    for per_page in (2, 3, 50):
        got, page = [], 1
        while True:
            with statements_sent(db.get_bind()) as said:
                r = people_list.people_page(db, mixed.admin, communities,
                                            people_list.Filters(q=q, page=page),
                                            per_page=per_page)
            got += [row["id"] for row in r["rows"]]
            if page >= r["pages"]:
                break
            page += 1
        assert got == want and r["total"] == len(want), (per_page, got, want)
    tiers = [x for x in said if "ORDER BY users.name, users.id" in x and "users.name =" in x]
    assert tiers, said
    # a range of the name index: SQLite's where no ASCII letter lets its LIKE fold case;
    # PostgreSQL's where the database orders text by code point (the tests' cluster does)
    ranged = any("users.name >=" in x for x in said)
    assert ranged == (not q.isascii() if sqlite else True), said


@pytest.mark.parametrize("q", ["居民\ud7ff", "居民\U0010ffff", "\U0010ffff"])
def test_a_name_search_ending_in_the_last_characters_has_no_range_past_them(db, mixed, q):
    """The range of names starting with the text ends at the text's last character plus one:
    past U+D7FF lie the surrogates UTF-8 cannot carry, past U+10FFFF nothing."""
    r = people_list.people_page(db, mixed.admin, {mixed.ca.id}, people_list.Filters(q=q))
    assert r["rows"] == [] and r["total"] == 0


# The community's admin and the grid worker cover some of the people they list, not all; the
# street's admin covers everyone here.
@pytest.mark.parametrize("viewer,covered", [("admin", {True, False}), ("street_admin", {True}),
                                            ("grid_worker", {True, False})])
def test_a_pages_lean_rows_are_the_orm_users_rows(db, mixed, viewer, covered):
    """A page reads its people lean, in one statement (services/people/lean_people.py); each
    row, its phone and address shown only where the viewer covers the person, is the row the
    ORM user gives (as the spreadsheet reads them): with no search, a name, and a phone's
    digits (the path that tests every hit against the policy)."""
    me = getattr(mixed, viewer)
    communities = {c.id for c in staff.communities_for(db, me)}
    seen = set()
    for q in ("", "居民", "党员", "1390000"):
        rows = people_list.people_page(db, me, communities, people_list.Filters(q=q),
                                       per_page=500)["rows"]
        assert rows, q
        db.expire_all()  # the ORM's rows as the database holds them
        for row in rows:
            assert row == people_list._row(me, db.get(User, row["id"])), (q, row["name"])
            seen.add(row["can_manage"])
    assert seen == covered


def test_a_page_reads_its_people_lean_in_statements_that_do_not_grow_with_it(db, mixed):
    """The people of a page come as lean rows, with their grants, buildings and grids, in one
    statement: none loads whole users (a list has no business reading 50 password hashes),
    and a page of 50 sends as many statements as a page of 4."""
    from tests.planutil import statements_sent
    communities = {mixed.ca.id}
    sent = {}
    for per_page in (4, 50):
        for q in ("", "1390000"):
            db.rollback()  # each a request of its own (a search's hits are read once a request)
            mixed.admin.roles  # the viewer as the request holds them
            with statements_sent(db.get_bind()) as said:
                people_list.people_page(db, mixed.admin, communities,
                                        people_list.Filters(q=q), per_page=per_page)
            assert not [s for s in said if "password_hash" in s], q
            sent[per_page, q] = len(said)
    assert sent[4, ""] == sent[50, ""] and sent[4, "1390000"] == sent[50, "1390000"], sent


def test_a_digit_search_reads_for_the_policy_only_those_found_by_phone_alone(db, mixed, make_user,
                                                                          monkeypatch):
    """A hit whose name holds the digits is shown without the policy's test; only those found
    by their phone alone are read for it, and then the page's other rows: at district size
    "12" is in hundreds of names, and reading each of them was most of the search."""
    from webapp.services.people import lean_people
    for i in range(8):
        make_user(f"居民12{i}", None, mixed.ba1, [("resident", mixed.ba1, None)])
    db.commit()
    asked, real = [], lean_people.people
    monkeypatch.setattr(lean_people, "people",
                        lambda session, ids: asked.append(list(ids)) or real(session, ids))
    page = people_list.people_page(db, mixed.admin, {mixed.ca.id},
                                   people_list.Filters(q="12"), per_page=3)
    names = {u.id: u.name for u in db.query(User)}
    assert page["total"] >= 8 and len(page["rows"]) == 3
    for_policy, for_page = asked
    assert not [i for i in for_policy if "12" in names[i]]
    assert for_page == [r["id"] for r in page["rows"] if r["id"] not in for_policy]
    assert for_page, "the page must show someone found by name"
