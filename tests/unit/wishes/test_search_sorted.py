"""PostgreSQL: a wish list's search read by kind of hit and sorted (wish_search.Sorted), or
walked when the statistics expect the text all over (services/tagstats.py; issue 27)."""
import pytest
from sqlalchemy import func, select, text

from tests.planutil import statements_sent
from webapp.models import Wish
from webapp.services import tagstats, textsearch
from webapp.services.wishes import menu, wish_search


@pytest.fixture(autouse=True)
def _postgres(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads its hits from its FTS5 tables")
    tagstats.forget()
    yield
    tagstats.forget()


def _listed(said):
    return [x for x in said if "ORDER BY wishes.created_at" in x]


@pytest.mark.parametrize("residents", ["few", "estimated many", "read many"])
def test_each_kind_of_hit_is_read_apart_and_sorted_while_the_residents_are_few(
        db, world, make_wish, monkeypatch, residents):
    """The titles' hits from the tagged trigrams, the buildings' and the few residents' by
    their ids, each read apart (`OFFSET 0`) and sorted into the page: no walk of the scope.
    Residents too many (the planner's estimate, or the capped read) and the list tests its
    rows as before."""
    if residents == "estimated many":
        monkeypatch.setattr(wish_search, "RESIDENTS_COUNTED", 0)
    elif residents == "read many":
        monkeypatch.setattr(wish_search, "RESIDENTS_READ", 0)
    w = make_wish("pending_review", title="帮忙修水龙头12")
    mine = make_wish("pending_review", title="陪同去医院", resident=world.resident2)
    with statements_sent(db.get_bind()) as said:
        for q, want in (("修水龙头", [w.id]), (world.resident2.name, [mine.id])):
            items, _c = menu.list_wishes(db, world.admin, view="all", q=q)
            assert [x.id for x in items] == want, q
    listed = _listed(said)
    assert len(listed) == 2, said
    read_apart = ["OFFSET" in x and "UNION" in x for x in listed]
    if residents == "few":
        assert read_apart == [True, True], listed
        assert "wishes.resident_id = ANY" in listed[1], listed[1]
    elif residents == "read many":  # (no resident holds 修水龙头: none read is not too many)
        assert read_apart == [True, False], listed
        assert "LIKE" in listed[1], listed
    else:
        assert read_apart == [False, False], listed


def test_the_sorted_pages_are_the_walked_pages(db, world, make_wish, monkeypatch):
    """Every page of the sorted read, with the list's filters and cursor, is the page the walk
    gives (SORT_MAX below any estimate: walked)."""
    made = [make_wish(st, title=t, resident=r) for st, t, r in (
        ("published", "修水龙头一", world.resident), ("pending_review", "修水龙头二", world.resident2),
        ("published", "陪同修水龙头", world.resident2), ("rejected", "修水龙头三", world.resident),
        ("published", "去医院", world.resident2), ("published", "修水龙头四", world.resident))]
    assert len(made) == 6

    def pages(**kw):
        seen, cursor = [], None
        with statements_sent(db.get_bind()) as said:
            while True:
                items, cursor = menu.list_wishes(db, world.admin, view="all", cursor=cursor,
                                                 limit=2, **kw)
                seen.append([x.id for x in items])
                if not cursor:
                    return seen, said
    for kw in ({"q": "修水龙头"}, {"q": "修水龙头", "status": "published"},
               {"q": world.resident2.name}, {"q": "7号楼"}):
        sorted_, said = pages(**kw)
        assert any("OFFSET" in x for x in _listed(said)), kw
        with monkeypatch.context() as m:
            m.setattr(wish_search, "SORT_MAX", -1)
            walked, said = pages(**kw)
        assert not any("OFFSET" in x for x in _listed(said)), kw
        assert sorted_ == walked and sum(sorted_, []), kw


def test_a_text_expected_all_over_is_walked_without_reading_its_hits(db, world, make_wish,
                                                                    monkeypatch):
    """Above SORT_MAX the list walks in its own order, and reads no capped count of the hits
    first (for a text in every title of a community that count built the whole entry: 7 ms)."""
    w = make_wish("pending_review", title="帮忙修水龙头12")
    monkeypatch.setattr(wish_search, "SORT_MAX", -1)
    with statements_sent(db.get_bind()) as said:
        items, _c = menu.list_wishes(db, world.admin, view="all", q="修水龙头")
    assert [x.id for x in items] == [w.id]
    assert not [x for x in said if "wg_tagged" in x and "LIMIT" in x and "ORDER BY" not in x]
    assert "wishes.title LIKE" in _listed(said)[0], said


@pytest.mark.parametrize("q", ["修水龙头12", "水龙头", "12 号", "（一）", "a1b"])
def test_the_tags_known_here_are_the_databases(db, q):
    """tags_of gives what wg_tagged gives where no case folds (else None: asked of the
    database), so any of them asked of the index finds each row the text is in."""
    mine = tagstats.tags_of(7, q)
    theirs = sorted(db.scalar(select(func.wg_tagged(7, q))))
    assert mine == (None if q == "a1b" else theirs)


def test_the_rarest_tags_are_asked_and_the_rows_expected(db, monkeypatch):
    """The rarest tag by the index's statistics first, a second only about as rare; the rows
    expected are the rarest share of the table (a tag no statistic lists: the floor's)."""
    stats = {"1:修水龙": 0.5, "1:水龙头": 0.5, "1:龙头1": 0.1, "1:头12": 0.001}
    monkeypatch.setattr(tagstats, "_stats", lambda s, ix: (stats, 0.002, 10_000))
    chosen, expected = tagstats.rarest(db, Wish, "title", {1}, "修水龙头12")
    assert chosen == {1: ["1:头12"]} and expected == pytest.approx(10)
    stats["1:头12"] = 0.3  # now 龙头1 the rarest, 头12 three times commoner: alone
    assert tagstats.rarest(db, Wish, "title", {1}, "修水龙头12")[0] == {1: ["1:龙头1"]}
    chosen, expected = tagstats.rarest(db, Wish, "title", {1, 2}, "修水龙头12")
    # (community 2 in no statistic: each tag at the floor, two asked)
    assert len(chosen[2]) == 2 and expected == pytest.approx(1_000 + 20)
    assert tagstats.rarest(db, Wish, "title", {1}, "Abc")[0] is None


def test_the_statistics_are_the_planners(db, world, make_wish):
    """After ANALYZE the kept statistics are the index's own: its rows, and its commonest
    tags with their shares (the same function, so the same tags as the rows')."""
    for i in range(30):
        make_wish("pending_review", title=f"帮忙修水龙头{i}")
    db.execute(text("ANALYZE wishes"))
    shares, floor, rows = tagstats._stats(db, "ix_wishes_title_tagged")
    assert rows >= 30 and f"{world.ca.id}:水龙头" in shares and 0 < floor <= max(shares.values())
    assert textsearch.tagged(db, Wish, ("title",), "修水龙头", {world.ca.id})
