"""Search through the indexes (issue 27 item 3): the same rows as a plain scan, on both engines,
for 1-, 2- and 3+-character text, Chinese, phone tails, wildcards typed literally; the index
follows inserts, renames and deletes; and the indexed path is the one the planner takes (SQLite:
one and two characters too, from its tables of pieces)."""
import json

import pytest
from sqlalchemy import func, or_, select, text

from tests.planutil import plan_of, statements_sent
from webapp.models import Org, Unit, User, Wish
from webapp.services import textsearch
from webapp.services.people import residents

QUERIES = ["王", "小明", "王小明", "阿姨", "0101", "138", "13800000113", "1号", "单元50",
           "ab", "ABC", "abc d", "x%y", "a_b", '"q"', "\\", "无此人", "医院", "区人民医院", "买菜送",
           "，", "，四", "Ab", "明明", "5", "%", "楼", "0", "Z"]
NAMES = ["王小明", "王小明明", "小王", "ABCdef", "abc def", "x%y先生", "a_b", 'say "q"', "back\\slash",
         "abcd", "李，四"]


def _scan(rows, columns, q):
    """Today's LIKE, by hand: substring, ASCII letters case-insensitive, wildcards literal."""
    q = q.strip()[:textsearch.SEARCH_MAX].lower()
    return {r.id for r in rows if any(q in (getattr(r, c) or "").lower() for c in columns)}


@pytest.fixture
def people(db, world, make_user, make_wish):
    for i, name in enumerate(NAMES):
        make_user(name, f"1370000{i:04d}", world.ba1, [("resident", world.ba1, None)],
                  address=f"{i % 3 + 1}单元50{i}")
    for title in ["帮忙买菜送上楼", "ABC 辅导", "修水管", "abc_修理"]:
        make_wish(status="pending_review", title=title)
    return world


@pytest.mark.parametrize("model,columns", [
    (User, ("name", "phone", "address")), (User, ("name", "phone")), (User, ("name",)),
    (Wish, ("title",)), (Org, ("name",)), (Unit, ("name",))])
def test_indexed_search_finds_what_a_plain_scan_finds(db, people, model, columns):
    rows = db.scalars(select(model)).all()
    for q in QUERIES + NAMES:
        found = set(db.scalars(select(model.id).where(textsearch.matches(db, model, columns, q))))
        assert found == _scan(rows, columns, q), (q, columns)


@pytest.mark.parametrize("model,columns", [(User, ("name", "phone", "address")),
                                           (Wish, ("title",))])
def test_a_walked_search_finds_what_a_plain_scan_finds(db, people, model, columns):
    """The test each walked row gets: on SQLite its own LIKE (case-folding ASCII letters as
    lower() does), not lower() on both sides of every row."""
    rows = db.scalars(select(model)).all()
    for q in QUERIES + NAMES:
        cond = textsearch.matches(db, model, columns, q, walk=True)
        assert set(db.scalars(select(model.id).where(cond))) == _scan(rows, columns, q), q
    if db.get_bind().dialect.name == "sqlite":
        assert "lower(" not in str(cond.compile(db.get_bind()))


@pytest.mark.parametrize("model,columns", [(User, ("name", "phone")), (User, ("name",)),
                                           (User, ("phone",)), (Wish, ("title",))])
def test_a_search_within_communities_finds_there_what_a_plain_scan_finds(db, people, make_user,
                                                                         model, columns):
    """Within known communities both engines read their part only (SQLite's rowid ranges,
    PostgreSQL's tagged trigrams for three characters or more): exactly the scan's rows of
    those communities, whatever the case, wildcards or punctuation."""
    for i, name in enumerate(NAMES[:4]):  # namesakes in the other community
        make_user(name, f"1370001{i:04d}", people.bb1, [("resident", people.bb1, None)])
    rows = db.scalars(select(model)).all()
    pg = db.get_bind().dialect.name == "postgresql"
    for q in QUERIES + NAMES:
        for scope in ({people.ca.id}, {people.cb.id}, {people.ca.id, people.cb.id}):
            cond = textsearch.matches(db, model, columns, q, communities=scope)
            found = set(db.scalars(select(model.id).where(cond)))
            want = _scan([r for r in rows if r.community_id in scope], columns, q)
            assert want <= found <= _scan(rows, columns, q), (q, scope)
            tagged = textsearch.tagged(db, model, columns, textsearch.clean(q), scope)
            if tagged or not pg and textsearch.indexed(q):
                assert found == want, (q, scope)
            if tagged:  # the hits' ids, read from the tagged trigrams
                assert "= ANY" in str(cond.compile(db.get_bind())), q
        assert not pg or textsearch.tagged(db, model, columns, "王小明", {people.ca.id})


