"""Finding things: one search over title and building (staff: also name and phone)."""
import pytest

from tests.planutil import statements_sent
from webapp.services import textsearch
from webapp.services.wishes import menu, wish_search


def _titles(db, user, view, q):
    items, _c = menu.list_wishes(db, user, view=view, q=q)
    return sorted(w.title for w in items)


def test_staff_search_by_title_building_name_and_phone(db, world, make_wish):
    make_wish("published", title="帮忙买菜送上楼")
    make_wish("published", title="陪同去医院复查", resident=world.resident2)
    admin = world.admin
    assert _titles(db, admin, "all", "医院") == ["陪同去医院复查"]
    assert _titles(db, admin, "all", "7号楼") == ["陪同去医院复查"]
    assert _titles(db, admin, "all", "王小明") == ["帮忙买菜送上楼"]
    assert _titles(db, admin, "all", world.resident2.phone[-4:]) == ["陪同去医院复查"]
    assert _titles(db, admin, "all", "") == ["帮忙买菜送上楼", "陪同去医院复查"]


def test_volunteers_cannot_find_wishes_by_resident_name(db, world, make_wish):
    make_wish("published", title="帮忙买菜送上楼")
    assert _titles(db, world.member, "menu", "买菜") == ["帮忙买菜送上楼"]
    assert _titles(db, world.member, "menu", "王小明") == []


def test_wildcards_are_literal(db, world, make_wish):
    make_wish("published", title="帮忙买菜送上楼")
    assert _titles(db, world.admin, "all", "%") == []
    assert _titles(db, world.admin, "all", "_") == []


@pytest.mark.parametrize("hits", ["collected", "walked", "titles walked", "residents many",
                                  "residents past the read"])
def test_a_search_from_the_indexes_pages_like_a_plain_filter(db, world, make_wish, hits,
                                                             monkeypatch):
    """The hits are read from the indexes (three characters or more): same wishes, same order,
    across pages, and only the list's scope, as testing every wish of the scope would give;
    also when the text is found too often to collect (`walked`: each listed row is tested)."""
    from webapp.models import Category, Wish
    if hits == "walked":
        monkeypatch.setattr(textsearch, "FEW", 0)
    elif hits == "residents many":  # PostgreSQL: estimated too many (wish_search._few_residents)
        monkeypatch.setattr(wish_search, "RESIDENTS_COUNTED", 0)
    elif hits == "residents past the read":
        monkeypatch.setattr(wish_search, "RESIDENTS_READ", 0)
    elif hits == "titles walked":  # the titles found too often, the people few
        few = textsearch.few_hits
        monkeypatch.setattr(textsearch, "few_hits",
                            lambda s, model, *a: model is not Wish and few(s, model, *a))
    made = [make_wish("published", title="陪同去医院复查"),
            make_wish("pending_review", title="帮忙买菜送上楼", resident=world.resident2),
            make_wish("published", title="医院取药", resident=world.resident2),
            make_wish("rejected", title="修水龙头"),
            make_wish("pending_review", title="去医院拿报告", resident=world.resident_b,
                      category=db.query(Category).filter_by(community_id=world.cb.id).first().id),
            make_wish("published", title="帮忙修理门锁")]
    for q, want in (("去医院", lambda w: "去医院" in w.title),
                    ("7号楼", lambda w: w.building_id == world.ba2.id),
                    ("王小明", lambda w: w.resident_id == world.resident.id),
                    ("138000001", lambda w: True)):
        seen, cursor = [], None
        while True:
            items, cursor = menu.list_wishes(db, world.admin, view="all", q=q, cursor=cursor,
                                             limit=2)
            seen += [w.id for w in items]
            if not cursor:
                break
        scope = [w for w in made if w.community_id == world.ca.id and want(w)]
        expected = [w.id for w in sorted(scope, key=lambda w: (w.created_at, w.id), reverse=True)]
        assert seen == expected, q
        assert db.query(Wish).count() == len(made)


@pytest.mark.parametrize("q", ["王", "小明", "王小明"])
def test_a_short_search_finds_the_resident_wherever_they_live_now(db, world, make_wish, q):
    """One or two characters have no trigram: each listed wish's resident is tested (not the
    district's namesakes collected), and a resident who has since moved to another community
    is still found on the wishes they left here."""
    w = make_wish("pending_review", title="帮忙买菜送上楼")
    make_wish("pending_review", title="陪同去医院复查", resident=world.resident2)
    world.resident.building_id = world.bb1.id  # moves house to 城东社区; the wish stays
    db.commit()
    assert world.resident.community_id == world.cb.id
    items, _c = menu.list_wishes(db, world.admin, view="all", q=q)
    assert [x.id for x in items] == [w.id]


def test_a_short_staff_search_never_collects_every_namesake(db, world, monkeypatch):
    """The resident is looked up by the wish's own key, not `resident_id IN (every user of the
    district whose name holds it)` (9 s on PostgreSQL for 居民 at district size), unless the
    index counts few hits: each engine's index of pieces does that for one character as the
    trigram indexes do for three (PostgreSQL: its planner's estimate)."""
    def said():
        return str(menu.search(db, "王", staff=True, communities={world.ca.id})
                   .compile(db.get_bind()))
    if db.get_bind().dialect.name == "sqlite":
        assert "users_grams" in said() and "wishes_grams" in said(), said()
    else:  # the hits' ids read first, from the pieces' indexes of titles and people
        with statements_sent(db.get_bind()) as sent:
            assert said().startswith("wishes.id = ANY"), said()
        assert [x for x in sent if "wg_pieces(users.name)" in x and "LIMIT" in x], sent
        assert [x for x in sent if "wg_pieces(wishes.title)" in x and "LIMIT" in x], sent
    monkeypatch.setattr(textsearch, "FEW", 0)  # found too often to collect, on either engine
    assert "users.id = wishes.resident_id" in said() and "wishes.resident_id IN" not in said()
