"""A search a list answers either way (wish_search.Either: PostgreSQL's text found too often in
its communities to collect): the list's newest rows walked, the older hits read from the
indexes, pages the same wishes in the same order as a plain filter, on both engines."""
import pytest
from sqlalchemy import select

from tests.planutil import plan_of, statements_sent
from webapp.models import Wish
from webapp.services import textsearch
from webapp.services.wishes import menu, wish_search


def _made(world, make_wish):
    titles = ["修水龙头", "买菜", "修水龙头12", "陪同就医", "修水龙头", "修水龙头123", "买菜"]
    return [make_wish(("pending_review", "published")[i % 2], title=t)
            for i, t in enumerate(titles)]


@pytest.mark.parametrize("status", [None, "published"])
@pytest.mark.parametrize("probed", [0, 1, 2, 3, 100])
def test_a_page_walked_then_read_is_the_plain_filters_page(db, world, make_wish, monkeypatch,
                                                           probed, status):
    """Whatever part of the list the walk covers (none, a row, all of it), every page holds the
    wishes the plain test gives, in the list's order, none twice: the walked part ends where
    the read part begins. The part walked is of the list's scope, whatever its other filters
    (a rare status or category would have made the bound a long walk of its own)."""
    made = _made(world, make_wish)
    monkeypatch.setattr(wish_search, "PROBED", probed)
    like = textsearch.contains(db, Wish.title, "修水龙头")
    # Two tests that agree, told apart by the ids each may give: a row found by the wrong
    # half fails the order or the count below.
    either = wish_search.Either(walk=like, read=like)
    monkeypatch.setattr(menu, "search", lambda *a, **k: either)
    seen, cursor = [], None
    with statements_sent(db.get_bind()) as said:
        while True:
            items, cursor = menu.list_wishes(db, world.admin, view="all", q="修水龙头",
                                             status=status, cursor=cursor, limit=2)
            seen += [w.id for w in items]
            if not cursor:
                break
    want = sorted((w for w in made if "修水龙头" in w.title and status in (None, w.status)),
                  key=lambda w: (w.created_at, w.id), reverse=True)
    assert seen == [w.id for w in want]
    bounds = [x for x in said if x.startswith("SELECT wishes.created_at, wishes.id \nFROM")]
    assert bounds and not [x for x in bounds if "status" in x or "title" in x], bounds


def test_each_half_finds_its_own_part(db, world, make_wish, monkeypatch):
    """The walk is asked of the newest PROBED rows alone, the read of the older rows alone."""
    made = _made(world, make_wish)
    monkeypatch.setattr(wish_search, "PROBED", 3)
    newest = sorted(made, key=lambda w: (w.created_at, w.id), reverse=True)
    walked, read = Wish.id.in_([w.id for w in newest[:3]]), Wish.id.in_([w.id for w in newest])
    here = Wish.community_id == world.ca.id
    listed, bounds = select(Wish).where(here), select(Wish.created_at, Wish.id).where(here)
    page = wish_search.either_page(db, listed, bounds, 10,
                                   wish_search.Either(walk=walked, read=read))
    assert [w.id for w in page] == [w.id for w in newest]
    # Swapped, the walk still sees only the newest three, and the read, given only those,
    # finds none of the older rows: nothing twice.
    page = wish_search.either_page(db, listed, bounds, 10,
                                   wish_search.Either(walk=read, read=walked))
    assert [w.id for w in page] == [w.id for w in newest[:3]]


def test_a_title_found_too_often_to_collect_is_read_from_the_tagged_trigrams(
        db, world, make_wish, monkeypatch):
    """PostgreSQL: past TAGGED_FEW, the search is an Either whose read is answered by the
    communities' tagged trigrams (not the district's trigram index) and whose walk tests the
    title on the row."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite collects the hits from its FTS5 tables")
    _made(world, make_wish)
    monkeypatch.setattr(textsearch, "TAGGED_FEW", 0)
    found = wish_search.search(db, "修水龙头", staff=True, communities={world.ca.id})
    assert isinstance(found, wish_search.Either)
    read = plan_of(db, select(Wish.id).where(found.read))
    assert "ix_wishes_title_tagged" in read and "_trgm" not in read, read
    walk = str(found.walk.compile(db.get_bind()))
    assert "wg_tagged" not in walk and "LIKE" in walk, walk
    monkeypatch.setattr(textsearch, "TAGGED_FEW", 50)  # few again: collected, not Either
    assert not isinstance(wish_search.search(db, "修水龙头", staff=True,
                                             communities={world.ca.id}), wish_search.Either)