def test_the_tagged_trigrams_hold_each_trigram_of_any_part_of_a_title(db):
    """PostgreSQL's tagged trigrams of a row (models/search.TAGGED) hold every tag a search of
    any part of it asks for, in any case, for every length and offset; tags are the row's
    community's only, and none is a shorter tail."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's tagged trigrams only; SQLite keys its FTS5 rows by community")
    titles = ["帮忙修水龙头12", "ABC 辅导", "修水管", "ab", "a", "", "Ab_c%d\\e", "İstanbul 7",
              "Émile Zola", "x\x01yz", "陪同去医院复查，再送回家"]
    for title in titles:
        held = set(db.scalar(select(func.wg_tagged(7, title))))
        if "\x01" not in title:  # (it splits a trigram holding it: never asked for)
            assert all(t.startswith("7:") and len(t) == 5 for t in held), (title, held)
        parts = sorted({p for i in range(len(title)) for j in range(i + 3, len(title) + 1)
                        for p in (title[i:j], title[i:j].upper(), title[i:j].lower())
                        if textsearch.tagged(db, User, ("name",), p, {7})})
        if parts:  # what a search of each asks (textsearch.tagged_hits), in one statement,
            # for each part the row holds as ILIKE sees it (Python's 'İ'.lower() is two letters)
            asked = db.execute(select(*(func.wg_tagged(7, p) for p in parts), *(
                func.strpos(func.lower(title), func.lower(p)) > 0 for p in parts))).one()
            for part, tags, holds in zip(parts, asked, asked[len(parts):]):
                assert not holds or set(tags) <= held, (title, part)
            assert sum(asked[len(parts):]) >= len(parts) // 3, title  # most parts are held
    assert not textsearch.tagged(db, User, ("name",), "x\x01y", {7})


def test_a_name_with_letters_of_any_case_is_found_by_its_tags(db, people, make_user):
    """The text's tags are lower-cased by PostgreSQL as the rows' were: Émile found as émile
    or ÉMILE, within its community only, as ILIKE finds it."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's tagged trigrams only (SQLite's LIKE folds ASCII letters alone)")
    here = make_user("Émile Zola", "13911110001", people.ba1, [("resident", people.ba1, None)])
    there = make_user("ÉMILE ZOLA", "13911110002", people.bb1, [("resident", people.bb1, None)])
    for q in ("émile", "ÉMILE", "mile zo"):
        cond = textsearch.matches(db, User, ("name",), q, communities={people.ca.id})
        assert "= ANY" in str(cond.compile(db.get_bind())), q
        assert set(db.scalars(select(User.id).where(cond))) == {here.id}, q
        every = textsearch.matches(db, User, ("name",), q)
        assert set(db.scalars(select(User.id).where(every))) == {here.id, there.id}, q


def test_the_tagged_trigrams_are_read_only_where_they_answer(db):
    """Three characters or more, of columns that have them, within one to RANGES known
    communities, holding no chr(1) (the rows' tags split there)."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's tagged trigrams only; SQLite keys its FTS5 rows by community")
    ok = lambda *a: textsearch.tagged(db, *a)  # noqa: E731
    assert ok(User, ("name", "phone"), "王小明", {1}) and ok(Wish, ("title",), "Abc", {1, 2})
    assert ok(User, ("name",), "Émile", {1})
    assert not ok(User, ("name",), "王小", {1})  # two characters: the pieces' index
    assert not ok(User, ("address",), "1单元", {1}) and not ok(Org, ("name",), "1号楼", {1})
    assert not ok(Wish, ("title",), "修水管", None) and not ok(Wish, ("title",), "修水管", set())
    assert not ok(Wish, ("title",), "修水管", set(range(textsearch.RANGES + 1)))
    assert not ok(Wish, ("title",), "a\x01bc", {1})


def test_more_tagged_hits_than_few_are_tested_on_the_rows(db, people, monkeypatch):
    """Past TAGGED_FEW a list walks its own rows (its order fills a page sooner than reading
    every hit), and finds the same."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's tagged trigrams only; SQLite keys its FTS5 rows by community")
    rows = db.scalars(select(User)).all()
    want = _scan([r for r in rows if r.community_id == people.ca.id], ("phone",), "1370000")
    for few, shape in ((1000, "users.id = ANY"), (2, "users.phone LIKE")):
        monkeypatch.setattr(textsearch, "TAGGED_FEW", few)
        db.rollback()  # a new transaction: what it read is read again
        assert textsearch.few_hits(db, User, ("phone",), "1370000", {people.ca.id}) == (few > 2)
        cond = textsearch.matches(db, User, ("phone",), "1370000", communities={people.ca.id})
        assert shape in str(cond.compile(db.get_bind())), few
        found = set(db.scalars(select(User.id).where(cond, User.community_id == people.ca.id)))
        assert found == want and len(want) > 2, few


def test_a_text_without_case_is_tested_by_the_plain_like():
    """Chinese, digits and punctuation have no other case, so LIKE finds what ILIKE finds
    (PostgreSQL folds every row's case for ILIKE: 1.8 ms against 0.5 for 5,000 names)."""
    assert all(textsearch.uncased(t) for t in ("王小明", "1380", "，", "3单元-502"))
    assert not any(textsearch.uncased(t) for t in ("abc", "王A", "É", "ß", "Ⅰ"))


def test_the_index_follows_renames_and_deletes(db, people, make_user):
    u = make_user("欧阳锋", "13911112222", people.ba1)
    find = lambda q: set(db.scalars(select(User.id).where(  # noqa: E731
        textsearch.matches(db, User, ("name", "phone"), q))))
    assert u.id in find("欧阳锋") and u.id in find("1112222")
    u.name, u.phone = "欧阳克", "13933334444"
    db.commit()
    assert u.id not in find("欧阳锋") and u.id in find("欧阳克") and u.id in find("3334444")
    assert u.id not in find("锋") and u.id in find("克") and u.id in find("44")
    db.delete(u)
    db.commit()
    assert find("欧阳克") == set() and find("克") == set() and find("欧阳") == set()
    if db.get_bind().dialect.name == "sqlite":  # each index is sound after the rename and delete
        for t in ("users_fts", "users_grams"):
            db.execute(text(f"INSERT INTO {t}({t}, rank) VALUES ('integrity-check', 1)"))


def test_a_users_part_of_the_index_follows_a_move_to_another_community(db, people, make_user):
    """Users are keyed by their community in SQLite's index (models/search.SCOPED) and in
    PostgreSQL's tagged trigrams (models/search.TAGGED): a move takes the name to the new
    community's part; someone of no community is found unscoped."""
    u = make_user("欧阳锋", "13911112222", people.ba1, [("resident", people.ba1, None)])
    nobody = make_user("欧阳克", "13911113333", None)
    find = lambda q, where: set(db.scalars(select(User.id).where(  # noqa: E731
        textsearch.matches(db, User, ("name", "phone"), q, communities=where))))
    assert u.id in find("欧阳锋", {people.ca.id}) and u.id in find("1112222", {people.ca.id})
    assert u.id not in find("欧阳锋", {people.cb.id}) | find("1112222", {people.cb.id})
    u.building_id = people.bb1.id  # moves house: users.community_id follows (models/user.py)
    db.commit()
    assert u.id in find("欧阳锋", {people.cb.id}) and u.id in find("1112222", {people.cb.id})
    assert u.id not in find("欧阳锋", {people.ca.id}) | find("1112222", {people.ca.id})
    assert find("欧阳", None) >= {u.id, nobody.id} and nobody.id in find("欧阳克", None)
    if db.get_bind().dialect.name == "sqlite":  # the index equals its content, row for row
        db.execute(text("INSERT INTO users_fts(users_fts, rank) VALUES ('integrity-check', 1)"))


def test_the_closest_names_come_first(db, people):
    names = [r["name"] for r in residents.residents_for_staff(db, people.admin, "王小明")]
    assert names[:2] == ["王小明", "王小明"] and names[2] == "王小明明"
    assert "小王" not in names


def test_a_search_uses_the_index(db, people):
    plan = plan_of(db, select(User.id).where(
        textsearch.matches(db, User, ("name", "phone"), "王小明")))
    sqlite = db.get_bind().dialect.name == "sqlite"
    assert ("users_fts" if sqlite else "ix_users_name_trgm") in plan, plan
    if not sqlite:  # within communities: their tagged trigrams, one read of each
        for scope in ({people.ca.id}, {people.ca.id, people.cb.id}):
            tagged = plan_of(db, textsearch.tagged_hits(db, User, ("name", "phone"), "王小明",
                                                        scope))
            assert tagged.count("ix_users_name_tagged") == len(scope), tagged
            assert tagged.count("ix_users_phone_tagged") == len(scope), tagged
            assert "_trgm" not in tagged, tagged
            titles = plan_of(db, textsearch.tagged_hits(db, Wish, ("title",), "修水管", scope))
            assert titles.count("ix_wishes_title_tagged") == len(scope), titles
    for q in ("王", "小明", "0"):  # no trigram in one or two characters: their pieces' index
        short = plan_of(db, select(User.id).where(
            textsearch.matches(db, User, ("name", "phone"), q)))
        if sqlite:
            assert "VIRTUAL TABLE INDEX" in short and "users_grams" in short, short
            continue
        # PostgreSQL reads the hits' ids from its pieces' indexes first (few here).
        with statements_sent(db.get_bind()) as said:
            textsearch.matches(db, User, ("name", "phone"), q)
        read = [x for x in said if x.startswith("SELECT") and "wg_pieces(users.name)" in x]
        assert len(read) == 1, said
        pieces = plan_of(db, select(User.id).where(or_(*(
            textsearch._holds(User, c, q) for c in ("name", "phone")))))
        assert "ix_users_name_pieces" in pieces and "ix_users_phone_pieces" in pieces, pieces


def test_a_short_text_found_often_is_tested_on_the_rows(db, people, monkeypatch):
    """PostgreSQL reads the ids of a short text's hits only while they are few (PIECES_FEW);
    found more often, the rows are tested by the ILIKE, with the same result."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's FTS5 tables give any number of ids at once")
    rows = db.scalars(select(User)).all()
    # (no letter of these has a case: the plain LIKE finds what ILIKE finds, faster)
    for few, shape in ((1000, "users.id = ANY"), (0, "users.name LIKE")):
        monkeypatch.setattr(textsearch, "PIECES_FEW", few)
        db.rollback()  # a new transaction: what it read is read again
        for q in ("王", "小明", "0"):
            cond = textsearch.matches(db, User, ("name", "phone"), q)
            assert shape in str(cond.compile(db.get_bind())), (few, q)
            found = set(db.scalars(select(User.id).where(cond)))
            assert found == _scan(rows, ("name", "phone"), q), (few, q)


def test_the_trigram_index_narrows_a_chinese_search(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's pg_trgm only; SQLite's FTS5 trigram tokenizer is Unicode by itself")
    # A table with the search indexes' kind of index and no other way in (no scan, no primary
    # key), so the plan shows how many rows the trigram index itself offered.
    db.execute(text("CREATE TEMP TABLE probe (name text)"))
    db.execute(text("CREATE INDEX ON probe USING gin (name gin_trgm_ops)"))
    names = NAMES + [f"{s}{n}" for s in ("李建国", "帮忙买菜", "修水管") for n in range(20)]
    db.execute(text("INSERT INTO probe VALUES (:n)"), [{"n": n} for n in names])
    db.execute(text("SET LOCAL enable_seqscan = off"))
    for q in ("王小明", "忙买菜", "修水管1"):
        plan = db.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) SELECT name FROM probe "
                               "WHERE name ILIKE :p"), {"p": f"%{q}%"}).scalar()[0]["Plan"]
        index = plan["Plans"][0]
        assert index["Node Type"] == "Bitmap Index Scan", json.dumps(plan, ensure_ascii=False)
        hits = sum(q in n for n in names)
        # Under a C ctype Chinese has no trigrams: the index offered all 70 rows to recheck.
        assert hits <= index["Actual Rows"] <= hits + 1 < len(names), (q, index["Actual Rows"])
    db.rollback()


def test_a_database_that_cannot_index_chinese_is_refused_where_the_indexes_are_made(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's LC_CTYPE only; SQLite's FTS5 trigram tokenizer needs none")
    import uuid
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError
    from webapp.models.search import create_ddl
    name = f"wishgrid_ctype_{uuid.uuid4().hex[:8]}"
    admin = create_engine(db.get_bind().url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 LC_CTYPE 'C'"))
    c_ctype = create_engine(db.get_bind().url.set(database=name))
    try:
        with c_ctype.connect() as conn, pytest.raises(DBAPIError) as refused:
            for statement in create_ddl("postgresql"):
                conn.exec_driver_sql(statement)
        assert "LC_CTYPE (C)" in str(refused.value) and "--lc-ctype=C.UTF-8" in str(refused.value)
    finally:
        c_ctype.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("pick", [1, 2, 3, 50])
def test_the_pickers_first_page_is_the_whole_lists_first_page(db, people, monkeypatch, pick):
    """Read building by building, the 代为登记 picker's page is the start of the ordered list."""
    monkeypatch.setattr(residents, "PICK_RESIDENTS", pick)
    whole = residents.residents_for_staff(db, people.admin)
    got = residents.resident_choices(db, people.admin)
    assert got["residents"] == whole[:pick] and got["more"] == (len(whole) > pick)


def test_sqlite_refuses_text_longer_than_its_pieces_cover(db, people):
    """The table of pieces covers a column's declared length: longer text is refused as
    PostgreSQL's varchar(n) refuses it, not stored unfindable by a short search."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's tables of pieces only; PostgreSQL's varchar(40) refuses by itself")
    from sqlalchemy.exc import IntegrityError
    u = db.get(User, people.resident.id)
    u.name = "王" * 41
    with pytest.raises(IntegrityError, match="users.name is longer than 40"):
        db.commit()
    db.rollback()
    u.name = "王" * 38 + "喜乐"  # the longest: its last piece is found
    db.commit()
    for q in ("乐", "喜乐"):
        assert u.id in set(db.scalars(select(User.id).where(
            textsearch.matches(db, User, ("name",), q)))), q
